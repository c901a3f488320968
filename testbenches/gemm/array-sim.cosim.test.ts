// Co-simulation of the ws array against the golden model over configs that
// stress the corners: 1 x 1, R != C, 2- and 16-bit data, unsigned, wrapping
// accumulators. Random cases print their seed; ACCELFORGE_SEED=<n> replays.
import { describe, expect, it, beforeAll } from 'vitest';
import { parseWsConfig, type GemmConfig as WsConfig } from '../../golden/gemm/config.js';
import { firstGemmMismatch, gemm } from '../../golden/common/gemm.js';
import { range } from '../../golden/common/numerics.js';
import { Random } from '../../golden/common/random.js';
import { buildWs, runWs } from './array-sim.js';
import { gemmCase as wsCase } from '../../golden/gemm/problem.js';
import { testSeed } from '../support/cli.js';
import { failWithArtifacts, registerFailureCapture, testArtifactsDir } from '../support/failure.js';
import { wsArrayFailureArtifacts } from './array-failure.js';
import { configHash } from '../../generators/common/render.js';

const seed = testSeed();
console.log(`ws co-simulation seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
registerFailureCapture();

const configs: { name: string; cfg: WsConfig; cases: number }[] = [
  { name: 'ws-4x4 preset', cfg: parseWsConfig({ rows: 4, cols: 4 }), cases: 12 },
  { name: '1x1', cfg: parseWsConfig({ rows: 1, cols: 1, dataWidth: 8, accWidth: 16 }), cases: 8 },
  {
    name: '2x3 2-bit data, 4-bit acc (wraps)',
    cfg: parseWsConfig({ rows: 2, cols: 3, dataWidth: 2, accWidth: 4 }),
    cases: 10,
  },
  {
    name: '3x2 16-bit unsigned',
    cfg: parseWsConfig({ rows: 3, cols: 2, dataWidth: 16, accWidth: 32, signed: false }),
    cases: 8,
  },
  { name: '5x3 16-bit, 48-bit acc', cfg: parseWsConfig({ rows: 5, cols: 3, dataWidth: 16, accWidth: 48 }), cases: 6 },
  // 0xffff * 0xffff overflowed C++ int in Verilator 5.006's model without -fwrapv.
  {
    name: '3x3 16-bit unsigned, 48-bit acc',
    cfg: parseWsConfig({ rows: 3, cols: 3, dataWidth: 16, accWidth: 48, signed: false }),
    cases: 4,
  },
  {
    name: '4x6 4-bit unsigned, 8-bit acc (wraps)',
    cfg: parseWsConfig({ rows: 4, cols: 6, dataWidth: 4, accWidth: 8, signed: false }),
    cases: 6,
  },
];

for (const { name, cfg, cases } of configs) {
  describe(`ws ${name} ${JSON.stringify(cfg)}`, () => {
    beforeAll(async () => {
      await buildWs(cfg);
    });

    it(`matches golden on ${cases} random GEMMs (seed ${seed})`, async () => {
      for (let i = 0; i < cases; i++) {
        const c = wsCase(cfg, seed + i);
        const bubbles = [0, 100, 400][i % 3]!;
        const r = await runWs(cfg, c.problem, { bubblePermille: bubbles, seed: c.seed });
        const bad = firstGemmMismatch(gemm(cfg, c.problem), r.c);
        if (bad) {
          await failWithArtifacts(
            () =>
              wsArrayFailureArtifacts(
                {
                  cfg,
                  configArg: name,
                  problem: c.problem,
                  result: r,
                  stallPermille: bubbles,
                  seed: c.seed,
                  reproduce: `ACCELFORGE_SEED=${seed} npx vitest run testbenches/gemm/array-sim.cosim.test.ts`,
                  dir: testArtifactsDir(`ws-array-${name}-seed${c.seed}`),
                },
                bad,
              ),
            { seed: c.seed, configHash: configHash('ws', cfg) },
          );
        }
      }
    });

    it('handles M, N, K that are not multiples of the array, back to back and with bubbles', async () => {
      const rng = new Random(seed ^ 0x5a5a);
      const shape = { m: 2 * cfg.rows + 3, k: 2 * cfg.rows + 1, n: 2 * cfg.cols + 1 };
      const dl = range(cfg.dataWidth, cfg.signed);
      const mat = (r: number, c: number) =>
        Array.from({ length: r }, () => Array.from({ length: c }, () => rng.bigintIn(dl.min, dl.max)));
      const p = { a: mat(shape.m, shape.k), b: mat(shape.k, shape.n) };
      const dense = await runWs(cfg, p);
      const sparse = await runWs(cfg, p, { bubblePermille: 500, seed: 7 });
      const want = gemm(cfg, p);
      expect(dense.c).toEqual(want);
      expect(sparse.c).toEqual(want);
      expect(dense.bubbles).toBe(0);
      expect(sparse.bubbles).toBeGreaterThan(0);
      // Bubbles cost exactly one cycle each; the back-to-back run is the floor.
      expect(sparse.cycles).toBe(dense.cycles + sparse.bubbles);
      // Tiles = ceil(K/R) * ceil(N/C), each: R load cycles, M rows in, and the
      // last row's result R + C - 2 edges after it entered (SCALE-Sim's 2R + C + M - 2).
      const tiles = Math.ceil(shape.k / cfg.rows) * Math.ceil(shape.n / cfg.cols);
      expect(dense.tiles).toBe(tiles);
      expect(dense.cycles).toBe(tiles * (2 * cfg.rows + cfg.cols + shape.m - 2));
    });

    it('wraps at accWidth exactly like numerics.md with extreme operands', async () => {
      const dl = range(cfg.dataWidth, cfg.signed);
      const al = range(cfg.accWidth, cfg.signed);
      const k = 3 * cfg.rows + 2;
      const a = [Array(k).fill(dl.min), Array(k).fill(dl.max), Array(k).fill(dl.min)];
      const b = Array.from({ length: k }, () => Array(cfg.cols + 1).fill(dl.min));
      const d = [Array(cfg.cols + 1).fill(al.max), Array(cfg.cols + 1).fill(al.min), Array(cfg.cols + 1).fill(0n)];
      const r = await runWs(cfg, { a, b, d });
      expect(r.c).toEqual(gemm(cfg, { a, b, d }));
    });

    if (cfg.signed) {
      it('applies ReLU only to the final result', async () => {
        // Row 0 is negative after the first K-fold but positive at the end; row 1 the reverse.
        const k = cfg.rows + 1;
        const a = [
          [-1n, ...Array(k - 1).fill(1n)],
          [1n, ...Array(k - 1).fill(-1n)],
        ];
        const b = Array.from({ length: k }, (_, i) => Array(cfg.cols).fill(i === 0 ? 1n : 1n));
        const r = await runWs(cfg, { a, b, relu: true });
        const want = gemm(cfg, { a, b, relu: true });
        expect(r.c).toEqual(want);
        expect(want[1]!.every((v) => v === 0n)).toBe(true);
        expect(want[0]!.every((v) => v === BigInt(k - 2))).toBe(true);
      });
    }
  });
}
