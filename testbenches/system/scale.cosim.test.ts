// Arrays beyond 32 x 32 built and simulated (issue 26), in test:full (npm
// test's budget: the hierarchical build alone is about 75 s cold): a 48 x 48
// ws array, a mesh of 3 x 3 tiles built hierarchically, bit-exact and equal
// to the cycle model; tpu-v1 (ws 256 x 256) and os-256x256 on a
// 1024 x 1024 x 1024 GEMM in one pass, and the largest eie and rs arrays.
import { describe, expect, it } from 'vitest';
import { designByName } from '../registry.js';
import { Random } from '../../golden/common/random.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { utilization } from '../../golden/gemm/cycles.js';
import type { AnyDesign } from '../plugin.js';
import type { GemmConfig } from '../../golden/gemm/config.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { expectExact } from '../gemm/exact.js';
import type { GemmEngineResult } from '../gemm/sim.js';

const full = Boolean(process.env.ACCELFORGE_FULL);

/** A GEMM on ws or os: result, per-pass cycles and every counter against the exact models. */
async function gemmExact(name: 'ws' | 'os', cfg: GemmConfig, p: GemmProblem, what: string) {
  const d = designByName(name);
  const design = d.generate(cfg);
  const r = (await d.simulate(cfg, p, { design })) as GemmEngineResult;
  await expectExact(cfg, p, r, what, { name, seed: 0, testFile: 'testbenches/system/scale.cosim.test.ts' });
  return { design, r };
}

async function exact(d: AnyDesign, cfg: object, p: unknown) {
  const design = d.generate(cfg);
  const r = await d.simulate(cfg, p, { design });
  expect(d.firstMismatch(cfg, p, r)).toBeUndefined();
  const cyc = d.cycleCheck?.(cfg, p, r);
  if (cyc) expect(cyc.measured).toBe(cyc.model);
  return { design, r };
}

describe('arrays beyond 32 x 32', () => {
  it.runIf(full)(
    'ws 48 x 48 (3 x 3 tiles, hierarchical build; test:full only) is bit-exact with the model cycles',
    async () => {
      const ws = designByName('ws');
      const cfg = ws.parseConfig(
        { rows: 48, cols: 48, aDepth: 1024, bDepth: 1024, accDepth: 1024 },
        'test',
      ) as GemmConfig;
      // K = 130 and N = 70 leave partial array tiles (34 of 48 rows, 22 of 48 columns).
      const shape = { m: 100, k: 130, n: 70 };
      const p = randomGemmProblem(cfg, shape, new Random(48), { d: true, relu: true });
      // The quick build profile (-O1, split): the build dominates this short run.
      const saved = process.env.ACCELFORGE_BUILD_PROFILE;
      process.env.ACCELFORGE_BUILD_PROFILE = 'fast-build';
      const { design } = await gemmExact('ws', cfg, p, 'ws-48x48').finally(() => {
        if (saved === undefined) delete process.env.ACCELFORGE_BUILD_PROFILE;
        else process.env.ACCELFORGE_BUILD_PROFILE = saved;
      });
      expect(design.build?.hierarchical).toBe(true);
      expect(design.build?.blocks?.[0]?.params).toEqual([{ TileRows: 16, TileCols: 16 }]);
    },
  );

  it.runIf(full)(
    'tpu-v1 and os-256x256: a 1024^3 GEMM in one pass, bit-exact, model cycles (test:full only: two 6-minute builds)',
    async () => {
      for (const [name, preset] of [
        ['ws', 'tpu-v1'],
        ['os', 'os-256x256'],
      ] as const) {
        const cfg = designByName(name).presets[preset] as GemmConfig;
        const shape = { m: 1024, k: 1024, n: 1024 };
        const p = randomGemmProblem(cfg, shape, new Random(1024), { d: true });
        const { r } = await gemmExact(name, cfg, p, preset);
        expect(r.passes).toHaveLength(1);
        if (name === 'ws') expect(utilization(cfg, shape, r.cycles)).toBeGreaterThanOrEqual(0.95);
      }
    },
    3 * 3600_000,
  );

  it.runIf(full)(
    'eie with 256 PEs and rs 32 x 32 run random cases bit-exact (test:full only: long builds)',
    async () => {
      for (const [name, raw] of [
        ['eie', { pes: 256 }],
        ['rs', { peRows: 32, peCols: 32, glbBytes: 108 * 1024 }],
      ] as const) {
        const d = designByName(name);
        const cfg = d.parseConfig(raw, 'test');
        for (const seed of [1, 2]) await exact(d, cfg, d.randomCase(cfg, seed).problem);
      }
    },
    3 * 3600_000,
  );
});
