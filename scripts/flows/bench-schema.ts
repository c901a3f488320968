// The benchmark sections' machine-readable results: one versioned schema per
// section, written by scripts/bench/ to docs/results/bench-<section>.json.

/** Where and how a result was measured. */
export interface BenchMeta {
  schema: string;
  section: string;
  /** The command that produced this file. */
  command: string;
  measuredAt: string;
  machine: { cpus: number; cpuModel: string; node: string; verilator: string; loadAverage1m: number };
}

export const benchSchema = (section: string) => `accelforge.bench.${section}/1`;

export interface WsBuildResult extends BenchMeta {
  config: string;
  builds: { build: string; seconds: number }[];
}

/** The two build profiles on new configurations: build + a sweep's few cases, and a long run. */
export interface BuildProfilesResult extends BenchMeta {
  cases: number;
  rows: {
    design: string;
    config: string;
    profile: string;
    buildSeconds: number;
    verifySeconds: number;
    casesSeconds: number;
    longRun: string;
    longRunCycles: number;
    longRunSimSeconds: number;
  }[];
}

export interface WsSimResult extends BenchMeta {
  config: string;
  m: number;
  k: number;
  n: number;
  cycles: number;
  modelCycles: number;
  utilization: number;
  scaleSimCycles: number;
  scaleSimUtilization: number;
  totalCycles: number;
  simSeconds: number;
  floor: { seconds: number; cycles: number };
  goldenSeconds: number;
}

export interface GemmUtilRow {
  m: number;
  k: number;
  n: number;
  cycles: number;
  modelCycles: number;
  utilization: number;
  idealCycles: number;
}
export interface WsUtilResult extends BenchMeta {
  config: string;
  rows: (GemmUtilRow & { scaleSimCycles: number; scaleSimUtilization: number })[];
}
export interface OsUtilResult extends BenchMeta {
  config: string;
  rows: (GemmUtilRow & { simSeconds: number })[];
}

/** `dataflow: both` on 16 x 16: area against one-dataflow arrays, GEMMs and LeNet-5 in each mode. */
export interface GemmBothResult extends BenchMeta {
  config: string;
  areas: { preset: string; cells: number; flipFlops: number; maccCells: number; seconds: number }[];
  gemms: { m: number; k: number; n: number; dataflow: 'ws' | 'os'; cycles: number }[];
  lenet: {
    dataflow: 'ws' | 'os' | 'auto';
    images: number;
    cycles: number;
    layers: { name: string; cycles: number; mapping: string }[];
  }[];
}

/** How each design's costs grow with its PE count (issue 26). */
export interface ScaleRow {
  point: string;
  design: string;
  pes: number;
  /** Rows can come from separate sittings (ACCELFORGE_SCALE_POINTS). */
  measuredAt?: string;
  lintSeconds: number;
  builds: { strategy: 'flat' | 'hierarchical'; seconds: number; peakBytes: number }[];
  sim?: {
    problem: string;
    cycles: number;
    totalCycles: number;
    simSeconds: number;
    cyclesPerSecond: number;
    macsPerSecond: number;
    utilization?: number;
  };
}
export interface ScaleResult extends BenchMeta {
  rows: ScaleRow[];
}

export interface EieMeasure {
  cycles: number;
  modelCycles: number;
  usefulMacs: number;
  loadEfficiency: number;
  busyEfficiency: number;
  queueFullStalls: number;
  broadcasts: number;
  simSeconds: number;
}
export interface EieAlex8Result extends BenchMeta {
  config: string;
  problem: string;
  measured: EieMeasure;
  paper: { cycles: number; us: number; loadEfficiency: number };
}
export interface EieFifoResult extends BenchMeta {
  problem: string;
  pes: number;
  rows: ({ fifoDepth: number } & EieMeasure)[];
  /** The authors' load efficiency by FIFO size (their size N holds N - 1 entries). */
  paper: { fifoSize: number; loadEfficiency: number }[];
}
export interface EiePesResult extends BenchMeta {
  problem: string;
  fifoDepth: number;
  rows: ({ pes: number; speedup: number } & EieMeasure)[];
  paper: { pes: number; speedup: number }[];
}
export interface EieLayersResult extends BenchMeta {
  config: Record<string, number>;
  rows: ({
    name: string;
    cols: number;
    rows: number;
    weightDensity: number;
    activationDensity: number;
    paperUs: number;
  } & EieMeasure)[];
}

export interface RsEnergyPerMac {
  dram: number;
  buffer: number;
  array: number;
  rf: number;
  mac: number;
  total: number;
}
export interface RsRun {
  mapping: string;
  cycles: number;
  utilization: number;
  activePesPeak: number;
  levels: { dram: number; glb: number; array: number; rf: number };
  dramReadWords: number;
  energyPerMac: RsEnergyPerMac;
  simSeconds: number;
}
export interface RsAlexnetResult extends BenchMeta {
  config: string;
  pes: number;
  layers: { name: string; macs: number; chipActivePes: number; cyclesObjective: RsRun; energyObjective: RsRun }[];
}

export interface VcdReadResult extends BenchMeta {
  trace: string;
  bytes: number;
  signals: number;
  seconds: number;
  peakRssBytes: number;
  rssBeforeBytes: number;
  changesKept: number;
}

/** Each committed grid run as 4 shards on a cold build cache, then whole (reusing their builds); the union must equal the whole. */
export interface SweepShardsResult extends BenchMeta {
  profile: string;
  jobs: number;
  cases: number;
  rows: {
    grid: string;
    design: string;
    configs: number;
    passed: number;
    shardConfigs: number[];
    shardSeconds: number[];
    wholeSeconds: number;
    unionEqualsWhole: boolean;
  }[];
}

/** `npm test`'s vitest run as on a fresh CI machine (empty build cache and ccache). */
export interface SuiteResult extends BenchMeta {
  run: string;
  wallSeconds: number;
  tests: { total: number; passed: number; failed: number; skipped: number };
  /** The longest files (seconds from their start to their end; two run at a time). */
  slowest: { file: string; seconds: number; tests: number }[];
}

/** `accelforge report` over every committed result. */
export interface ReportResult extends BenchMeta {
  files: number;
  charts: number;
  bytes: number;
  /** Load and render, best of 3, in the bench's process (vega and vega-lite loaded). */
  seconds: number;
  /** The whole CLI command once, process start included. */
  cliSeconds: number;
}

export interface EieFifoRealResult {
  schema: string;
  model: string;
  images: number;
  pes: number;
  definition: string;
  rows: { depth: number; layers: Record<string, number>; cycles: number }[];
  authors: Record<string, number>;
}
