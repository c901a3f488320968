import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { build, buildKey, lint, verilatorVersion } from '../tools/verilator/runner.js';
import { generateGemm, generateGemmArray } from '../../generators/gemm/generate.js';
import { parseWsConfig, wsPresets } from '../../golden/gemm/config.js';
import { BuildError, LintError, SimTimeoutError } from '../../golden/common/errors.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { wsHarness, runWs } from '../gemm/array-sim.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { cli, repoRoot } from '../support/cli.js';

const ws44 = wsPresets['ws-4x4']!;

function broken(text: string): GeneratedDesign {
  return { ...generateGemmArray('ws', ws44), top: 'bad_top', modules: [{ name: 'bad_top', text }] };
}

describe('Verilator runner', () => {
  it('reports the Verilator version', async () => {
    expect(await verilatorVersion()).toMatch(/^Verilator 5\.\d+/);
  });

  it('lints every ws preset with zero -Wall warnings', async () => {
    for (const p of Object.values(wsPresets)) await expect(lint(generateGemm('ws', p))).resolves.toBeUndefined();
  });

  it('raises LintError carrying Verilator messages', async () => {
    const d = broken(
      "module bad_top (input logic clk_i, output logic [3:0] q_o);\n  logic [7:0] unused_not; assign q_o = 4'd0;\nendmodule\n",
    );
    const e = await lint(d).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LintError);
    expect((e as LintError).messages).toMatch(/UNUSEDSIGNAL.*clk_i/s);
  });

  it('raises BuildError with the compiler output on broken RTL', async () => {
    const d = broken('module bad_top (input logic clk_i, input logic rst_ni);\n  assign nonexistent = 1\nendmodule\n');
    const e = await build({ design: d, harness: [{ name: 'h.cpp', text: 'int main(){return 0;}' }] }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(BuildError);
    expect((e as BuildError).log).toMatch(/syntax error|%Error/);
  });

  it('keys builds by content: same request is cached, a one-parameter change is not', async () => {
    const d = generateGemmArray('ws', ws44);
    const first = await build({ design: d, harness: wsHarness(d, ws44) });
    const again = await build({ design: d, harness: wsHarness(d, ws44) });
    expect(again.cached).toBe(true);
    expect(again.key).toBe(first.key);
    const cfg2 = parseWsConfig({ ...ws44, accWidth: 31 });
    const d2 = generateGemmArray('ws', cfg2);
    expect(await buildKey({ design: d2, harness: wsHarness(d2, cfg2) })).not.toBe(first.key);
    expect(await buildKey({ design: d, harness: wsHarness(d, ws44), flags: ['-DX'] })).not.toBe(first.key);
  });

  it('gives two processes asking for the same new build one build', async () => {
    const nonce = randomBytes(6).toString('hex');
    const worker = join(repoRoot, 'testbenches/system/build-worker.ts');
    const tsx = join(repoRoot, 'node_modules/.bin/tsx');
    const [a, b] = await Promise.all([execa(tsx, [worker, nonce]), execa(tsx, [worker, nonce])]);
    const ra = JSON.parse(a.stdout) as { cached: boolean; key: string; binary: string };
    const rb = JSON.parse(b.stdout) as { cached: boolean; key: string; binary: string };
    expect(ra.key).toBe(rb.key);
    expect([ra.cached, rb.cached].sort()).toEqual([false, true]);
    expect(existsSync(ra.binary)).toBe(true);
  });

  it('stops a hung run at the cycle watchdog, naming the cycle', async () => {
    const p = randomGemmProblem(ws44, { m: 50, k: 8, n: 8 }, new Random(1));
    const e = await runWs(ws44, p, { maxCycles: 40 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SimTimeoutError);
    expect((e as SimTimeoutError).kind).toBe('cycles');
    expect((e as SimTimeoutError).cycle).toBe(41);
    expect((e as Error).message).toContain('cycle 41');
  });

  it('stops a run at the wall-clock limit', async () => {
    const p = randomGemmProblem(ws44, { m: 2000, k: 64, n: 64 }, new Random(2));
    const e = await runWs(ws44, p, { timeoutMs: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SimTimeoutError);
    expect((e as SimTimeoutError).kind).toBe('wall-clock');
  });

  it('writes an FST trace only when asked, limited to a window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-trace-'));
    const p = randomGemmProblem(ws44, { m: 40, k: 8, n: 8 }, new Random(3));
    await runWs(ws44, p, { trace: join(dir, 'full.fst') });
    await runWs(ws44, p, { trace: join(dir, 'win.fst'), traceWindow: [10, 20] });
    await runWs(ws44, p);
    const full = statSync(join(dir, 'full.fst')).size;
    const win = statSync(join(dir, 'win.fst')).size;
    expect(full).toBeGreaterThan(1000);
    expect(win).toBeLessThan(full);
    expect(readdirSync(dir).sort()).toEqual(['full.fst', 'win.fst']);
  });

  it('says how to install Verilator when it is missing (exit 3)', async () => {
    const r = await cli(['lint', 'ws', '--config', 'ws-4x4'], { PATH: '/nonexistent' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('verilator is not installed');
    expect(r.stderr).toContain('apt-get install -y verilator');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('build cache damage and signals', () => {
  const req = () => ({
    design: generateGemmArray('ws', parseWsConfig({ rows: 2, cols: 2, dataWidth: 3, accWidth: 9 })),
    harness: wsHarness(
      generateGemmArray('ws', parseWsConfig({ rows: 2, cols: 2, dataWidth: 3, accWidth: 9 })),
      parseWsConfig({ rows: 2, cols: 2, dataWidth: 3, accWidth: 9 }),
    ),
  });

  it('rebuilds an entry whose binary is missing or altered, and builds in a temporary folder', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'af-heal-'));
    process.env.ACCELFORGE_CACHE = cache;
    try {
      const a = await build(req());
      expect(a.cached).toBe(false);
      expect(readdirSync(cache).filter((n) => n.includes('.tmp-'))).toEqual([]);
      rmSync(a.binary);
      const b = await build(req());
      expect(b.cached).toBe(false);
      expect(existsSync(b.binary)).toBe(true);
      truncateSync(b.binary, 1000);
      const c = await build(req());
      expect(c.cached).toBe(false);
      expect(statSync(c.binary).size).toBeGreaterThan(1000);
      expect((await build(req())).cached).toBe(true);
    } finally {
      delete process.env.ACCELFORGE_CACHE;
    }
  });

  it('says it waits for a lock held by another builder, then builds', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'af-lock-'));
    process.env.ACCELFORGE_CACHE = cache;
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = (s: string) => (writes.push(String(s)), true);
    try {
      const key = await buildKey(req());
      mkdirSync(join(cache, `${key}.build.lock`));
      setTimeout(() => rmSync(join(cache, `${key}.build.lock`), { recursive: true, force: true }), 1500);
      const r = await build(req());
      expect(existsSync(r.binary)).toBe(true);
      expect(writes.join('')).toMatch(
        /waiting for another process building ws_array .* a lock left by a killed process expires after 30 s/,
      );
    } finally {
      process.stderr.write = orig;
      delete process.env.ACCELFORGE_CACHE;
    }
  });

  it('refuses a cache path that is a file or not writable, at once (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-cachefile-'));
    writeFileSync(join(dir, 'cache'), 'x');
    const r = await cli(['verify', 'ws', '--config', 'ws-4x4', '--cases', '1', '--seed', '1'], {
      ACCELFORGE_CACHE: join(dir, 'cache'),
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`ACCELFORGE_CACHE '${join(dir, 'cache')}' is a file`);
    const t0 = Date.now();
    const ro = await cli(['verify', 'ws', '--config', 'ws-4x4', '--cases', '1', '--seed', '1'], {
      ACCELFORGE_CACHE: '/proc/accelforge-cache',
    });
    expect(ro.code, ro.stderr).toBe(2);
    expect(ro.stderr).toContain("ACCELFORGE_CACHE '/proc/accelforge-cache' cannot be used");
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('removes its temporary work folder when interrupted during a simulation (SIGINT)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'af-sigint-'));
    const dir = mkdtempSync(join(tmpdir(), 'af-sigin-'));
    const big = randomGemmProblem(ws44, { m: 600, k: 600, n: 600 }, new Random(4));
    writeFileSync(
      join(dir, 'in.json'),
      JSON.stringify({ a: big.a.map((r) => r.map(Number)), b: big.b.map((r) => r.map(Number)) }),
    );
    // Build first (a cached model), so the interrupt lands in the simulation.
    expect(
      (
        await cli([
          'run',
          'ws',
          '--config',
          'ws-4x4',
          '--input',
          join(dir, 'in.json'),
          '--output',
          join(dir, 'warm.json'),
          '--max-cycles',
          '10',
        ])
      ).code,
    ).toBe(1);
    const child = execa(
      process.execPath,
      [
        join(repoRoot, 'scripts/accelforge.mjs'),
        'run',
        'ws',
        '--config',
        'ws-4x4',
        '--input',
        join(dir, 'in.json'),
        '--output',
        join(dir, 'out.json'),
      ],
      { reject: false, env: { TMPDIR: tmp }, cwd: repoRoot },
    );
    for (let i = 0; i < 200 && !readdirSync(tmp).some((n) => n.startsWith('accelforge-')); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp).some((n) => n.startsWith('accelforge-'))).toBe(true);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(readdirSync(tmp).filter((n) => n.startsWith('accelforge-'))).toEqual([]);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });
  it('leaves no build lock, work folder or compiler temp file when interrupted during a build (SIGINT)', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'af-sigbuild-'));
    const tmp = mkdtempSync(join(tmpdir(), 'af-sigbuild-tmp-'));
    const child = execa(
      process.execPath,
      [join(repoRoot, 'scripts/accelforge.mjs'), 'verify', 'ws', '--config', 'ws-4x4', '--cases', '1', '--seed', '1'],
      // ccache off: the build must still be compiling when the signal comes.
      { reject: false, env: { ACCELFORGE_CACHE: cache, CCACHE_DISABLE: '1', TMPDIR: tmp }, cwd: repoRoot },
    );
    const lock = () => readdirSync(cache).filter((n) => n.endsWith('.lock'));
    for (let i = 0; i < 600 && lock().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(lock().length).toBe(1);
    await new Promise((r) => setTimeout(r, 1500)); // into the C++ compile
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr).toContain('stopped by SIGINT');
    expect(readdirSync(cache)).toEqual([]);
    // tsx keeps its own transform cache there (tsx-<uid>); nothing else may remain.
    expect(readdirSync(tmp).filter((n) => !n.startsWith('tsx-'))).toEqual([]);
  });
});
