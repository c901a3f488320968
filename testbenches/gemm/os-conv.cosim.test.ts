// The os engine's native convolution against its golden model (the same
// numbers as ws: golden/gemm/conv.ts) and its exact models (os-conv.ts):
// ofmap, busy cycles, every counter of every pass, and the host's values.
import { describe, expect, it } from 'vitest';
import { randomGemmConvProblem } from '../../golden/gemm/conv-problem.js';
import { osPresets, parseOsConfig, type GemmConfig } from '../../golden/gemm/config.js';
import { Random } from '../../golden/common/random.js';
import { convGemm, convGeometry, convGolden, type GemmConvProblem } from '../../golden/gemm/conv.js';
import {
  osConvFit,
  osConvModel,
  osConvAccess,
  osConvPasses,
  osPassGeometry,
  type OsConvPass,
} from '../../golden/gemm/os-conv.js';
import { gemm, firstGemmMismatch } from '../../golden/common/gemm.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { runGemmEngine } from './sim.js';
import { testSeed } from '../support/cli.js';
import { gemmFailureArtifacts } from './failure.js';
import { testArtifactsDir } from '../support/failure.js';

const seed = testSeed();
console.log(`os conv seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

const full = !!process.env.ACCELFORGE_FULL;
const configs: [string, GemmConfig][] = [
  ['os-4x4', osPresets['os-4x4']!],
  ...(full
    ? ([
        // Small buffers: channel groups that accumulate, bands of output rows, one filter tile a pass.
        ['3x2 small buffers', parseOsConfig({ rows: 3, cols: 2, aDepth: 60, bDepth: 20, accDepth: 12 })],
        ['1x3 unsigned 4-bit', parseOsConfig({ rows: 1, cols: 3, signed: false, dataWidth: 4, accWidth: 10 })],
        ['5x3 both', parseOsConfig({ rows: 5, cols: 3, dataflow: 'both', aDepth: 301 })],
      ] as [string, GemmConfig][])
    : []),
];

/** A random layer that fits, half of them within a random budget of buffer rows (so they run in passes). */
function layer(cfg: GemmConfig, rng: Random): GemmConvProblem {
  for (;;) {
    let p = randomGemmConvProblem(cfg, rng);
    if (rng.bool()) p = { ...p, buffers: { a: rng.int(8, 200), b: rng.int(9, 60), acc: rng.int(9, 60) } };
    if (!osConvFit(cfg, convGeometry(cfg, p))) return p;
  }
}

describe('os native convolution', () => {
  for (const [label, cfg] of configs) {
    it(
      `${label}: 6 random layers bit-exact, cycles and counters equal to the models`,
      { timeout: 300_000 },
      async () => {
        const rng = new Random(seed);
        for (let i = 0; i < 6; i++) {
          const p = layer(cfg, rng);
          const g = convGeometry(cfg, p);
          const what = `${label} case ${i} (seed ${seed}): ${show({ ...g, budget: p.buffers })}`;
          const r = await runGemmEngine('os', cfg, 'os', p, { stallPermille: [0, 300][i % 2], seed: i });
          expect(show(r.conv!.ofmap), what).toBe(show(convGolden(cfg, p)));
          const model = osConvModel(cfg, g, p.bias !== undefined);
          expect(r.cycles, what).toBe(model.cycles);
          expect(r.counters, what).toEqual(model.counters);
          expect(r.dramValues, what).toBe(model.dramValues);
          const passes = osConvPasses(cfg, g) as OsConvPass[];
          expect(r.perPass, what).toEqual(
            passes.map((ps) => osConvAccess(cfg, osPassGeometry(g, ps), p.bias !== undefined)),
          );
        }
      },
    );
  }

  it('Icarus runs one layer to the same ofmap and cycles', { timeout: 300_000 }, async () => {
    const cfg = osPresets['os-4x4']!;
    const rng = new Random(seed + 1);
    let p = layer(cfg, rng);
    while (convGeometry(cfg, p).S <= convGeometry(cfg, p).U) p = layer(cfg, rng); // steps that read two rows
    const r = await runGemmEngine('os', cfg, 'os', p, { sim: 'icarus' });
    expect(show(r.conv!.ofmap)).toBe(show(convGolden(cfg, p)));
    expect(r.cycles).toBe(osConvModel(cfg, convGeometry(cfg, p), p.bias !== undefined).cycles);
  });

  it(
    'a flipped product bit in PE (2, 1) is caught on a convolution, in a pixel of that row',
    { timeout: 300_000 },
    async () => {
      const cfg = osPresets['os-4x4']!;
      const rng = new Random(12);
      let p = randomGemmConvProblem(cfg, rng);
      while (convGeometry(cfg, p).F < 3 || convGeometry(cfg, p).M < 2 || osConvFit(cfg, convGeometry(cfg, p)))
        p = randomGemmConvProblem(cfg, rng);
      const design = generateGemm('os', cfg, { fault: { pe: [2, 1], bit: 1 } });
      const r = await runGemmEngine('os', cfg, 'os', p, { design, traceFormat: 'vcd' });
      const bad = firstGemmMismatch(gemm(cfg, convGemm(cfg, p)), r.c, r.cCycle);
      expect(bad, 'the fault must change the result').toBeDefined();
      const g = convGeometry(cfg, p);
      expect(bad!.j % cfg.cols).toBe(1);
      expect((bad!.i % g.F) % cfg.rows).toBe(2);
      // The failure report names the PE and finds its wrong sum in the waveform.
      const a = await gemmFailureArtifacts(
        {
          cfg,
          name: 'os',
          configArg: 'os-4x4',
          problem: p,
          result: r,
          design,
          reproduce: 'test',
          dir: testArtifactsDir('os-conv-fault'),
          fst: false,
        },
        bad!,
      );
      expect(a.findings[0]).toContain('PE (2, 1)');
      expect(a.findings.join('\n')).toContain('summed wrongly');
    },
  );
});
