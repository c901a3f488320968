// The live path (tools/live): a test driving ws and os cycle by cycle.
// A host program run live answers exactly what the batch harness answers
// (reads, their cycles, the total); directed register moves, internal
// signals, waits, failed expectations with their report and waveform, an
// assertion and a killed simulator, each as a user's test would meet them.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { repoPath } from '../../golden/common/repo.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { osPresets, wsPresets, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import { gemm, randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { planPasses } from '../../golden/gemm/mapper.js';
import { passCycles } from '../../golden/gemm/cycles.js';
import { AssertionFailedError, InputError, SimTimeoutError } from '../../golden/common/errors.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { buildGemmEngine } from './sim.js';
import { gemmProgram } from './host.js';
import { runSim } from '../tools/verilator/runner.js';
import { buildLive } from '../tools/live/sim.js';
import { LiveSimDied } from '../tools/live/channel.js';
import { LiveExpectationError } from '../tools/live/failure.js';
import { openGemmLive } from './live.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`live seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const cfgs: Record<Dataflow, GemmConfig> = { ws: wsPresets['ws-4x4']!, os: osPresets['os-4x4']! };
const tmp = () => mkdtempSync(join(tmpdir(), 'af-live-'));
const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

// npm test: ws (the os driver is the same GemmLive); test:full both.
describe.each(process.env.ACCELFORGE_FULL ? (['ws', 'os'] as const) : (['ws'] as const))('%s live', (df) => {
  const cfg = cfgs[df];

  it('runs a host program cycle for cycle as the batch harness does, and the GEMM equals the golden model', async () => {
    const rng = new Random(seed);
    const p = randomGemmProblem(cfg, { m: rng.int(1, 9), k: rng.int(1, 9), n: rng.int(1, 9) }, rng, {
      d: true,
      relu: true,
    });
    const program = gemmProgram(cfg, df, p, planPasses(cfg, df, p.a.length, p.b.length, p.b[0]!.length));
    const b = await buildGemmEngine(df, cfg);
    const dir = tmp();
    writeFileSync(join(dir, 'p.txt'), program);
    await runSim(b, { plusargs: { in: join(dir, 'p.txt'), out: join(dir, 'o.txt') } });
    const g = await openGemmLive(df, cfg);
    const icarus = await openGemmLive(df, cfg, { sim: 'icarus' });
    try {
      const batchAnswer = readFileSync(join(dir, 'o.txt'), 'utf8');
      expect(await g.host.runProgram(program)).toBe(batchAnswer);
      // Icarus through its VPI module: the same answers, cycle for cycle.
      expect(await icarus.host.runProgram(program)).toBe(batchAnswer);
      await g.host.reset();
      const r = await g.gemm(p);
      expect(r.c).toEqual(gemm(cfg, p));
      const passes = planPasses(cfg, df, p.a.length, p.b.length, p.b[0]!.length);
      expect(r.cycles).toBe(passes.reduce((s, ps) => s + passCycles(cfg, df, { m: ps.mp, k: ps.kp, n: ps.np }), 0));
    } finally {
      await g.close();
      await icarus.close();
    }
  });
});

describe('ws live, directed', () => {
  const cfg = cfgs.ws;

  it('moves registers and buffers by name, peeks and pokes internal signals, waits for done', async () => {
    const g = await openGemmLive('ws', cfg);
    const s = g.sim;
    try {
      expect(await g.readCsr('status')).toBe(0n);
      // A poke of an internal register is what the host then reads.
      s.poke(s.signal('u_csr.m_q'), 3);
      expect(await g.readCsr('m')).toBe(3n);
      expect(s.signal('u_host.rsp_valid_q').width).toBe(1);
      // C = A B, 2 x 2 x 2, by rows (A row-major into the A buffer as ws lays it: one row per m, K lanes).
      await g.writeCsr('m', 2);
      await g.writeCsr('n', 2);
      await g.writeCsr('k', 2);
      await g.writeRow('a', 0, [1, 2]);
      await g.writeRow('a', 1, [3, 4]);
      await g.writeRow('b', 0, [5, 6]);
      await g.writeRow('b', 1, [7, 8]);
      for (let r = 2; r < cfg.rows; r++) await g.writeRow('b', r, [0, 0]);
      await g.start();
      expect(s.peek('busy_o')).toBe(1n);
      const waited = await s.until('done_o', 1, { timeout: 1000 });
      expect(waited).toBeGreaterThan(0);
      expect(s.peek('busy_o')).toBe(0n);
      expect(await g.readAccRow(0)).toEqual([19n, 22n, 0n, 0n]);
      expect(await g.readAccRow(1)).toEqual([43n, 50n, 0n, 0n]);
      expect((await g.counters()).macs).toBe(8);
      await expect(s.until('busy_o', 1, { timeout: 5 })).rejects.toThrow(SimTimeoutError);
    } finally {
      await g.close();
    }
  });

  it('refuses unknown signals and values wider than the signal, naming them', async () => {
    const g = await openGemmLive('ws', cfg);
    try {
      expect(() => g.sim.signal('u_nope.x_q')).toThrow(/'u_nope.x_q' is not in ws_engine.*ports: clk_i/);
      expect(() => g.sim.poke('host_req_sel_i', 4)).toThrow(InputError);
      expect(() => g.sim.poke('host_req_sel_i', 4)).toThrow(/host_req_sel_i: 4 does not fit its 2 bits/);
    } finally {
      await g.close();
    }
  });

  it('a failed expectation writes the report and waveform window with waves on, and says how without', async () => {
    const dir = tmp();
    const g = await openGemmLive('ws', cfg, { waves: true, artifacts: join(dir, 'fail'), name: 'busy after idle' });
    const err = await g.sim.expect('busy_o', 1, 'idle engine').catch((e: unknown) => e);
    await g.close();
    expect(err).toBeInstanceOf(LiveExpectationError);
    const e = err as LiveExpectationError;
    expect(e.message).toMatch(/busy_o \(idle engine\): expected 1 \(0x1\), got 0 \(0x0\)/);
    expect(e.artifacts).toBe(join(dir, 'fail'));
    for (const f of ['report.txt', 'report.json', 'waves.vcd', 'waves.svg', 'waves.gtkw'])
      expect(existsSync(join(dir, 'fail', f))).toBe(true);
    expect(readFileSync(join(dir, 'fail', 'report.txt'), 'utf8')).toContain(
      "reproduce: npx vitest run -t 'busy after idle'",
    );
    expect(readFileSync(join(dir, 'fail', 'waves.svg'), 'utf8')).toContain('<svg');

    const quiet = await openGemmLive('ws', cfg, { artifacts: join(dir, 'quiet') });
    const e2 = (await quiet.sim.expect('done_o', 1).catch((x: unknown) => x)) as LiveExpectationError;
    await quiet.close();
    expect(e2.message).toMatch(/with \{ waves: true \} for a report and waveform window/);
    expect(existsSync(join(dir, 'quiet'))).toBe(false);
  });

  it('on Icarus too: internal signals by name, and a failed expectation with its report and waveform', async () => {
    const dir = tmp();
    const g = await openGemmLive('ws', cfg, {
      sim: 'icarus',
      waves: true,
      artifacts: join(dir, 'fail'),
      name: 'icarus',
    });
    try {
      g.sim.poke(g.sim.signal('u_csr.m_q'), 6);
      expect(await g.readCsr('m')).toBe(6n);
      const err = (await g.sim.expect('done_o', 1).catch((e: unknown) => e)) as LiveExpectationError;
      expect(err).toBeInstanceOf(LiveExpectationError);
      expect(readFileSync(join(dir, 'fail', 'report.txt'), 'utf8')).toMatch(/done_o: expected 1 \(0x1\), got 0/);
      expect(readFileSync(join(dir, 'fail', 'waves.vcd'), 'utf8')).toContain('host_req_valid_i');
    } finally {
      await g.close();
    }
    const k = await openGemmLive('ws', cfg, { sim: 'icarus' });
    process.kill(k.sim.pid, 'SIGKILL');
    await expect(k.sim.cycles(3)).rejects.toThrow(/simulator exited \(signal 9\)/);
    await k.close();
  });

  it('a failed assertion rejects the awaiting call with its name, and no process is left', async () => {
    const g = await openGemmLive('ws', cfg);
    const pid = g.sim.pid;
    // A refused request (the accumulator buffer while busy) withdrawn: af_host_port's RequestHeld.
    await g.writeCsr('m', 4);
    await g.writeCsr('n', 4);
    await g.writeCsr('k', 4);
    await g.start();
    g.sim.poke('host_req_valid_i', 1);
    g.sim.poke('host_req_write_i', 1);
    g.sim.poke('host_req_sel_i', 3);
    expect(g.sim.peek('host_req_ready_o')).toBe(0n);
    await g.sim.rising();
    g.sim.poke('host_req_valid_i', 0);
    const err = await g.sim.cycles(3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssertionFailedError);
    expect((err as AssertionFailedError).assertion).toBe('RequestHeld');
    expect(alive(pid)).toBe(false);
    await g.close(); // closing a dead simulation is allowed
  });

  it('a simulator killed mid-test rejects with its exit status and last lines', async () => {
    const g = await openGemmLive('ws', cfg);
    process.kill(g.sim.pid, 'SIGKILL');
    const err = await g.sim.cycles(10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveSimDied);
    expect((err as LiveSimDied).exit).toBe('signal 9');
    expect(String(err)).toMatch(/simulator exited \(signal 9\) during the test/);
    await g.close();
  });

  // A private cold cache (a whole live build): test:full; the build cache's sharing is in runner.cosim.test.ts.
  it.runIf(Boolean(process.env.ACCELFORGE_FULL))(
    'workers opening one configuration at once on a cold cache share one build, each with its own simulator (test:full only)',
    async () => {
      const cache = tmp();
      try {
        const worker = repoPath('testbenches/gemm/live-worker.ts');
        const runs = await Promise.all(
          [3, 7, 11].map((m) =>
            execa(process.execPath, ['--import', 'tsx', worker, String(m)], { env: { ACCELFORGE_CACHE: cache } }),
          ),
        );
        const seen = runs.map(
          (r) => JSON.parse(String(r.stdout)) as { binary: string; cached: boolean; simPid: number; read: number },
        );
        expect(seen.map((x) => x.read)).toEqual([3, 7, 11]);
        expect(new Set(seen.map((x) => x.binary)).size).toBe(1);
        expect(seen.filter((x) => !x.cached)).toHaveLength(1);
        expect(new Set(seen.map((x) => x.simPid)).size).toBe(3);
        expect(seen.some((x) => alive(x.simPid))).toBe(false);
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    },
  );

  it('two simulations of one configuration share one build and run side by side', async () => {
    const d = generateGemm('ws', cfg);
    const [b1, b2] = await Promise.all([buildLive(d), buildLive(d)]);
    expect(b1.binary).toBe(b2.binary);
    const [x, y] = await Promise.all([openGemmLive('ws', cfg), openGemmLive('ws', cfg)]);
    try {
      expect(x.sim.pid).not.toBe(y.sim.pid);
      await x.writeCsr('m', 5);
      await y.writeCsr('m', 9);
      expect([await x.readCsr('m'), await y.readCsr('m')]).toEqual([5n, 9n]);
    } finally {
      await x.close();
      await y.close();
    }
    expect(alive(x.sim.pid) || alive(y.sim.pid)).toBe(false);
  });
});
