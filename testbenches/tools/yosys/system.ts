// The same front-end check with the system's Yosys (Debian's 0.23): what a
// user integrating the generated RTL with their distribution's tools runs.
// read_verilog -sv, hierarchy, proc, no latches, check -assert.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SynthError, ToolMissingError } from '../../../golden/common/errors.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';

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
  const dir = mkdtempSync(join(tmpdir(), 'accelforge-yosys-'));
  try {
    for (const m of d.modules) writeFileSync(join(dir, `${m.name}.sv`), m.text);
    const script = [
      `read_verilog -sv ${d.modules.map((m) => `${m.name}.sv`).join(' ')}`,
      `hierarchy -check -top ${d.top}`,
      'proc',
      'select -assert-none t:$dlatch t:$adlatch t:$dlatchsr',
      'check -assert',
    ].join('; ');
    const r = await execa('yosys', ['-q', '-p', script], { cwd: dir, reject: false, all: true });
    if (r.exitCode !== 0)
      throw new SynthError(
        `system Yosys rejected ${d.top}:\n${String(r.all ?? '')
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
