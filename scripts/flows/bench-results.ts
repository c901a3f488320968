// The benchmark sections' machine-readable results (one versioned schema per
// section, written by scripts/bench.ts to docs/results/bench-<section>.json)
// and the markdown tables rendered from them. Pure: the same renderers print
// the bench's output and rewrite docs/benchmarks.md (scripts/docs-tables.ts),
// so the text cannot drift from the numbers.
import type { CompressStats } from '../nn/compressed.js';
import type { ModelReport } from '../flows/model.js';
import type { EieModelReport } from '../flows/model-eie.js';

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

// ---- markdown ----

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const fmt = (s: number) => `${s.toFixed(2)} s`;
const f3 = (x: number) => x.toFixed(3);
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );

export function wsBuildTable(r: WsBuildResult): string {
  return table(
    [`build of the \`${r.config}\` engine`, 'seconds'],
    r.builds.map((b) => [b.build, fmt(b.seconds)]),
  );
}

export function buildProfilesTable(r: BuildProfilesResult): string {
  const rows = table(
    [
      'configuration',
      'profile',
      'cold build (ccache off)',
      `verify: build + ${r.cases} cases`,
      'long run',
      'long run simulation',
    ],
    r.rows.map((x) => [
      x.config,
      x.profile,
      fmt(x.buildSeconds),
      fmt(x.verifySeconds),
      `${x.longRun} (${x.longRunCycles} cycles)`,
      fmt(x.longRunSimSeconds),
    ]),
  );
  // The trade per configuration, from the same numbers.
  const trade = [...new Set(r.rows.map((x) => x.config))].flatMap((c) => {
    const b = r.rows.find((x) => x.config === c && x.profile === 'fast-build'),
      f = r.rows.find((x) => x.config === c && x.profile === 'fast-sim');
    if (!b || !f) return [];
    return [
      `- ${c}: fast-build verifies in ${b.verifySeconds.toFixed(1)} s against ${f.verifySeconds.toFixed(1)} s (${(f.verifySeconds / b.verifySeconds).toFixed(2)}x faster) and simulates the long run ${(b.longRunSimSeconds / f.longRunSimSeconds).toFixed(2)}x slower.`,
    ];
  });
  return [rows, trade.join('\n')].join('\n\n');
}

export function sweepShardsTable(r: SweepShardsResult): string {
  return table(
    [
      'grid',
      'design',
      'configurations',
      'passed',
      'shards 1-4: configurations',
      'shards 1-4: wall time (empty build cache, ccache on)',
      'whole grid again (builds cached)',
      'union of shards = whole run',
    ],
    r.rows.map((x) => [
      `\`${x.grid}\``,
      x.design,
      x.configs,
      x.passed,
      x.shardConfigs.join(' / '),
      x.shardSeconds.map((t) => `${t.toFixed(0)} s`).join(' / '),
      fmt(x.wholeSeconds),
      x.unionEqualsWhole ? 'yes' : 'NO',
    ]),
  );
}

export function suiteTable(r: SuiteResult): string {
  const min = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  const t = r.tests;
  return (
    table(
      ['run', 'wall time', 'tests'],
      [[r.run, min(r.wallSeconds), `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (test:full only)`]],
    ) +
    '\n\n' +
    table(
      ['longest files', 'seconds', 'tests'],
      r.slowest.map((f) => [`\`${f.file}\``, f.seconds.toFixed(0), f.tests]),
    )
  );
}

export function reportTable(r: ReportResult): string {
  return table(
    [
      'result files',
      'charts',
      'page size',
      'render (in process, best of 3)',
      '`npx accelforge report docs/results --out report.html` (whole command)',
    ],
    [[r.files, r.charts, `${(r.bytes / 1e6).toFixed(2)} MB`, fmt(r.seconds), fmt(r.cliSeconds)]],
  );
}

export function wsSimTable(r: WsSimResult): string {
  return table(
    ['measure', 'value'],
    [
      ['compute cycles, start to last result (RTL counter)', r.cycles],
      ['cycle model (golden/ws/cycles.ts)', r.modelCycles],
      ['utilization M*N*K / (cycles * 256)', pct(r.utilization)],
      ["SCALE-Sim's model for the same GEMM", `${r.scaleSimCycles} cycles, ${pct(r.scaleSimUtilization)}`],
      ['all host-port cycles (loading A, B, D and reading C included)', r.totalCycles],
      ['accelforge run: simulator process wall time (program parse and result file included)', fmt(r.simSeconds)],
      ['accelforge throughput', `${(r.totalCycles / r.simSeconds / 1e6).toFixed(2)} M cycles/s`],
      [
        'minimal C++ loop: same model and transactions, pre-parsed, loop only',
        `${fmt(r.floor.seconds)} (${r.floor.cycles} cycles)`,
      ],
      ['overhead accelforge / floor', `${(r.simSeconds / r.floor.seconds).toFixed(2)}x`],
      ['golden model (TypeScript) for the same GEMM', fmt(r.goldenSeconds)],
    ],
  );
}

export function wsUtilTable(r: WsUtilResult): string {
  return table(
    ['M x K x N', 'RTL cycles', 'model', 'utilization', 'SCALE-Sim cycles', 'SCALE-Sim utilization', 'ideal cycles'],
    r.rows.map((s) => [
      `${s.m} x ${s.k} x ${s.n}`,
      s.cycles,
      s.modelCycles,
      pct(s.utilization),
      s.scaleSimCycles,
      pct(s.scaleSimUtilization),
      s.idealCycles,
    ]),
  );
}

export function osUtilTable(r: OsUtilResult): string {
  return table(
    ['M x K x N', 'RTL cycles', 'model', 'utilization', 'ideal cycles', 'simulator wall time'],
    r.rows.map((s) => [
      `${s.m} x ${s.k} x ${s.n}`,
      s.cycles,
      s.modelCycles,
      pct(s.utilization),
      s.idealCycles,
      fmt(s.simSeconds),
    ]),
  );
}

export function eieAlex8Table(r: EieAlex8Result): string {
  const m = r.measured;
  return table(
    ['measure', 'accelforge (RTL counters)', "authors' model (AlexNet FC8)"],
    [
      ['cycles, start to done', `${m.cycles} (model ${m.modelCycles})`, r.paper.cycles.toLocaleString('en-US')],
      ['time at 800 MHz', `${(m.cycles / 800).toFixed(2)} µs`, `${r.paper.us} µs`],
      ['useful MACs (nonzero weight x nonzero activation)', m.usefulMacs, ''],
      [
        'load efficiency (useful MACs / 64) / cycles',
        f3(m.loadEfficiency),
        `${r.paper.loadEfficiency} (goal: at least this)`,
      ],
      ['1 - idle / cycles (walker busy, padding included)', f3(m.busyEfficiency), String(r.paper.loadEfficiency)],
      ['broadcasts / queue-full stall cycles', `${m.broadcasts} / ${m.queueFullStalls}`, ''],
      ['simulator wall time (memories loaded over the host port)', fmt(m.simSeconds), ''],
    ],
  );
}

export function eieFifoTable(r: EieFifoResult): string {
  const paper = (d: number) => r.paper.find((p) => p.fifoSize === d)?.loadEfficiency.toFixed(3) ?? '-';
  return table(
    [
      'fifoDepth',
      'cycles',
      'load efficiency',
      '1 - idle / cycles',
      'queue-full stalls',
      "authors' load efficiency (their size N)",
    ],
    r.rows.map((x) => [
      x.fifoDepth,
      x.cycles,
      f3(x.loadEfficiency),
      f3(x.busyEfficiency),
      x.queueFullStalls,
      paper(x.fifoDepth),
    ]),
  );
}

export function eiePesTable(r: EiePesResult): string {
  const paper = (n: number) => String(r.paper.find((p) => p.pes === n)?.speedup ?? '-');
  return table(
    ['pes', 'cycles', 'speedup over 1 PE', "authors' speedup", 'load efficiency', '1 - idle / cycles'],
    r.rows.map((x) => [
      x.pes,
      x.cycles,
      x.speedup.toFixed(2),
      paper(x.pes),
      f3(x.loadEfficiency),
      f3(x.busyEfficiency),
    ]),
  );
}

export function eieLayersTable(r: EieLayersResult): string {
  return (
    `Config: ${JSON.stringify(r.config)}\n\n` +
    table(
      [
        'layer',
        'inputs x outputs',
        'weights / acts',
        'cycles',
        'µs at 800 MHz',
        'paper µs',
        'load efficiency',
        '1 - idle / cycles',
        'sim wall time',
      ],
      r.rows.map((L) => [
        L.name,
        `${L.cols} x ${L.rows}`,
        `${+(L.weightDensity * 100).toFixed(1)} % / ${(L.activationDensity * 100).toFixed(1)} %`,
        L.cycles,
        (L.cycles / 800).toFixed(1),
        L.paperUs,
        f3(L.loadEfficiency),
        f3(L.busyEfficiency),
        fmt(L.simSeconds),
      ]),
    )
  );
}

export function rsAlexnetTable(r: RsAlexnetResult): string {
  const macs = r.layers.reduce((a, l) => a + l.macs, 0);
  const cycles = r.layers.reduce((a, l) => a + l.cyclesObjective.cycles, 0);
  return (
    table(
      [
        'layer',
        'mapping',
        'cycles',
        'MACs',
        `utilization MACs / (cycles x ${r.pes})`,
        'active PEs (peak)',
        'DRAM values',
        'DRAM read words',
        'buffer accesses',
        'inter-PE psum hops',
        'scratchpad accesses',
        'sim wall time',
      ],
      r.layers.map((l) => {
        const c = l.cyclesObjective;
        return [
          l.name,
          c.mapping,
          c.cycles,
          `${(l.macs / 1e6).toFixed(1)} M`,
          pct(c.utilization),
          `${c.activePesPeak} (chip ${l.chipActivePes})`,
          c.levels.dram,
          c.dramReadWords,
          c.levels.glb,
          c.levels.array,
          c.levels.rf,
          fmt(c.simSeconds),
        ];
      }),
    ) +
    `\n\nAll ${r.layers.length} layers: ${pct(macs / (cycles * r.pes))} utilization (MACs / (cycles x ${r.pes})), ${cycles.toLocaleString('en-US')} cycles.`
  );
}

export function rsEnergyTable(r: RsAlexnetResult): string {
  return table(
    ['layer', 'DRAM', 'buffer', 'array', 'RF', 'MAC', 'total'],
    r.layers.map((l) => {
      const e = l.cyclesObjective.energyPerMac;
      return [l.name, ...[e.dram, e.buffer, e.array, e.rf, e.mac, e.total].map((x) => x.toFixed(2))];
    }),
  );
}

export function rsFrugalTable(r: RsAlexnetResult): string {
  return table(
    [
      'layer',
      'mapping',
      'cycles',
      'utilization',
      'active PEs',
      'DRAM energy / MAC',
      'total energy / MAC (cycles objective)',
      'sim wall time',
    ],
    r.layers.map((l) => {
      const f = l.energyObjective;
      return [
        l.name,
        f.mapping,
        f.cycles,
        pct(f.utilization),
        f.activePesPeak,
        f.energyPerMac.dram.toFixed(2),
        `${f.energyPerMac.total.toFixed(2)} (${l.cyclesObjective.energyPerMac.total.toFixed(2)})`,
        fmt(f.simSeconds),
      ];
    }),
  );
}

export function vcdReadTable(r: VcdReadResult): string {
  return table(
    ['measure', 'value'],
    [
      ['trace', `${r.trace}, ${(r.bytes / 1e9).toFixed(2)} GB, ${r.signals} signal names`],
      ['read time', fmt(r.seconds)],
      ['throughput', `${(r.bytes / 1e6 / r.seconds).toFixed(1)} MB/s`],
      [
        'peak RSS while reading (Node process)',
        `${(r.peakRssBytes / 1e6).toFixed(0)} MB (before: ${(r.rssBeforeBytes / 1e6).toFixed(0)} MB)`,
      ],
      ['changes kept (3 selected signals)', r.changesKept],
    ],
  );
}

export function networksTable(runs: ModelReport[]): string {
  return table(
    [
      'model',
      'config',
      'float',
      'quantized golden',
      'RTL',
      'cycles (RTL counters)',
      'utilization per layer',
      'simulation',
      'wall',
    ],
    runs.map((r) => [
      r.model,
      r.config,
      pct(r.floatAccuracy),
      pct(r.quantizedAccuracy),
      pct(r.accuracy),
      r.cycles,
      r.layers.map((l) => `${l.name} ${pct(l.utilization)}`).join(', '),
      fmt(r.simSeconds),
      fmt(r.wallSeconds),
    ]),
  );
}

/** Han et al.'s published numbers (Deep Compression, ICLR 2016) for the comparison rows. */
export const hanResults: Record<
  string,
  { weights: number; denseKB: number; compressedKB: number; ratio: number; before: number; after: number }
> = {
  'lenet-300-100': { weights: 266200, denseKB: 1070, compressedKB: 27, ratio: 40, before: 98.36, after: 98.42 },
  'lenet-5': { weights: 431080, denseKB: 1720, compressedKB: 44, ratio: 39, before: 99.2, after: 99.26 },
};

export function compressionTable(st: CompressStats): string {
  const t = st.totals,
    h = hanResults[st.model];
  const layers = table(
    [
      'layer',
      'weights',
      'kept',
      'density',
      'code bits',
      'index bits',
      'bytes before Huffman',
      'bytes after Huffman',
      'pointers',
    ],
    [
      ...st.layers.map((l) => [
        l.name,
        l.weights,
        l.kept,
        pct(l.density),
        st.recipe.bits,
        st.recipe.indexBits,
        l.bytes.before,
        l.bytes.after,
        l.bytes.pointers,
      ]),
      [
        'total',
        t.weights,
        t.kept,
        pct(t.density),
        '',
        '',
        `${t.compressedBytes} (${st.ratios.beforeHuffman.toFixed(1)}x)`,
        `${t.huffmanBytes} (${st.ratios.huffman.toFixed(1)}x)`,
        `${t.pointerBytes} (${st.ratios.huffmanWithPointers.toFixed(1)}x with them)`,
      ],
      ...(h
        ? [
            [
              'Han et al.',
              h.weights,
              '',
              '8 % (1/12)',
              '',
              '',
              '',
              `${h.compressedKB} KB of ${h.denseKB} KB (${h.ratio}x)`,
              '',
            ],
          ]
        : []),
    ],
  );
  const acc = st.accuracy;
  const text = `Float ${pct(acc.float)}, pruned ${pct(acc.pruned)}, pruned + ${st.recipe.bits}-bit shared ${pct(acc.quantized)} (${((acc.quantized - acc.float) * 100).toFixed(2)} points)${h ? `; Han et al. ${h.before.toFixed(2)} % -> ${h.after.toFixed(2)} %` : ''}. Compression (pruning, retraining, weight sharing, encoding) took ${st.seconds.toFixed(0)} s.`;
  const bits = table(
    ['codebook bits', ...st.bitsTable.map((b) => String(b.bits))],
    [['accuracy', ...st.bitsTable.map((b) => pct(b.accuracy))]],
  );
  return [layers, text, bits].join('\n\n');
}

export function eieNetworksTable(runs: { r: EieModelReport; dense?: ModelReport }[]): string {
  return table(
    [
      'model',
      'design / config',
      'compressed float',
      'compressed golden',
      'RTL',
      'cycles per image (RTL)',
      'speedup over dense ws-16x16',
      'load efficiency per layer',
      'simulation',
      'wall',
    ],
    runs.map(({ r, dense }) => {
      const perImage = dense ? dense.cycles / dense.imageIds.length : undefined;
      return [
        r.model,
        r.config,
        pct(r.floatAccuracy),
        pct(r.quantizedAccuracy),
        pct(r.accuracy),
        `${r.perImage.cycles.toFixed(0)} (${r.perImage.eieCycles.toFixed(0)} on eie)`,
        perImage
          ? `${(perImage / r.perImage.cycles).toFixed(2)}x (dense ws-16x16 ${perImage.toFixed(0)} cycles/image)`
          : '-',
        r.layers
          .filter((l) => l.loadEfficiency !== undefined)
          .map((l) => `${l.name} ${f3(l.loadEfficiency!)}`)
          .join(', '),
        fmt(r.simSeconds),
        fmt(r.wallSeconds),
      ];
    }),
  );
}

export function eieFifoRealTable(r: EieFifoRealResult): string {
  const names = Object.keys(r.rows[0]?.layers ?? {});
  return table(
    [
      'entries held (ours: depth N)',
      ...names,
      'cycles per image',
      "authors' size N = entries + 1",
      "authors' load efficiency (AlexNet FC8)",
    ],
    r.rows.map((row) => [
      row.depth,
      ...names.map((n) => f3(row.layers[n]!)),
      row.cycles.toFixed(0),
      row.depth + 1,
      r.authors[row.depth + 1] ?? '-',
    ]),
  );
}
