// The os engine against the golden model (bit-exact), its cycle model
// (exact) and its access model (every counter exact): random GEMMs around
// the array's edges, tiles shorter than 2R - 1 steps (padded), several
// passes through small buffers, D and ReLU, unsigned data. Random cases
// print their seed; ACCELFORGE_SEED=<n> replays.
import { beforeAll, describe, expect, it } from 'vitest';
import { osPresets, parseOsConfig, type OsConfig } from '../../golden/os/config.js';
import { gemm, firstGemmMismatch, randomGemmProblem, type GemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { buildOsEngine, runOsEngine, type OsEngineResult } from './sim.js';
import { osCase } from '../../golden/os/problem.js';
import { osPassCycles } from '../../golden/os/cycles.js';
import { osPassAccess } from '../../golden/os/access.js';
import { osAccumulates } from './host.js';
import { testSeed } from '../support/cli.js';
import { failWithArtifacts, registerFailureCapture, testArtifactsDir } from '../support/failure.js';
import { osFailureArtifacts } from './failure.js';
import { configHash } from '../../generators/common/render.js';

const seed = testSeed();
console.log(`os seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
registerFailureCapture();

async function expectExact(cfg: OsConfig, p: GemmProblem, r: OsEngineResult, what: string, stallPermille = 0) {
  const bad = firstGemmMismatch(gemm(cfg, p), r.c, r.cCycle);
  if (bad)
    await failWithArtifacts(
      () =>
        osFailureArtifacts(
          {
            cfg,
            configArg: what,
            problem: p,
            result: r,
            stallPermille,
            seed,
            reproduce: `ACCELFORGE_SEED=${seed} npx vitest run testbenches/os/sim.cosim.test.ts`,
            dir: testArtifactsDir(`os-${what}`),
          },
          bad,
        ),
      { seed, configHash: configHash('os', cfg), cycle: bad.cycle },
    );
  expect(bad, what).toBeUndefined();
  r.passes.forEach((ps, i) => {
    const shape = { m: ps.mp, k: ps.kp, n: ps.np };
    expect(r.perPass[i]!.cycles, `${what} pass ${i} cycles`).toBe(osPassCycles(cfg, shape));
    expect(r.perPass[i], `${what} pass ${i} counters`).toEqual(osPassAccess(cfg, shape, osAccumulates(p, ps)));
  });
}

const configs: { name: string; cfg: OsConfig; cases: number }[] = [
  { name: 'os-4x4', cfg: osPresets['os-4x4']!, cases: 8 },
  {
    name: '3 x 5, unsigned 6-bit',
    cfg: parseOsConfig({ rows: 3, cols: 5, dataWidth: 6, accWidth: 16, signed: false }),
    cases: 6,
  },
  { name: '1 x 1', cfg: parseOsConfig({ rows: 1, cols: 1 }), cases: 4 },
];

for (const { name, cfg, cases } of configs) {
  describe(`os ${name} ${JSON.stringify(cfg)}`, () => {
    beforeAll(async () => {
      await buildOsEngine(cfg);
    });

    it(`is bit-exact, cycle-exact and counter-exact on random GEMMs (seed ${seed})`, async () => {
      for (let i = 0; i < cases; i++) {
        const c = osCase(cfg, seed + i);
        const r = await runOsEngine(cfg, c.problem, { stallPermille: c.stallPermille, seed: c.seed });
        await expectExact(
          cfg,
          c.problem,
          r,
          `${name} seed ${c.seed} M=${c.shape.m} K=${c.shape.k} N=${c.shape.n}`,
          c.stallPermille,
        );
      }
    });
  });
}

describe('os edge cases', () => {
  const cfg = osPresets['os-4x4']!;
  it('K = 1 and K < 2R - 1 (padded tiles), one row, one column, a single tile', async () => {
    const rng = new Random(seed ^ 0x55);
    for (const shape of [
      { m: 9, k: 1, n: 7 },
      { m: 8, k: 3, n: 8 },
      { m: 1, k: 20, n: 1 },
      { m: 4, k: 7, n: 4 },
      { m: 13, k: 6, n: 2 },
    ]) {
      const p = randomGemmProblem(cfg, shape, rng, { d: true, relu: true });
      await expectExact(cfg, p, await runOsEngine(cfg, p), `edge ${JSON.stringify(shape)}`);
    }
  });

  it('splits M, N and K over passes through small buffers (K passes accumulate), exact', async () => {
    const small = parseOsConfig({ rows: 4, cols: 4, aDepth: 24, bDepth: 20, accDepth: 24 });
    const rng = new Random(seed ^ 0x66);
    const p = randomGemmProblem(small, { m: 19, k: 45, n: 11 }, rng, { d: true, relu: true });
    const r = await runOsEngine(small, p);
    expect(r.passes.length).toBeGreaterThan(3);
    expect(r.passes.some((ps) => !ps.firstK)).toBe(true);
    await expectExact(small, p, r, 'small buffers');
  });
});
