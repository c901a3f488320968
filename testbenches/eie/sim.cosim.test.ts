// The EIE engine against the golden model (bit-exact) and the cycle model
// (exact), over PE counts 1, 3, 4 (and 64 in test:full), FIFO depths 1, 2 and 8, wrapping
// accumulators and the encoding's edge cases. Random cases print their seed;
// ACCELFORGE_SEED=<n> replays.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEieConfig, eiePresets, type EieConfig } from '../../golden/eie/config.js';
import type { EieLayer } from '../../golden/eie/golden.js';
import { encodeCsc } from '../../golden/eie/format.js';
import { Random } from '../../golden/common/random.js';
import { buildEieEngine, runEie, type EieRunResult } from './sim.js';
import { eieCase, eieExpected, firstEieMismatch } from './check.js';
import { randomEieProblem, type EieProblem } from '../../golden/eie/problem.js';
import { testSeed } from '../support/cli.js';
import { failWithArtifacts, registerFailureCapture, testArtifactsDir } from '../support/failure.js';
import { eieFailureArtifacts } from './failure.js';
import { eieAccess } from '../../golden/eie/access.js';
import { layoutEie } from '../../golden/eie/layout.js';
import { configHash } from '../../generators/common/render.js';

const seed = testSeed();
console.log(`eie seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
registerFailureCapture();

/** Bit-exact, cycle-exact, and the counters the encoding predicts. */
/** `run`: the seed and host stalls the run used, so a failure's traced re-run repeats it. */
async function expectExact(
  cfg: EieConfig,
  p: EieProblem,
  r: EieRunResult,
  what: string,
  run: { seed?: number; stallPermille?: number } = {},
) {
  const m = eieExpected(cfg, p);
  const bad = firstEieMismatch(m.out, r.b, r.bCycle);
  if (bad)
    await failWithArtifacts(
      () =>
        eieFailureArtifacts(
          {
            cfg,
            configArg: what,
            problem: p,
            result: r,
            ...run,
            reproduce: `ACCELFORGE_SEED=${seed} npx vitest run testbenches/eie/sim.cosim.test.ts`,
            dir: testArtifactsDir(`eie-${what}`),
          },
          bad,
        ),
      { seed, configHash: configHash('eie', cfg), cycle: r.marks.done },
    );
  expect(bad, `${what}: ${JSON.stringify(bad, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`).toBeUndefined();
  expect(r.layerCycles, `${what} layer cycles`).toEqual(m.cycles.layerCycles);
  expect(r.cycles).toBe(m.cycles.cycles);
  expect(r.broadcasts).toBe(m.cycles.broadcasts);
  expect(r.queueFullStalls).toBe(m.cycles.queueFullStalls);
  expect(r.pes.map((c) => c.busy)).toEqual(m.cycles.busy);
  // Entries walked: real ones and padding, over the columns of nonzero activations.
  for (let k = 0; k < cfg.pes; k++) {
    let real = 0,
      pad = 0;
    m.layers.forEach((l) => {
      for (const j of l.nonzero) {
        for (let e = l.pes[k]!.p[j]!; e < l.pes[k]!.p[j + 1]!; e++) {
          if (l.pes[k]!.v[e] === 0) pad++;
          else real++;
        }
      }
    });
    expect(r.pes[k]!.entries, `${what} PE ${k} entries`).toBe(real);
    expect(r.pes[k]!.padding, `${what} PE ${k} padding`).toBe(pad);
  }
  // Every access counter, from the access model (golden/eie/access.ts).
  const acc = eieAccess(cfg, m.layers, layoutEie(cfg, p).entryBase).pes;
  expect(
    r.pes.map((c) => ({
      ptrReads: c.ptrReads,
      matReads: c.matReads,
      biasReads: c.biasReads,
      rfReads: c.rfReads,
      rfWrites: c.rfWrites,
      cbReads: c.cbReads,
    })),
    `${what} access counters`,
  ).toEqual(acc);
}

const configs: { name: string; cfg: EieConfig; cases: number }[] = [
  { name: '1 PE, FIFO 1', cfg: parseEieConfig({ pes: 1, fifoDepth: 1, rowsPerPe: 96 }), cases: 6 },
  {
    name: '3 PEs, FIFO 2, 20-bit acc',
    cfg: parseEieConfig({ pes: 3, fifoDepth: 2, rowsPerPe: 32, accWidth: 20 }),
    cases: 6,
  },
  { name: 'eie-4pe', cfg: eiePresets['eie-4pe']!, cases: 6 },
  // The 64-PE preset's build (about 2.5 minutes cold) in test:full; the benchmarks run it too.
  ...(process.env.ACCELFORGE_FULL ? [{ name: 'eie-64pe', cfg: eiePresets['eie-64pe']!, cases: 3 }] : []),
];

for (const { name, cfg, cases } of configs) {
  describe(`eie ${name} ${JSON.stringify(cfg)}`, () => {
    beforeAll(async () => {
      await buildEieEngine(cfg);
    });

    it(`is bit-exact and cycle-exact on random chains of 1-3 layers (seed ${seed})`, async () => {
      for (let i = 0; i < cases; i++) {
        const c = eieCase(cfg, seed + i);
        const r = await runEie(cfg, c.problem, { stallPermille: c.stallPermille, seed: c.seed });
        await expectExact(cfg, c.problem, r, `${name} seed ${c.seed} ${c.describe}`, {
          seed: c.seed,
          stallPermille: c.stallPermille,
        });
      }
    });

    it('handles all-zero activations, one-row and one-column layers, rows not a multiple of the PEs', async () => {
      const rng = new Random(seed ^ 0x77);
      const cap = cfg.pes * cfg.rowsPerPe;
      const shapes = [
        { cols: Math.min(20, cap), specs: [{ rows: 1, weightDensity: 0.9, bias: true }], act: 1 }, // every entry hits row 0
        { cols: 1, specs: [{ rows: Math.min(cap, 2 * cfg.pes + 1), weightDensity: 0.8 }], act: 1 },
        {
          cols: Math.min(30, cap),
          specs: [{ rows: Math.min(cap, 3 * cfg.pes + 1), weightDensity: 0.5, bias: true, relu: true }],
          act: 0,
        },
        {
          cols: Math.min(25, cap),
          specs: [
            { rows: 2, weightDensity: 1 },
            { rows: Math.min(cap, cfg.pes + 2), weightDensity: 0.7 },
          ],
          act: 1,
        },
      ];
      for (const s of shapes) {
        const p = randomEieProblem(cfg, s.cols, s.specs, s.act, rng);
        await expectExact(cfg, p, await runEie(cfg, p), `${name} ${JSON.stringify(s)}`);
      }
    });
  });
}

describe('eie encoding edge cases in RTL (1 PE, 4-bit z)', () => {
  const cfg = parseEieConfig({ pes: 1, fifoDepth: 2, rowsPerPe: 96 });
  const cb = [0n, 1000n, -2000n, 3n, 32767n, -32768n, 7n, 8n, 9n, 10n, 11n, 12n, 13n, 14n, 15n, 16n];

  it('runs of exactly 15, 16, 17 and 32 zeros, empty and single-entry columns', async () => {
    // Column j has its nonzeros at the listed rows; rows = 80.
    const colRows = [[15], [16], [17], [0, 33], [], [5], [0, 16, 33, 50, 79], [79], [], [1, 2, 3]];
    const rows = 80;
    const index = Array.from({ length: rows }, (_, i) => colRows.map((rs, j) => (rs.includes(i) ? (j % 15) + 1 : 0)));
    const layer: EieLayer = {
      codebook: cb,
      index,
      shift: 1,
      bias: Array.from({ length: rows }, (_, i) => BigInt(i - 40)),
    };
    const p = { activations: colRows.map((_, j) => BigInt(j * 300 - 1000)), layers: [layer] };
    const enc = encodeCsc(index, 1, 4)[0]!;
    expect(enc.z.slice(enc.p[0], enc.p[1])).toEqual([15]);
    expect(enc.z.slice(enc.p[1], enc.p[2])).toEqual([15, 0]);
    expect(enc.z.slice(enc.p[2], enc.p[3])).toEqual([15, 1]);
    expect(enc.z.slice(enc.p[3], enc.p[4])).toEqual([0, 15, 15, 0]);
    const r = await runEie(cfg, p);
    await expectExact(cfg, p, r, 'edge columns');
    expect(r.pes[0]!.padding).toBeGreaterThan(0);
  });

  it('wraps the accumulator at accWidth before saturating', async () => {
    const c16 = parseEieConfig({ pes: 2, fifoDepth: 2, rowsPerPe: 8, accWidth: 16 });
    // 4 x 32767 * 32767 >> 0 overflows 16 bits many times over.
    const layer: EieLayer = {
      codebook: cb,
      index: [
        [4, 4, 4, 4],
        [5, 5, 4, 4],
        [1, 2, 3, 0],
      ],
      shift: 0,
    };
    const p = { activations: [32767n, -32768n, 32767n, 12345n], layers: [layer] };
    const r = await runEie(c16, p);
    await expectExact(c16, p, r, 'wrap 16');
  });
});

describe('eie with one entry per matrix line', () => {
  // Found by the configuration property test: with entriesPerLine = 1 the
  // walker took the line as entry >> 1 and the slot as the entry's low bit,
  // so every second entry of a column was read from the wrong place.
  it('reads every entry of multi-entry columns (1 and 3 PEs), bit- and cycle-exact', async () => {
    for (const pes of [1, 3]) {
      const cfg = parseEieConfig({ ...eiePresets['eie-4pe']!, pes, entriesPerLine: 1, rowsPerPe: 8 });
      for (let i = 0; i < 3; i++) {
        const c = eieCase(cfg, 1000 + i);
        const r = await runEie(cfg, c.problem, { seed: c.seed });
        await expectExact(cfg, c.problem, r, `entriesPerLine 1, ${pes} PEs, ${c.describe}`);
      }
    }
  });
});

describe('eie limits', () => {
  const cfg = eiePresets['eie-4pe']!;
  it('refuses memories too small for the layers', async () => {
    const small = parseEieConfig({ pes: 1, rowsPerPe: 64, matDepth: 2 });
    const p = randomEieProblem(small, 40, [{ rows: 64, weightDensity: 0.5 }], 1, new Random(1));
    await expect(runEie(small, p)).rejects.toThrow(/PE 0 needs \d+ sparse-matrix lines .*matDepth is 2/);
  });
  it('gives the same result and cycles whatever the host timing', async () => {
    const p = randomEieProblem(cfg, 50, [{ rows: 30, weightDensity: 0.4, bias: true }], 0.5, new Random(seed));
    const a = await runEie(cfg, p);
    const b = await runEie(cfg, p, { stallPermille: 600, seed: 3 });
    expect(b.b).toEqual(a.b);
    expect(b.cycles).toBe(a.cycles);
    expect(b.hostCycles).toBeGreaterThan(a.hostCycles);
  });
});

describe('eie batched runs', () => {
  it('runs several inputs through the same loaded layers, each bit-exact and cycle-exact', async () => {
    const { runEieBatch } = await import('./sim.js');
    const { randomActivations } = await import('../../golden/eie/problem.js');
    const { eieExpected } = await import('./check.js');
    const cfg = eiePresets['eie-4pe']!;
    const rng = new Random(seed ^ 0x99);
    const p = randomEieProblem(
      cfg,
      50,
      [
        { rows: 40, weightDensity: 0.3, bias: true, relu: true },
        { rows: 12, weightDensity: 0.5 },
      ],
      0.5,
      rng,
    );
    const inputs = [
      p.activations,
      randomActivations(50, 0.3, rng),
      Array<bigint>(50).fill(0n),
      randomActivations(50, 1, rng),
    ];
    const r = await runEieBatch(cfg, p, inputs);
    expect(r.runs).toHaveLength(4);
    inputs.forEach((a, k) => {
      const want = eieExpected(cfg, { ...p, activations: a });
      expect(r.runs[k]!.b, `input ${k}`).toEqual(want.out);
      expect(r.runs[k]!.cycles, `input ${k} cycles`).toBe(want.cycles.cycles);
    });
  });
});
