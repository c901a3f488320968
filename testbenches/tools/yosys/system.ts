// The same front-end check with the system's Yosys (Debian's 0.23): what a
// user integrating the generated RTL with their distribution's tools runs.
// read_verilog -sv, hierarchy, proc, no latches, check -assert.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SynthError, ToolMissingError } from '../../../golden/common/errors.js';
import { withBlockStubs, type GeneratedDesign, type ModuleText } from '../../../generators/common/design.js';

export const systemYosysInstall = 'apt-get install -y yosys';

/** `yosys -V` of the system Yosys; ToolMissingError when absent. */
export async function systemYosysVersion(): Promise<string> {
  const r = await execa('yosys', ['-V'], { reject: false }).catch(() => undefined);
  if (!r || r.exitCode !== 0) throw new ToolMissingError('yosys', systemYosysInstall);
  return String(r.stdout).trim();
}

/** Resolves when the system Yosys reads, elaborates and checks the design cleanly. */
export async function checkWithSystemYosys(d: GeneratedDesign): Promise<void> {
  await systemYosysVersion();
  await checkOnce(d.modules, d.top, []);
}

/**
 * The same check block by block, as the lint and the Icarus check do for
 * large arrays: the design with each hierarchy block's port-only stub, then
 * each distinct parametrization of the block as the top (chparam).
 */
export async function checkWithSystemYosysByBlocks(d: GeneratedDesign): Promise<void> {
  await systemYosysVersion();
  await checkOnce(withBlockStubs(d), d.top, []);
  for (const b of d.build?.blocks ?? [])
    for (const params of b.params)
      await checkOnce(
        d.modules,
        b.module,
        Object.entries(params).map(([k, v]) => `chparam -set ${k} ${v} ${b.module}`),
      );
}

async function checkOnce(modules: ModuleText[], top: string, before: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'accelforge-yosys-'));
  try {
    for (const m of modules) writeFileSync(join(dir, `${m.name}.sv`), m.text);
    const script = [
      `read_verilog -sv ${modules.map((m) => `${m.name}.sv`).join(' ')}`,
      ...before,
      `hierarchy -check -top ${top}`,
      'proc',
      'select -assert-none t:$dlatch t:$adlatch t:$dlatchsr',
      'check -assert',
    ].join('; ');
    const r = await execa('yosys', ['-q', '-p', script], { cwd: dir, reject: false, all: true });
    if (r.exitCode !== 0)
      throw new SynthError(
        `system Yosys rejected ${top}${before.length ? ` (${before.join('; ')})` : ''}:\n${String(r.all ?? '')
          .trim()
          .split('\n')
          .filter((l) => !/Replacing memory/.test(l))
          .slice(-30)
          .join('\n')}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a Yosys script with the system Yosys over the design's sources in a
 * private folder and returns the texts of the files it writes (`outputs`).
 * ABC runs about ten times faster natively than in the WebAssembly Yosys.
 */
export async function runSystemYosysScript(
  d: GeneratedDesign,
  ys: string,
  outputs: string[],
  what: string,
): Promise<Record<string, string>> {
  await systemYosysVersion();
  const dir = mkdtempSync(join(tmpdir(), 'accelforge-yosys-'));
  try {
    for (const m of d.modules) writeFileSync(join(dir, `${m.name}.sv`), m.text);
    writeFileSync(join(dir, 'run.ys'), ys);
    const r = await execa('yosys', ['-q', '-s', 'run.ys'], { cwd: dir, reject: false, all: true });
    if (r.exitCode !== 0)
      throw new SynthError(
        `system Yosys rejected ${what}:\n${String(r.all ?? '')
          .trim()
          .split('\n')
          .filter((l) => !/Replacing memory/.test(l))
          .slice(-30)
          .join('\n')}`,
      );
    return Object.fromEntries(outputs.map((o) => [o, readFileSync(join(dir, o), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
