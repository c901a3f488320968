// The schemas of the run results the report reads (verify, sweep, model,
// compress, compare): the fields it draws, checked with zod before any is
// used, so a damaged file is refused by field instead of drawn as
// "undefined" or NaN. Other fields pass through unchecked.
import { z } from 'zod';

import { nums } from '../../golden/common/schema.js';

const { num, nonNeg, int, pos, frac } = nums;

const failure = z.looseObject({
  kind: z.enum(['mismatch', 'cycles', 'counters']),
  message: z.string(),
  reproduce: z.string(),
  artifacts: z.string().optional(),
  element: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
});
const verifyCase = z.looseObject({
  index: pos,
  seed: int,
  describe: z.string(),
  passed: z.boolean(),
  cycles: int,
  modelCycles: int.optional(),
  failure: failure.optional(),
});
const ratio = z.looseObject({ covered: int, total: int }).refine((r) => r.covered <= r.total, {
  message: 'covered exceeds total',
});
const coverage = z.looseObject({
  lines: ratio,
  toggles: ratio,
  modules: z.array(
    z.looseObject({
      module: z.string(),
      file: z.string(),
      lines: ratio,
      toggles: ratio,
      uncoveredLines: z.array(z.looseObject({ line: int, what: z.string() })),
      uncoveredToggles: z.array(z.looseObject({ line: int, signal: z.string() })),
    }),
  ),
});
export const verifyReport = z
  .looseObject({
    design: z.string(),
    config: z.string(),
    configHash: z.string(),
    fault: z.string().optional(),
    seed: int,
    passed: int,
    failed: int,
    cases: z.array(verifyCase),
    coverage: coverage.optional(),
    functional: z
      .looseObject({
        covered: int,
        total: int,
        bins: z.array(z.looseObject({ name: z.string(), doc: z.string(), cases: z.array(int) })),
      })
      .optional(),
  })
  .refine((v) => v.cases.every((c) => c.passed || c.failure), {
    message: 'a failed case needs its failure',
    path: ['cases'],
  });

export const sweepReport = z.looseObject({
  design: z.string(),
  coverage: coverage.optional(),
  shard: z.tuple([pos, pos]),
  total: int,
  skipped: int,
  cases: z.array(
    z.looseObject({
      index: int,
      name: z.string(),
      config: z.record(z.string(), z.union([num, z.boolean(), z.string()])),
      passed: z.boolean(),
      seconds: nonNeg,
      log: z.array(z.string()),
      failures: z.array(verifyCase).optional(),
    }),
  ),
});

export const modelReport = z.looseObject({
  design: z.string(),
  config: z.string(),
  model: z.string(),
  imageIds: z.array(int).min(1),
  floatAccuracy: frac,
  quantizedAccuracy: frac,
  accuracy: frac,
  layers: z.array(
    z.looseObject({
      name: z.string(),
      shape: z.string(),
      macs: int,
      cycles: int,
      utilization: frac,
      mapping: z.string(),
    }),
  ),
  cycles: int,
  simSeconds: nonNeg,
  wallSeconds: nonNeg,
});

const bytes = z.looseObject({
  head: int,
  codes: int,
  index: int,
  pointers: int,
  codebook: int,
  bias: int,
  tables: int,
  total: int,
});
export const compressReport = z.looseObject({
  model: z.string(),
  recipe: z.looseObject({ bits: pos, indexBits: pos }),
  layers: z.array(z.looseObject({ name: z.string(), weights: int, kept: int, density: frac, bytes })),
  totals: z.looseObject({
    weights: int,
    kept: int,
    density: frac,
    denseBytes: int,
    containerBytes: int,
    headerBytes: int,
    networkBytes: int,
    pointerBytes: int,
    fixedWidthBytes: int,
  }),
  ratios: z.looseObject({ container: nonNeg, withoutPointers: nonNeg, fixedWidth: nonNeg }),
  accuracy: z.looseObject({ float: frac, compressed: frac }),
  validation: z.looseObject({ float: frac, pruned: frac, compressed: frac }),
  bitsTable: z.array(z.looseObject({ bits: pos, accuracy: frac })),
  seconds: nonNeg,
});

const searchRatio = z.looseObject({ float: frac, pruned: frac, compressed: frac });
export const compressSearchReport = z.looseObject({
  model: z.string(),
  rule: z.string(),
  candidates: z
    .array(
      z.looseObject({
        densities: z.record(z.string(), frac),
        recipe: z.looseObject({ steps: pos, epochsPerStep: int, finalEpochs: int, finetuneEpochs: int }),
        containerBytes: pos,
        ratio: nonNeg,
        validation: searchRatio,
      }),
    )
    .min(1),
  chosen: z.looseObject({ densities: z.record(z.string(), frac) }).nullable(),
});

const energy = z.looseObject({ dram: nonNeg, buffer: nonNeg, array: nonNeg, rf: nonNeg, mac: nonNeg, total: nonNeg });
export const compareReport = z.looseObject({
  layers: z.string(),
  batch: pos,
  pes: pos,
  rows: z
    .array(
      z.looseObject({
        layer: z.string(),
        design: z.string(),
        energyPerMac: energy,
        cycles: nonNeg,
        // SCALE-Sim's estimate beside ours (ws and os rows).
        scaleSim: z.looseObject({ cycles: nonNeg, error: num }).optional(),
      }),
    )
    .min(1),
  totals: z.record(z.string(), energy),
  note: z.string().optional(),
});

/** A failure folder's report.json, as the report shows it. */
export const failureFacts = z.looseObject({
  pe: z.string().optional(),
  cycle: int.optional(),
  cycleNote: z.string().optional(),
  configHash: z.string().optional(),
  fault: z.string().optional(),
  window: z.array(int).optional(),
  findings: z.array(z.string()).optional(),
});

const mutantStatus = z.enum(['killed', 'survived', 'equivalent', 'stillborn']);
export const mutateReport = z.looseObject({
  design: z.string(),
  config: z.string(),
  configHash: z.string(),
  sim: z.enum(['verilator', 'icarus']),
  casesPerMutant: pos,
  candidates: int,
  notElaborated: int,
  mutants: int,
  killed: int,
  survived: int,
  equivalent: int,
  stillborn: int,
  score: frac,
  byKind: z.record(z.string(), z.looseObject({ mutants: int, killed: int, survived: int })),
  results: z.array(
    z.looseObject({
      id: pos,
      module: z.string(),
      line: pos,
      kind: z.string(),
      what: z.string(),
      diff: z.string(),
      status: mutantStatus,
      cases: int,
    }),
  ),
  seconds: nonNeg,
});
