// The benchmark sections' machine-readable results: one versioned schema per
// section, written by scripts/bench/ to docs/results/bench-<section>.json.
// Each is a zod schema (the report parses every file with it before drawing)
// and its TypeScript type is inferred from it: one description of each format.
import { z } from 'zod';

import { nums } from '../../golden/common/schema.js';

const { num, nonNeg, int, pos, frac } = nums;

import { bench, benchMeta, type BenchMeta } from './bench-meta.js';

export { bench, benchMeta, type BenchMeta };

export const benchSchema = (section: string) => `accelforge.bench.${section}/1`;

export const wsBuildResult = bench({
  config: z.string(),
  builds: z.array(z.object({ build: z.string(), seconds: nonNeg })),
});
export type WsBuildResult = z.infer<typeof wsBuildResult>;

/** The two build profiles on new configurations: build + a sweep's few cases, and a long run. */
export const buildProfilesResult = bench({
  cases: int,
  rows: z.array(
    z.object({
      design: z.string(),
      config: z.string(),
      profile: z.string(),
      buildSeconds: nonNeg,
      verifySeconds: nonNeg,
      casesSeconds: nonNeg,
      longRun: z.string(),
      longRunCycles: int,
      longRunSimSeconds: nonNeg,
    }),
  ),
});
export type BuildProfilesResult = z.infer<typeof buildProfilesResult>;

export const wsSimResult = bench({
  config: z.string(),
  m: pos,
  k: pos,
  n: pos,
  cycles: int,
  modelCycles: int,
  utilization: frac,
  scaleSimCycles: int,
  scaleSimUtilization: frac,
  totalCycles: int,
  simSeconds: nonNeg,
  floor: z.object({ seconds: nonNeg, cycles: int }),
  goldenSeconds: nonNeg,
});
export type WsSimResult = z.infer<typeof wsSimResult>;

const gemmUtilRow = z.object({
  m: pos,
  k: pos,
  n: pos,
  cycles: int,
  modelCycles: int,
  utilization: frac,
  idealCycles: int,
});
export type GemmUtilRow = z.infer<typeof gemmUtilRow>;
export const wsUtilResult = bench({
  config: z.string(),
  rows: z.array(gemmUtilRow.extend({ scaleSimCycles: int, scaleSimUtilization: frac })),
});
export type WsUtilResult = z.infer<typeof wsUtilResult>;
export const osUtilResult = bench({ config: z.string(), rows: z.array(gemmUtilRow.extend({ simSeconds: nonNeg })) });
export type OsUtilResult = z.infer<typeof osUtilResult>;

/** `dataflow: both` on 16 x 16: area against one-dataflow arrays, GEMMs and LeNet-5 in each mode. */
export const gemmBothResult = bench({
  config: z.string(),
  areas: z.array(z.object({ preset: z.string(), cells: int, flipFlops: int, maccCells: int, seconds: nonNeg })),
  gemms: z.array(z.object({ m: pos, k: pos, n: pos, dataflow: z.enum(['ws', 'os']), cycles: int })),
  lenet: z.array(
    z.object({
      dataflow: z.enum(['ws', 'os', 'auto']),
      images: pos,
      cycles: int,
      layers: z.array(z.object({ name: z.string(), cycles: int, mapping: z.string() })),
    }),
  ),
});
export type GemmBothResult = z.infer<typeof gemmBothResult>;

/** How each design's costs grow with its PE count (issue 26). */
const scaleRow = z.object({
  point: z.string(),
  design: z.string(),
  pes: pos,
  /** Rows can come from separate sittings (ACCELFORGE_SCALE_POINTS). */
  measuredAt: z.string().optional(),
  lintSeconds: nonNeg,
  builds: z.array(z.object({ strategy: z.enum(['flat', 'hierarchical']), seconds: nonNeg, peakBytes: int })),
  sim: z
    .object({
      problem: z.string(),
      cycles: int,
      totalCycles: int,
      simSeconds: nonNeg,
      cyclesPerSecond: nonNeg,
      macsPerSecond: nonNeg,
      utilization: frac.optional(),
    })
    .optional(),
});
export type ScaleRow = z.infer<typeof scaleRow>;
export const scaleResult = bench({ rows: z.array(scaleRow) });
export type ScaleResult = z.infer<typeof scaleResult>;

/** Area and timing against PE count (issue 30): `synth`'s per-module report, totals and the main modules. */
const areaRow = z.object({
  point: z.string(),
  design: z.string(),
  pes: pos,
  measuredAt: z.string().optional(),
  seconds: nonNeg,
  nand2: nonNeg,
  cells: int,
  flipFlops: int,
  sramBits: int,
  registerFileBits: int,
  longestPath: z.object({ levels: int, module: z.string(), from: z.string(), to: z.string() }),
  modules: z.array(z.object({ module: z.string(), instances: pos, nand2: nonNeg, flipFlops: int, levels: int })),
});
export type AreaRow = z.infer<typeof areaRow>;
export const areaResult = bench({ method: z.string(), rows: z.array(areaRow) });
export type AreaResult = z.infer<typeof areaResult>;

const eieMeasure = z.object({
  cycles: int,
  modelCycles: int,
  usefulMacs: int,
  loadEfficiency: frac,
  busyEfficiency: frac,
  queueFullStalls: int,
  broadcasts: int,
  simSeconds: nonNeg,
});
export type EieMeasure = z.infer<typeof eieMeasure>;
export const eieAlex8Result = bench({
  config: z.string(),
  problem: z.string(),
  measured: eieMeasure,
  paper: z.object({ cycles: int, us: nonNeg, loadEfficiency: frac }),
});
export type EieAlex8Result = z.infer<typeof eieAlex8Result>;
export const eieFifoResult = bench({
  problem: z.string(),
  pes: pos,
  rows: z.array(eieMeasure.extend({ fifoDepth: pos })),
  /** The authors' load efficiency by FIFO size (their size N holds N - 1 entries). */
  paper: z.array(z.object({ fifoSize: pos, loadEfficiency: frac })),
});
export type EieFifoResult = z.infer<typeof eieFifoResult>;
export const eiePesResult = bench({
  problem: z.string(),
  fifoDepth: pos,
  rows: z.array(eieMeasure.extend({ pes: pos, speedup: nonNeg })),
  paper: z.array(z.object({ pes: pos, speedup: nonNeg })),
});
export type EiePesResult = z.infer<typeof eiePesResult>;
export const eieLayersResult = bench({
  config: z.record(z.string(), num),
  rows: z.array(
    eieMeasure.extend({
      name: z.string(),
      cols: pos,
      rows: pos,
      weightDensity: frac,
      activationDensity: frac,
      paperUs: nonNeg,
    }),
  ),
});
export type EieLayersResult = z.infer<typeof eieLayersResult>;

const rsEnergyPerMac = z.object({
  dram: nonNeg,
  buffer: nonNeg,
  array: nonNeg,
  rf: nonNeg,
  mac: nonNeg,
  total: nonNeg,
});
export type RsEnergyPerMac = z.infer<typeof rsEnergyPerMac>;
const rsRun = z.object({
  mapping: z.string(),
  cycles: int,
  utilization: frac,
  activePesPeak: int,
  levels: z.object({ dram: int, glb: int, array: int, rf: int }),
  dramReadWords: int,
  energyPerMac: rsEnergyPerMac,
  simSeconds: nonNeg,
});
export type RsRun = z.infer<typeof rsRun>;
export const rsAlexnetResult = bench({
  config: z.string(),
  pes: pos,
  layers: z.array(
    z.object({ name: z.string(), macs: int, chipActivePes: int, cyclesObjective: rsRun, energyObjective: rsRun }),
  ),
});
export type RsAlexnetResult = z.infer<typeof rsAlexnetResult>;

export const vcdReadResult = bench({
  trace: z.string(),
  bytes: int,
  signals: int,
  seconds: nonNeg,
  peakRssBytes: int,
  rssBeforeBytes: int,
  changesKept: int,
});
export type VcdReadResult = z.infer<typeof vcdReadResult>;

/** The live path (a test driving the design cycle by cycle) against the batch harness. */
export const liveSimResult = bench({
  config: z.string(),
  loops: z.array(
    z.object({
      sim: z.enum(['verilator', 'icarus']),
      waves: z.boolean(),
      cycles: pos,
      seconds: nonNeg,
      cyclesPerSecond: nonNeg,
      callsPerSecond: nonNeg,
    }),
  ),
  gemm: z.object({ shape: z.string(), hostCycles: pos, liveSeconds: nonNeg, batchSeconds: nonNeg }),
});
export type LiveSimResult = z.infer<typeof liveSimResult>;

/** Each committed grid run as 4 shards on a cold build cache, then whole (reusing their builds); the union must equal the whole. */
export const sweepShardsResult = bench({
  profile: z.string(),
  jobs: pos,
  cases: pos,
  rows: z.array(
    z.object({
      grid: z.string(),
      design: z.string(),
      configs: int,
      passed: int,
      shardConfigs: z.array(int),
      shardSeconds: z.array(nonNeg),
      wholeSeconds: nonNeg,
      unionEqualsWhole: z.boolean(),
    }),
  ),
});
export type SweepShardsResult = z.infer<typeof sweepShardsResult>;

/** `npm test`'s vitest run as on a fresh CI machine (empty build cache and ccache). */
export const suiteResult = bench({
  run: z.string(),
  wallSeconds: nonNeg,
  tests: z.object({ total: int, passed: int, failed: int, skipped: int }),
  /** The longest files (seconds from their start to their end; two run at a time). */
  slowest: z.array(z.object({ file: z.string(), seconds: nonNeg, tests: int })),
});
export type SuiteResult = z.infer<typeof suiteResult>;

/** `accelforge report` over every committed result. */
export const reportResult = bench({
  files: int,
  charts: int,
  bytes: int,
  /** Load and render, best of 3, in the bench's process (vega and vega-lite loaded). */
  seconds: nonNeg,
  /** The whole CLI command once, process start included. */
  cliSeconds: nonNeg,
});
export type ReportResult = z.infer<typeof reportResult>;

export const eieFifoRealResult = z.object({
  schema: z.string(),
  model: z.string(),
  images: pos,
  pes: pos,
  definition: z.string(),
  rows: z.array(z.object({ depth: pos, layers: z.record(z.string(), frac), cycles: nonNeg })),
  authors: z.record(z.string(), frac),
});
export type EieFifoRealResult = z.infer<typeof eieFifoRealResult>;

export const onnxruntimeAgreement = z.object({
  images: pos,
  maxAbsDiff: z.record(z.string(), nonNeg),
});

export * from './bench-schema-int8.js';
