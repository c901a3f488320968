// Markdown tables of the machinery benchmarks: builds, profiles, sweep shards, the suite, the report, VCD reading.
// Pure: the same renderers print the bench's output and rewrite docs/benchmarks.md.
import { fmt, table } from './markdown.js';
import type {
  BuildProfilesResult,
  ReportResult,
  SuiteResult,
  SweepShardsResult,
  VcdReadResult,
  WsBuildResult,
  LiveSimResult,
  Int8ConformanceResult,
  Int8ModelsResult,
} from '../bench-schema.js';

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

export function liveSimTable(r: LiveSimResult): string {
  const rows: (string | number)[][] = r.loops.map((l) => [
    `${l.sim === 'icarus' ? 'Icarus' : 'Verilator'}: poke + rising + peek per cycle, waves ${l.waves ? 'on (VCD)' : 'off'}`,
    `${Math.round(l.cyclesPerSecond).toLocaleString('en-US')} cycles/s (${Math.round(l.callsPerSecond).toLocaleString('en-US')} calls/s, ${l.cycles.toLocaleString('en-US')} cycles)`,
  ]);
  rows.push([
    `GEMM ${r.gemm.shape}, host program (${r.gemm.hostCycles.toLocaleString('en-US')} cycles)`,
    `live ${fmt(r.gemm.liveSeconds)}, batch harness (\`run\`) ${fmt(r.gemm.batchSeconds)}`,
  ]);
  return table([`${r.config} live`, 'speed'], rows);
}

export function int8ConformanceTable(r: Int8ConformanceResult): string {
  return table(
    ['cell', 'outputs', 'ties', 'at a limit', 'golden != onnxruntime', 'RTL != onnxruntime'],
    r.cells.map((c) => [c.name, c.values, c.ties, c.saturated, c.goldenDiffers, c.rtlDiffers]),
  );
}

export function int8ModelsTable(r: Int8ModelsResult): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
  return table(
    [
      'model',
      'test images',
      'design',
      'file',
      'RTL cycles',
      'simulation',
      'wall',
      'accuracy RTL',
      'onnxruntime',
      'float',
      'values != onnxruntime',
    ],
    r.runs.map((x) => [
      x.model,
      x.images,
      `${x.design} ${x.config}`,
      `${x.format}, ${x.weights} weights, ${x.activations} activations`,
      x.cycles,
      `${x.simSeconds.toFixed(1)} s`,
      `${x.wallSeconds.toFixed(1)} s`,
      pct(x.accuracy),
      pct(x.onnxruntimeAccuracy),
      pct(x.floatAccuracy),
      `${x.differFromOnnxruntime} of ${x.values}`,
    ]),
  );
}
