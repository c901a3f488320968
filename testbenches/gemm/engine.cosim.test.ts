// The systolic engines (ws, os and arrays of both dataflows) against the
// golden model (bit-exact), the exact cycle models and the access models
// (every counter), over configs that stress tiling, multi-pass buffers,
// widths and signedness, with random GEMMs around the array's edges and
// host stalls; an array of both runs each case in a random dataflow. Random
// cases print their seed; ACCELFORGE_SEED=<n> replays.
import { beforeAll, describe, it } from 'vitest';
import { osPresets, parseOsConfig, parseWsConfig, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { gemmCase, randomRequant } from '../../golden/gemm/problem.js';
import { buildGemmEngine, runGemmEngine } from './sim.js';
import { testSeed } from '../support/cli.js';
import { registerFailureCapture } from '../support/failure.js';
import { expectExact } from './exact.js';
import { int8TestConfig } from '../support/nets.js';

const seed = testSeed();
console.log(`systolic engine seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
registerFailureCapture();
const testFile = 'testbenches/gemm/engine.cosim.test.ts';

const configs: { name: Dataflow; label: string; cfg: GemmConfig; cases: number }[] = [
  { name: 'ws', label: 'ws-4x4', cfg: parseWsConfig({ rows: 4, cols: 4 }), cases: 8 },
  { name: 'ws', label: '1x1', cfg: parseWsConfig({ rows: 1, cols: 1, accWidth: 20 }), cases: 6 },
  {
    name: 'ws',
    label: '2x5 4-bit, 8-bit acc (wraps)',
    cfg: parseWsConfig({ rows: 2, cols: 5, dataWidth: 4, accWidth: 8 }),
    cases: 6,
  },
  {
    name: 'ws',
    label: '5x2 small buffers (multi-pass)',
    cfg: parseWsConfig({ rows: 5, cols: 2, aDepth: 6, bDepth: 10, accDepth: 5 }),
    cases: 6,
  },
  {
    name: 'ws',
    label: '3x3 16-bit unsigned, 48-bit acc',
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
    cases: 6,
  },
  {
    name: 'ws',
    label: '4x3 2-bit, 4-bit acc, tiny buffers',
    cfg: parseWsConfig({ rows: 4, cols: 3, dataWidth: 2, accWidth: 4, aDepth: 3, bDepth: 4, accDepth: 2 }),
    cases: 6,
  },
  { name: 'os', label: 'os-4x4', cfg: osPresets['os-4x4']!, cases: 8 },
  {
    name: 'os',
    label: '3x5 unsigned 6-bit',
    cfg: parseOsConfig({ rows: 3, cols: 5, dataWidth: 6, accWidth: 16, signed: false }),
    cases: 6,
  },
  { name: 'os', label: '1x1', cfg: parseOsConfig({ rows: 1, cols: 1 }), cases: 4 },
  { name: 'ws', label: '3x4 both dataflows', cfg: parseWsConfig({ rows: 3, cols: 4, dataflow: 'both' }), cases: 10 },
  {
    name: 'os',
    label: '2x5 both, unsigned, small buffers',
    cfg: parseOsConfig({
      rows: 2,
      cols: 5,
      dataWidth: 5,
      accWidth: 14,
      signed: false,
      aDepth: 12,
      bDepth: 9,
      accDepth: 8,
      dataflow: 'both',
    }),
    cases: 10,
  },
  // The output stage: requantized runs (2 cases in 3) in both dataflows, N split
  // into passes of 10 table entries (the int8 model test's array: one build).
  { name: 'ws', label: '3x5 both, output stage', cfg: parseWsConfig(int8TestConfig), cases: 12 },
  // ... and a 48-bit accumulator (its low 32 bits) and a 20-bit one (sign-extended), in test:full.
  ...(process.env.ACCELFORGE_FULL
    ? [
        {
          name: 'ws' as const,
          label: '3x5 both, 20-bit acc, output stage',
          cfg: parseWsConfig({ ...int8TestConfig, dataWidth: 8, accWidth: 20, aDepth: 40, bDepth: 40, accDepth: 40 }),
          cases: 12,
        },
        {
          name: 'os' as const,
          label: '4x4 48-bit, output stage',
          cfg: parseOsConfig({ accWidth: 48, quantDepth: 8 }),
          cases: 12,
        },
      ]
    : []),
];

for (const { name, label, cfg, cases } of configs) {
  describe(`${name} engine ${label} ${JSON.stringify(cfg)}`, () => {
    beforeAll(async () => {
      await buildGemmEngine(name, cfg);
    });

    it(`is bit-exact, cycle-exact and counter-exact on random GEMMs (seed ${seed})`, async () => {
      for (let i = 0; i < cases; i++) {
        const c = gemmCase(cfg, seed + i);
        const r = await runGemmEngine(name, cfg, c.dataflow, c.problem, {
          stallPermille: c.stallPermille,
          seed: c.seed,
        });
        await expectExact(
          cfg,
          c.problem,
          r,
          `${label} seed ${c.seed} ${JSON.stringify(c.shape)} ${c.dataflow} stall ${c.stallPermille}`,
          { name, seed: c.seed, stallPermille: c.stallPermille, testFile },
        );
      }
    });

    it('handles shapes equal to the array, skinny, single-element and several times larger', async () => {
      const rng = new Random(seed ^ 0x1234);
      const shapes = [
        { m: cfg.rows, k: cfg.rows, n: cfg.cols },
        { m: 1, k: 1, n: 1 },
        { m: 1, k: 3 * cfg.rows + 1, n: 2 * cfg.cols + 1 }, // back-to-back accumulations of one row
        { m: 2, k: 2 * cfg.rows, n: 1 },
        { m: 3 * cfg.rows + 2, k: 1, n: cfg.cols + 1 },
        { m: 4 * cfg.rows + 3, k: 4 * cfg.rows + 1, n: 4 * cfg.cols + 3 },
      ];
      for (const [j, shape] of shapes.entries()) {
        const df: Dataflow = cfg.dataflow === 'both' ? (j % 2 ? 'os' : 'ws') : cfg.dataflow;
        const p = randomGemmProblem(cfg, shape, rng, { d: true, relu: cfg.signed });
        if (cfg.quantDepth > 0 && j % 2 === 0) p.requant = randomRequant(cfg, shape, rng);
        await expectExact(cfg, p, await runGemmEngine(name, cfg, df, p), `${label} ${JSON.stringify(shape)} ${df}`, {
          name,
          seed,
          testFile,
        });
      }
    });
  });
}
