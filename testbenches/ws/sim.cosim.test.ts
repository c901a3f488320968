// The ws GEMM engine against the golden model and the cycle model, over
// configs that stress tiling, buffers (multi-pass), widths and signedness.
// Random cases print their seed; ACCELFORGE_SEED=<n> replays.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runSim } from '../tools/verilator/runner.js';
import { parseWsConfig, type WsConfig } from '../../golden/ws/config.js';
import { gemm, type GemmProblem } from '../../golden/common/gemm.js';
import { wsPassCycles } from '../../golden/ws/cycles.js';
import { wsPassAccess } from '../../golden/ws/access.js';
import { Random } from '../../golden/common/random.js';
import { randomWsProblem } from '../../golden/ws/problem.js';
import { buildWsEngine, runWsEngine, type WsEngineResult } from './sim.js';
import { planWsPasses } from '../../golden/ws/mapper.js';
import { wsEngineProgram } from './host.js';
import { Sel, Csr } from '../../golden/ws/interface.js';
import { firstGemmMismatch } from './check.js';
import { testSeed } from '../support/cli.js';
import { parseHostOutput } from '../tools/verilator/host.js';
import { failWithArtifacts, registerFailureCapture, testArtifactsDir } from '../support/failure.js';
import { wsFailureArtifacts } from './failure.js';
import { configHash } from '../../generators/common/render.js';

const seed = testSeed();
console.log(`ws engine seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
registerFailureCapture();

/** Asserts results, cycles and every counter against their models. */
/** `run`: the seed and host stalls the run used, so a failure's traced re-run repeats it. */
async function expectExact(
  cfg: WsConfig,
  p: GemmProblem,
  r: WsEngineResult,
  what: string,
  run: { seed?: number; stallPermille?: number } = {},
) {
  const bad = firstGemmMismatch(gemm(cfg, p), r.c, r.cCycle);
  if (bad)
    await failWithArtifacts(
      () =>
        wsFailureArtifacts(
          {
            cfg,
            configArg: what,
            problem: p,
            result: r,
            ...run,
            reproduce: `ACCELFORGE_SEED=${seed} npx vitest run testbenches/ws/sim.cosim.test.ts`,
            dir: testArtifactsDir(`ws-${what}`),
          },
          bad,
        ),
      { seed, configHash: configHash('ws', cfg), cycle: r.marks.done0 },
    );
  expect(bad, `${what}: ${JSON.stringify(bad, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`).toBeUndefined();
  r.passes.forEach((ps, i) => {
    const s = { m: ps.mp, k: ps.kp, n: ps.np };
    const c = r.perPass[i]!;
    expect(c.cycles, `${what} pass ${i} cycles`).toBe(wsPassCycles(cfg, s));
    // Every counter, from the access model (designs/ws/access.ts).
    expect(c, `${what} pass ${i} counters`).toEqual(wsPassAccess(cfg, s, !ps.firstK || p.d !== undefined));
  });
}

const configs: { name: string; cfg: WsConfig }[] = [
  { name: 'ws-4x4', cfg: parseWsConfig({ rows: 4, cols: 4 }) },
  { name: '1x1', cfg: parseWsConfig({ rows: 1, cols: 1, accWidth: 20 }) },
  { name: '2x5 4-bit, 8-bit acc (wraps)', cfg: parseWsConfig({ rows: 2, cols: 5, dataWidth: 4, accWidth: 8 }) },
  {
    name: '5x2 small buffers (multi-pass)',
    cfg: parseWsConfig({ rows: 5, cols: 2, aDepth: 6, bDepth: 10, accDepth: 5 }),
  },
  {
    name: '3x3 16-bit unsigned, 48-bit acc',
    cfg: parseWsConfig({
      rows: 3,
      cols: 3,
      dataWidth: 16,
      accWidth: 48,
      signed: false,
      aDepth: 64,
      bDepth: 64,
      accDepth: 64,
    }),
  },
  {
    name: '4x3 2-bit, 4-bit acc, tiny buffers',
    cfg: parseWsConfig({ rows: 4, cols: 3, dataWidth: 2, accWidth: 4, aDepth: 3, bDepth: 4, accDepth: 2 }),
  },
];

for (const { name, cfg } of configs) {
  describe(`ws engine ${name} ${JSON.stringify(cfg)}`, () => {
    beforeAll(async () => {
      await buildWsEngine(cfg);
    });

    it(`is bit-exact and cycle-exact on random GEMMs (seed ${seed})`, async () => {
      for (let i = 0; i < 8; i++) {
        const rng = new Random(seed + i);
        const big = i % 3 === 2; // sometimes larger than the array several times over
        const lim = (x: number) => rng.int(1, big ? 4 * x + 3 : x + 2);
        const shape = { m: lim(cfg.rows + 2), k: lim(cfg.rows), n: lim(cfg.cols) };
        const p = randomWsProblem(cfg, shape, rng, { d: rng.bool(), relu: rng.bool() });
        const stall = [0, 0, 150, 500][i % 4]!;
        const r = await runWsEngine(cfg, p, { stallPermille: stall, seed: seed + i });
        await expectExact(cfg, p, r, `${name} seed ${seed + i} ${JSON.stringify(shape)} stall ${stall}`, {
          seed: seed + i,
          stallPermille: stall,
        });
      }
    });

    it('handles shapes equal to the array, skinny and single-element', async () => {
      const rng = new Random(seed ^ 0x1234);
      for (const shape of [
        { m: cfg.rows, k: cfg.rows, n: cfg.cols },
        { m: 1, k: 1, n: 1 },
        { m: 1, k: 3 * cfg.rows + 1, n: 2 * cfg.cols + 1 }, // back-to-back accumulations of one row
        { m: 2, k: 2 * cfg.rows, n: 1 },
        { m: 3 * cfg.rows + 2, k: 1, n: cfg.cols + 1 },
      ]) {
        const p = randomWsProblem(cfg, shape, rng, { d: true, relu: true });
        await expectExact(cfg, p, await runWsEngine(cfg, p), `${name} ${JSON.stringify(shape)}`);
      }
    });
  });
}

describe('ws engine host interface', () => {
  const cfg = parseWsConfig({ rows: 3, cols: 4, aDepth: 64, bDepth: 64, accDepth: 64 });

  it('gives the same results and compute cycles whatever the host timing', async () => {
    const p = randomWsProblem(cfg, { m: 11, k: 10, n: 9 }, new Random(seed), { d: true });
    const calm = await runWsEngine(cfg, p);
    const busy = await runWsEngine(cfg, p, { stallPermille: 700, seed: seed + 1 });
    expect(busy.c).toEqual(calm.c);
    expect(busy.cycles).toBe(calm.cycles);
    expect(busy.totalCycles).toBeGreaterThan(calm.totalCycles);
  });

  it('computes the right answer for a new GEMM after a reset in the middle of one', async () => {
    const rng = new Random(seed + 99);
    const p1 = randomWsProblem(cfg, { m: 9, k: 12, n: 8 }, rng, { d: true });
    const p2 = randomWsProblem(cfg, { m: 7, k: 5, n: 6 }, rng, { relu: true });
    const prog1 = wsEngineProgram(cfg, p1, planWsPasses(cfg, 9, 12, 8)).split('\n');
    const started = prog1.findIndex((l) => l.startsWith(`W ${Sel.csr} ${Csr.ctrl} `));
    const interrupted = [...prog1.slice(0, started + 1), 'IDLE 7', 'RESET'].join('\n') + '\n';
    const program = interrupted + wsEngineProgram(cfg, p2, planWsPasses(cfg, 7, 5, 6));
    const r = await runWsEngine(cfg, p2, { program });
    await expectExact(cfg, p2, r, 'after reset');
  });

  it('holds accumulator reads until the engine is idle and reads back CSRs', async () => {
    const p = randomWsProblem(cfg, { m: 6, k: 6, n: 4 }, new Random(seed + 5));
    const normal = wsEngineProgram(cfg, p, planWsPasses(cfg, 6, 6, 4)).split('\n');
    const start = normal.findIndex((l) => l.startsWith(`W ${Sel.csr} ${Csr.ctrl} `));
    // Read ACC row 0 right after start (no WAIT): the port is not ready until done.
    const program =
      [
        ...normal.slice(0, start + 1),
        `R ${Sel.acc} 0`,
        `R ${Sel.csr} ${Csr.status}`,
        `R ${Sel.csr} ${Csr.m}`,
        `R ${Sel.csr} ${Csr.k}`,
        'MARK end',
      ].join('\n') + '\n';
    const b = await buildWsEngine(cfg);
    const dir = mkdtempSync(join(tmpdir(), 'af-host-'));
    writeFileSync(join(dir, 'p.txt'), program);
    await runSim(b, { plusargs: { in: join(dir, 'p.txt'), out: join(dir, 'o.txt') } });
    const out = readFileSync(join(dir, 'o.txt'), 'utf8');
    const { reads } = parseHostOutput(out);
    const want = gemm(cfg, p)[0]!;
    const row0 = Array.from({ length: 4 }, (_, c) => BigInt.asIntN(32, (reads[0]! >> BigInt(32 * c)) & 0xffffffffn));
    expect(row0).toEqual(want);
    expect(reads[1]).toBe(2n); // done, not busy
    expect(reads[2]).toBe(6n);
    expect(reads[3]).toBe(6n);
    const startMark = Number(/MARK start0 (\d+)/.exec(out)![1]);
    const endMark = Number(/MARK end (\d+)/.exec(out)![1]);
    expect(endMark - startMark).toBeGreaterThan(wsPassCycles(cfg, { m: 6, k: 6, n: 4 }));
  });
});
