// Icarus Verilog runner (the second simulator): compile with iverilog into the
// shared build cache (../cache.ts: locked, checksummed, renamed into place)
// and run with vvp. The
// testbench is SystemVerilog with file I/O (no DPI), driven by the same host
// program as the Verilator harness. Tools are called with argument arrays.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssertionFailedError,
  SimError,
  SimTimeoutError,
  ToolMissingError,
  BuildError,
} from '../../../golden/common/errors.js';
import { withBlockStubs, type GeneratedDesign } from '../../../generators/common/design.js';
import { mkdirp } from '../../common/fs.js';
import type { HarnessSource, RunOptions } from '../verilator/runner.js';
import { cachedBuild, type Build } from '../cache.js';

const INSTALL = 'apt-get install -y iverilog';

let versionCache: Promise<string> | undefined;
/** `iverilog -V`, once per process; ToolMissingError when iverilog or vvp is absent. */
export function icarusVersion(): Promise<string> {
  versionCache ??= (async () => {
    for (const [cmd, args] of [
      ['iverilog', ['-V']],
      ['vvp', ['-V']],
    ] as const) {
      const r = await execa(cmd, [...args], { reject: false }).catch(() => undefined);
      if (!r || (r as { code?: string }).code === 'ENOENT' || r.exitCode === undefined)
        throw new ToolMissingError(cmd, INSTALL);
    }
    const r = await execa('iverilog', ['-V'], { reject: false });
    return String(r.stdout).split('\n')[0]!.trim();
  })();
  versionCache.catch(() => (versionCache = undefined));
  return versionCache;
}

/** iverilog flags: SystemVerilog 2012; `-s` names the testbench top. */
const compileFlags = (top: string) => ['-g2012', '-s', top];

/**
 * Compiles (or reuses) the design with its testbench in the shared build
 * cache (../cache.ts); the Build's binary is the .vvp file. `vpi`: a VPI
 * module compiled beside it with iverilog-vpi (<name>.vpi in the same folder).
 */
export async function buildIcarus(
  design: GeneratedDesign,
  tb: HarnessSource[],
  tbTop: string,
  vpi?: { name: string; text: string },
): Promise<Build> {
  const version = await icarusVersion();
  const h = createHash('sha256')
    .update(version)
    .update(JSON.stringify(compileFlags(tbTop)));
  for (const m of design.modules) h.update(`\0${m.name}\0${m.text}`);
  for (const f of tb) h.update(`\0${f.name}\0${f.text}`);
  if (vpi) h.update(`\0vpi\0${vpi.name}\0${vpi.text}`);
  const key = `icarus-${h.digest('hex').slice(0, 20)}`;
  const b = await cachedBuild(
    key,
    'sim.vvp',
    `${tbTop} (icarus)`,
    async (tmp) => {
      const src = join(tmp, 'src');
      mkdirp(src);
      const files = [...design.modules.map((m) => ({ name: `${m.name}.sv`, text: m.text })), ...tb].map((f) => {
        const p = join(src, f.name);
        writeFileSync(p, f.text);
        return p;
      });
      const r = await execa('iverilog', [...compileFlags(tbTop), '-o', join(tmp, 'sim.vvp'), ...files], {
        reject: false,
        all: true,
        cwd: tmp,
      }).catch((e: unknown) => {
        throw new ToolMissingError('iverilog', INSTALL, { cause: e });
      });
      const log = String(r.all ?? '').replaceAll(src + '/', '');
      if (r.exitCode !== 0 || !existsSync(join(tmp, 'sim.vvp')))
        throw new BuildError(log.trim().split('\n').slice(-40).join('\n'), { tool: 'Icarus (iverilog)' });
      if (vpi) {
        writeFileSync(join(tmp, `${vpi.name}.c`), vpi.text);
        const v = await execa('iverilog-vpi', [`${vpi.name}.c`], { reject: false, all: true, cwd: tmp }).catch(
          (e: unknown) => {
            throw new ToolMissingError('iverilog-vpi', INSTALL, { cause: e });
          },
        );
        if (v.exitCode !== 0 || !existsSync(join(tmp, `${vpi.name}.vpi`)))
          throw new BuildError(String(v.all ?? '').trim(), { tool: 'Icarus (iverilog-vpi)' });
      }
      writeFileSync(join(tmp, 'build.log'), log);
    },
    false,
  );
  return { ...b, sim: 'icarus' };
}

/** Resolves when Icarus compiles the design alone (top = the design's top); BuildError with its messages otherwise. */
export async function checkWithIcarus(design: GeneratedDesign): Promise<void> {
  await icarusVersion();
  await compileOnce(design.modules, design.top, []);
}

/**
 * The same check block by block, for arrays too large to elaborate whole in
 * the time of a test (Icarus 11 elaborates every PE: 128 x 128 takes 75 s and
 * 2.2 GB): the design with each hierarchy block's port-only stub, then each
 * distinct parametrization of the block as the top (-P overrides).
 */
export async function checkWithIcarusByBlocks(design: GeneratedDesign): Promise<void> {
  await icarusVersion();
  const blocks = design.build?.blocks ?? [];
  await compileOnce(withBlockStubs(design), design.top, []);
  for (const b of blocks) {
    for (const params of b.params) {
      await compileOnce(
        design.modules,
        b.module,
        Object.entries(params).map(([k, v]) => `-P${b.module}.${k}=${v}`),
      );
    }
  }
}

async function compileOnce(modules: { name: string; text: string }[], top: string, extra: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'accelforge-icarus-'));
  try {
    const files = modules.map((m) => {
      const p = join(dir, `${m.name}.sv`);
      writeFileSync(p, m.text);
      return p;
    });
    const r = await execa('iverilog', [...compileFlags(top), ...extra, '-o', join(dir, 'check.vvp'), ...files], {
      reject: false,
      all: true,
      cwd: dir,
    });
    if (r.exitCode !== 0)
      throw new BuildError(
        String(r.all ?? '')
          .replaceAll(dir + '/', '')
          .trim()
          .split('\n')
          .slice(-40)
          .join('\n') + (extra.length ? ` (top ${top} ${extra.join(' ')})` : ''),
        { tool: 'Icarus (iverilog)' },
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a compiled testbench with vvp; the same errors as the Verilator runner's runSim. */
export async function runIcarus(
  b: Build,
  opts: RunOptions,
): Promise<{ stdout: string; stderr: string; seconds: number }> {
  const t0 = performance.now();
  const args = ['-n', b.binary, ...Object.entries(opts.plusargs).map(([k, v]) => `+${k}=${v}`)];
  const r = await execa('vvp', args, {
    reject: false,
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
    all: true,
  }).catch((e) => {
    throw new ToolMissingError('vvp', INSTALL, { cause: e });
  });
  const seconds = (performance.now() - t0) / 1000;
  const all = String(r.all ?? '');
  if (r.timedOut)
    throw new SimTimeoutError(
      'wall-clock',
      undefined,
      `simulation exceeded the wall-clock limit of ${(opts.timeoutMs ?? 600_000) / 1000} s (icarus)`,
    );
  const wd = /ACCELFORGE_TIMEOUT cycle=(\d+)/.exec(all);
  if (wd)
    throw new SimTimeoutError(
      'cycles',
      Number(wd[1]),
      `simulation watchdog: no completion by cycle ${wd[1]} (+max_cycles, icarus)`,
    );
  const failed = icarusAssertion(all);
  if (failed) throw failed;
  const err = /ACCELFORGE_ERROR (.*)/.exec(all);
  if (err) throw new SimError(`icarus testbench: ${err[1]}`);
  if (r.exitCode !== 0)
    throw new SimError(`vvp exited with ${r.exitCode ?? r.signal}: ${all.trim().split('\n').slice(-20).join('\n')}`);
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), seconds };
}

/**
 * An assertion of rtl/common/af_assert.svh's Icarus form, e.g.
 * "FATAL: rs_dram_arb.sv:61: Assertion failed in host_tb.dut.u_dram_arb.OneReader: <message>"
 * then "Time: 395 Scope: ..." (the batch testbench's clock period is 10 time units, the live one's 2).
 */
export function icarusAssertion(out: string, unitsPerCycle = 10): AssertionFailedError | undefined {
  const m = /FATAL: ([^:\s]+:\d+): Assertion failed in (\S+?)\.(\w+): ?(.*)\n\s*Time: (\d+)/.exec(out);
  if (!m) return undefined;
  const [, where, scope, label, text, time] = m;
  return new AssertionFailedError(
    label!,
    scope!,
    Number(time),
    `assertion ${label} failed in ${scope} at cycle ${Math.floor(Number(time) / unitsPerCycle)} (time ${time}, ${where}, icarus): ${text!.trim() || 'no message'}`,
  );
}
