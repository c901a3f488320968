// The rs engine against the golden convolution (bit-exact), the cycle model
// (exact) and the access model (every counter exact), on rs-4x4, rs-4x4-int8
// (the output stage) and eyeriss in test:full.
// Random cases print their seed; ACCELFORGE_SEED=<n> replays.
import { beforeAll, describe, expect, it } from 'vitest';
import { rsPresets, type RsConfig } from '../../golden/rs/config.js';
import { conv, convShape, type ConvProblem } from '../../golden/rs/golden.js';
import { mapConv } from '../../golden/rs/mapper.js';
import { rsAccesses, rsEnergy } from '../../golden/rs/access.js';
import { rsCycles, rsSchedule } from '../../golden/rs/cycles.js';
import { type RsMapping } from '../../golden/rs/contract.js';
import { Random } from '../../golden/common/random.js';
import { buildRsEngine, runRs, type RsRunResult } from './sim.js';
import { rsCase } from './check.js';
import { firstRsMismatch, rsFailureArtifacts } from './failure.js';
import { failWithArtifacts, registerFailureCapture, testArtifactsDir } from '../support/failure.js';
import { configHash } from '../../generators/common/render.js';
import { randomConvProblem, type ConvSpec } from '../../golden/rs/problem.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`rs seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
registerFailureCapture();

/** Bit-exact (a mismatch leaves failure artifacts and JUnit annotations), then every counter. */
async function expectExact(cfg: RsConfig, p: ConvProblem, r: RsRunResult, what: string) {
  const bad = firstRsMismatch(cfg, p, r);
  if (bad)
    await failWithArtifacts(
      () =>
        rsFailureArtifacts(
          {
            cfg,
            configArg: what,
            problem: p,
            result: r,
            seed,
            reproduce: `ACCELFORGE_SEED=${seed} npx vitest run testbenches/rs/sim.cosim.test.ts`,
            dir: testArtifactsDir(`rs-${what}`),
          },
          bad,
        ),
      { seed, configHash: configHash('rs', cfg), cycle: bad.cycle },
    );
  expect(r.counters, `${what} counters`).toEqual(rsAccesses(cfg, r.mapping, convShape(p), p.bias !== undefined));
}

const configs: { name: string; cfg: RsConfig; cases: number }[] = [
  { name: 'rs-4x4', cfg: rsPresets['rs-4x4']!, cases: 8 },
  // The output stage: two cases in three requantized in write-back.
  { name: 'rs-4x4-int8', cfg: rsPresets['rs-4x4-int8']!, cases: 8 },
  // The 168-PE preset's build (about 3 minutes cold) in test:full; the AlexNet benchmark runs it too.
  ...(process.env.ACCELFORGE_FULL ? [{ name: 'eyeriss', cfg: rsPresets.eyeriss!, cases: 4 }] : []),
];

for (const { name, cfg, cases } of configs) {
  describe(`rs ${name}`, () => {
    beforeAll(async () => {
      await buildRsEngine(cfg);
    });

    it(`is bit-exact, cycle-exact and counter-exact on random layers (seed ${seed})`, async () => {
      for (let i = 0; i < cases; i++) {
        const c = rsCase(cfg, seed + i);
        // The DRAM compares results as they are written (a wrong one stops the run).
        const want = conv(cfg.accWidth, c.problem);
        const r = await runRs(cfg, c.problem, { expect: want });
        await expectExact(cfg, c.problem, r, `${name} seed ${c.seed} ${c.describe}`);
        // The same layer loaded pass by pass (a prefetch mapping also fits whole spads).
        if (r.mapping.prefetch) {
          const serial = await runRs(cfg, c.problem, {
            expect: want,
            mapping: { ...r.mapping, prefetch: 0, ifAhead: 0 },
          });
          await expectExact(cfg, c.problem, serial, `${name} seed ${c.seed} ${c.describe} without prefetch`);
        }
      }
    });

    it('folds filter rows, channels, filters and output rows beyond the array; strides 1-4 (also past S); padding 0-2', async () => {
      const rng = new Random(seed ^ 0x55);
      const specs: ConvSpec[] = [
        // R > peRows on rs-4x4 (row folds through the buffer), C and M primes, bias + ReLU.
        { N: 1, C: 5, H: 9, W: 7, M: 7, R: 5, S: 3, stride: 1, padding: 1, bias: true, relu: true },
        // E > peCols (strips), stride 2, padding 2.
        { N: 2, C: 3, H: 13, W: 6, M: 3, R: 3, S: 3, stride: 2, padding: 2, bias: true },
        // stride 4 = S, 1 x S filters.
        { N: 1, C: 2, H: 5, W: 17, M: 11, R: 1, S: 4, stride: 4, padding: 0 },
        // many channels and filters (several groups of each), 1 x 1 filters.
        { N: 1, C: 29, H: 3, W: 3, M: 31, R: 1, S: 1, stride: 1, padding: 0, relu: true },
        // S at the ifmap spad limit (12 taps: one ring of S), R over the rows, stride 4.
        { N: 1, C: 2, H: 12, W: 14, M: 3, R: 9, S: cfg.ifmapSpad, stride: 4, padding: 1, bias: true, relu: true },
        // Strides past the filter width: 1 x 1 stride 2 (a ResNet projection) and S = 1, U = 4.
        { N: 2, C: 6, H: 9, W: 11, M: 5, R: 1, S: 1, stride: 2, padding: 0, bias: true },
        { N: 1, C: 3, H: 13, W: 17, M: 4, R: 1, S: 1, stride: 4, padding: 0, relu: true },
        { N: 1, C: 2, H: 11, W: 12, M: 3, R: 3, S: 2, stride: 3, padding: 1, bias: true },
      ];
      for (const s of specs) {
        const p = randomConvProblem(cfg, s, rng);
        await expectExact(cfg, p, await runRs(cfg, p), `${name} ${JSON.stringify(s)}`);
      }
    });
  });
}

describe('rs load modes', () => {
  const cfg = rsPresets['rs-4x4']!;
  async function modes(spec: ConvSpec, variants: Pick<RsMapping, 'prefetch' | 'ifAhead'>[]) {
    const p = randomConvProblem(cfg, spec, new Random(seed ^ 0x77));
    const base = mapConv(cfg, convShape(p), spec.bias === true);
    const cycles: number[] = [];
    for (const v of variants) {
      const r = await runRs(cfg, p, { mapping: { ...base, ...v }, expect: conv(cfg.accWidth, p) });
      await expectExact(cfg, p, r, `rs-4x4 ${JSON.stringify(v)}`);
      cycles.push(r.cycles);
    }
    return cycles;
  }
  it('loads pass by pass (whole spads) or a pass ahead (halves): same ofmap, each cycle- and counter-exact', async () => {
    // R > peRows and C > 1: ten passes per group, the last row fold partial.
    const c = await modes({ N: 1, C: 5, H: 9, W: 7, M: 7, R: 5, S: 3, stride: 1, padding: 1, bias: true }, [
      { prefetch: 0, ifAhead: 0 },
      { prefetch: 1, ifAhead: 0 },
    ]);
    expect(c[1]).toBeLessThan(c[0]!);
  });
  it('hides write-back under the next filter group, or waits for it: both exact', async () => {
    // Many channels: each group computes longer than its write-back. One
    // channel and 1 x 1 filters: write-back is the longer, groups wait.
    const hidden: ConvSpec = { N: 1, C: 7, H: 6, W: 6, M: 9, R: 3, S: 3, stride: 1, padding: 1, bias: true };
    const waits: ConvSpec = { N: 2, C: 1, H: 5, W: 9, M: 13, R: 1, S: 1, stride: 1, padding: 0, relu: true };
    for (const [spec, wait] of [
      [hidden, false],
      [waits, true],
    ] as const) {
      const p = randomConvProblem(cfg, spec, new Random(seed ^ 0x99));
      const sh = convShape(p);
      const m = mapConv(cfg, sh, spec.bias === true);
      expect(sh.N * m.strips * m.mGroups, 'several filter groups').toBeGreaterThan(1);
      expect(rsSchedule(cfg, m, sh, spec.bias === true).wbWait > 0, JSON.stringify(spec)).toBe(wait);
      await expectExact(
        cfg,
        p,
        await runRs(cfg, p, { expect: conv(cfg.accWidth, p) }),
        `rs-4x4 write-back ${wait ? 'waits' : 'hidden'}`,
      );
    }
  });
  it("delivers the next pass's first ifmap column ahead: same ofmap, each cycle- and counter-exact", async () => {
    const c = await modes({ N: 2, C: 8, H: 6, W: 7, M: 7, R: 3, S: 3, stride: 1, padding: 1, bias: true, relu: true }, [
      { prefetch: 0, ifAhead: 0 },
      { prefetch: 1, ifAhead: 0 },
      { prefetch: 1, ifAhead: 1 },
    ]);
    expect(c[1]).toBeLessThan(c[0]!);
    expect(c[2]).toBeLessThan(c[1]!);
  });
});

describe('rs with a slow DRAM', () => {
  it('gives the same ofmap when reads take 5 cycles (the model assumes 1)', async () => {
    const cfg = rsPresets['rs-4x4']!;
    const p = rsCase(cfg, seed + 100).problem;
    const fast = await runRs(cfg, p);
    const slow = await runRs(cfg, p, { dramLatency: 5 });
    expect(slow.ofmap).toEqual(fast.ofmap);
    expect(slow.cycles).toBeGreaterThan(fast.cycles);
    expect(slow.counters.macs).toBe(fast.counters.macs);
  });
});

describe('rs mapper and input', () => {
  const cfg = rsPresets['rs-4x4']!;
  it('minimizes energy when asked: less Eyeriss-model energy for more cycles, still exact in the RTL', async () => {
    const spec: ConvSpec = { N: 1, C: 9, H: 10, W: 10, M: 13, R: 3, S: 3, stride: 1, padding: 1, bias: true };
    const p = randomConvProblem(cfg, spec, new Random(seed ^ 0x33));
    const sh = convShape(p);
    const fast = mapConv(cfg, sh, true),
      frugal = mapConv(cfg, sh, true, 'energy');
    const energy = (m: RsMapping) => rsEnergy(rsAccesses(cfg, m, sh, true)).total;
    expect(energy(frugal)).toBeLessThan(energy(fast));
    expect(rsCycles(cfg, frugal, sh, true)).toBeGreaterThan(rsCycles(cfg, fast, sh, true));
    await expectExact(
      cfg,
      p,
      await runRs(cfg, p, { mapping: frugal, expect: conv(cfg.accWidth, p) }),
      'rs-4x4 energy objective',
    );
  });
});
