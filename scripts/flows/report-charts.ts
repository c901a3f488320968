// The report's charts as vega-lite specs, one builder per kind of result.
// Pure: data in, spec out (flows/report.ts renders them to SVG in Node).
import type { TopLevelSpec } from 'vega-lite';
import type { CompareReport } from './compare.js';
import type {
  EieFifoRealResult,
  EieFifoResult,
  EieLayersResult,
  EiePesResult,
  GemmBothResult,
  OsUtilResult,
  RsAlexnetResult,
  ScaleResult,
  WsUtilResult,
} from './bench-results.js';

type Row = Record<string, string | number>;
export const width = 520;
/** Lines of at most `n` characters, so a long subtitle wraps instead of widening the chart. */
export function wrap(text: string, n = 90): string[] {
  const lines: string[] = [];
  for (const w of text.split(' ')) {
    if (lines.length && (lines[lines.length - 1]! + ' ' + w).length <= n) lines[lines.length - 1] += ' ' + w;
    else lines.push(w);
  }
  return lines;
}
export const base = (title: string, values: Row[], subtitle?: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: title, anchor: 'start', ...(subtitle ? { subtitle: wrap(subtitle) } : {}) },
  data: { values },
  width,
  config: { font: 'sans-serif', legend: { labelLimit: 420 } },
});
const levels = ['dram', 'buffer', 'array', 'rf', 'mac'];
const levelNames: Record<string, string> = {
  dram: 'DRAM',
  buffer: 'buffer',
  array: 'array (inter-PE)',
  rf: 'register file',
  mac: 'MAC',
};
const shapeName = (s: { m: number; k: number; n: number }) => `${s.m}x${s.k}x${s.n}`;

/** Grouped bars: utilization by GEMM shape, the RTL beside a model. */
export function gemmUtilChart(title: string, rows: Row[], order: string[]): TopLevelSpec {
  return {
    ...base(title, rows),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'shape', type: 'nominal', sort: order, title: 'GEMM shape M x K x N' },
      // Ours first, in the order the rows give.
      xOffset: { field: 'source', type: 'nominal', sort: null },
      y: { field: 'utilization', type: 'quantitative', title: 'utilization (%)', scale: { domain: [0, 100] } },
      color: { field: 'source', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom' } },
    },
  } as TopLevelSpec;
}

export function wsUtilChart(r: WsUtilResult): TopLevelSpec {
  const rows = r.rows.flatMap((s) => [
    { shape: shapeName(s), source: 'accelforge RTL (measured)', utilization: 100 * s.utilization },
    { shape: shapeName(s), source: "SCALE-Sim's WS model", utilization: 100 * s.scaleSimUtilization },
  ]);
  return gemmUtilChart(`ws ${r.config}: utilization by shape, RTL against SCALE-Sim`, rows, r.rows.map(shapeName));
}

export function osUtilChart(r: OsUtilResult): TopLevelSpec {
  const rows = r.rows.map((s) => ({
    shape: shapeName(s),
    source: 'accelforge RTL (measured)',
    utilization: 100 * s.utilization,
  }));
  return gemmUtilChart(`os ${r.config}: utilization by shape`, rows, r.rows.map(shapeName));
}

/** Area of the 16 x 16 arrays: Yosys cells and flip-flop bits, ws, os and both side by side. */
export function gemmBothAreaChart(r: GemmBothResult): TopLevelSpec {
  const rows = r.areas.flatMap((a) => [
    { array: a.preset, measure: 'Yosys cells', count: a.cells },
    { array: a.preset, measure: 'flip-flop bits', count: a.flipFlops },
  ]);
  return {
    ...base('systolic family on 16 x 16: area of ws, os and both (Yosys, coarse flow)', rows),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'array', type: 'nominal', title: 'array', sort: r.areas.map((a) => a.preset) },
      xOffset: { field: 'measure', type: 'nominal' },
      y: { field: 'count', type: 'quantitative', title: 'count' },
      color: { field: 'measure', type: 'nominal', title: 'measure', legend: { orient: 'bottom' } },
    },
  } as TopLevelSpec;
}

/** Simulation speed and cold build time against PE count, log-log: the slope is the growth. */
export function scaleChart(r: ScaleResult): TopLevelSpec {
  const rows = r.rows.flatMap((row) => {
    const b = row.builds.find((x) => x.strategy === 'hierarchical') ?? row.builds[0];
    return [
      ...(b ? [{ design: row.design, PEs: row.pes, measure: 'cold build (s)', value: b.seconds }] : []),
      ...(row.sim
        ? [{ design: row.design, PEs: row.pes, measure: 'simulated cycles per second', value: row.sim.cyclesPerSecond }]
        : []),
    ];
  });
  return perPeLines('scale: cold build time and simulation speed against PEs (log-log)', rows);
}

/** Lines of {design, PEs, measure, value} rows against PEs, both axes log: a design's colour, a measure's dash. */
export function perPeLines(title: string, rows: Row[], subtitle?: string): TopLevelSpec {
  return {
    ...base(title, rows, subtitle),
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'PEs', type: 'quantitative', scale: { type: 'log' }, title: 'PEs' },
      y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'value' },
      color: { field: 'design', type: 'nominal', legend: { orient: 'bottom' } },
      strokeDash: { field: 'measure', type: 'nominal', title: 'measure', legend: { orient: 'bottom' } },
    },
  } as TopLevelSpec;
}

export function rsUtilChart(r: RsAlexnetResult): TopLevelSpec {
  const rows = r.layers.flatMap((l) => [
    { layer: l.name, objective: 'cycles objective', utilization: 100 * l.cyclesObjective.utilization },
    { layer: l.name, objective: 'energy objective', utilization: 100 * l.energyObjective.utilization },
  ]);
  return {
    ...base(`rs ${r.config}: utilization per AlexNet layer (MACs / (cycles x ${r.pes}))`, rows),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'layer', type: 'nominal', title: 'layer', sort: r.layers.map((l) => l.name) },
      xOffset: { field: 'objective', type: 'nominal' },
      y: { field: 'utilization', type: 'quantitative', title: 'utilization (%)', scale: { domain: [0, 100] } },
      color: { field: 'objective', type: 'nominal', title: 'mapper', legend: { orient: 'bottom' } },
    },
  } as TopLevelSpec;
}

/** Stacked bars of normalized energy per MAC by level; one bar per `x` value. */
function energyStack(
  title: string,
  rows: Row[],
  x: { field: string; title: string; sort: string[] },
  column?: { field: string; sort: string[] },
): TopLevelSpec {
  const spec = {
    ...base(title, rows),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: x.field, type: 'nominal', title: x.title, sort: x.sort },
      y: { field: 'energy', type: 'quantitative', title: 'normalized energy per MAC (MAC = 1)', stack: 'zero' },
      color: {
        field: 'level',
        type: 'nominal',
        title: 'level',
        sort: levels.map((l) => levelNames[l]),
        legend: { orient: 'bottom' },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  } as Record<string, unknown>;
  if (!column) return spec as unknown as TopLevelSpec;
  const { width: _w, ...rest } = spec;
  return {
    ...rest,
    width: Math.max(40, Math.floor(width / column.sort.length) - 16),
    encoding: {
      ...(spec.encoding as object),
      column: { field: column.field, type: 'nominal', sort: column.sort, title: null },
    },
  } as TopLevelSpec;
}

const energyRows = (key: Row, e: Record<string, number | undefined>): Row[] =>
  levels.map((l, order) => ({ ...key, level: levelNames[l]!, energy: e[l] ?? 0, order }));

export function rsEnergyChart(r: RsAlexnetResult): TopLevelSpec {
  const rows = r.layers.flatMap((l) =>
    energyRows({ layer: l.name }, l.cyclesObjective.energyPerMac as unknown as Record<string, number>),
  );
  return energyStack(`rs ${r.config}: energy per MAC by level (RTL counters, cycles objective)`, rows, {
    field: 'layer',
    title: 'layer',
    sort: r.layers.map((l) => l.name),
  });
}

export function compareEnergyChart(r: CompareReport): TopLevelSpec {
  const designs = Object.keys(r.totals);
  const layerNames = [...new Set(r.rows.map((x) => x.layer))];
  const rows = [
    ...r.rows.flatMap((x) => energyRows({ layer: x.layer, design: x.design }, x.energyPerMac)),
    ...designs.flatMap((d) => energyRows({ layer: 'whole set', design: d }, r.totals[d]!)),
  ];
  return energyStack(
    `${r.layers}, batch ${r.batch}, ${r.pes} PEs, equal area: energy per MAC`,
    rows,
    { field: 'design', title: 'design', sort: designs },
    { field: 'layer', sort: [...layerNames, 'whole set'] },
  );
}

/** Our curve against the paper's points on one x axis. */
export function curveWithPaper(
  title: string,
  rows: Row[],
  x: { title: string; log?: boolean },
  y: { title: string; domain?: number[] },
  subtitle?: string,
): TopLevelSpec {
  const xEnc = {
    field: 'x',
    type: 'quantitative',
    title: x.title,
    ...(x.log ? { scale: { type: 'log', base: 2 } } : {}),
  };
  const yEnc = {
    field: 'y',
    type: 'quantitative',
    title: y.title,
    ...(y.domain ? { scale: { domain: y.domain } } : {}),
  };
  const color = { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } };
  return {
    ...base(title, rows, subtitle),
    layer: [
      {
        transform: [{ filter: "datum.kind === 'ours'" }],
        mark: { type: 'line', point: true, tooltip: true },
        encoding: { x: xEnc, y: yEnc, color },
      },
      {
        transform: [{ filter: "datum.kind === 'paper'" }],
        mark: { type: 'point', shape: 'diamond', size: 110, filled: true, tooltip: true },
        encoding: { x: xEnc, y: yEnc, color },
      },
    ],
  } as TopLevelSpec;
}

export function eieFifoChart(r: EieFifoResult): TopLevelSpec {
  const rows: Row[] = [
    ...r.rows.map((x) => ({
      x: x.fifoDepth,
      y: x.busyEfficiency,
      kind: 'ours',
      series: 'accelforge RTL: 1 - idle / cycles',
    })),
    ...r.rows.map((x) => ({
      x: x.fifoDepth,
      y: x.loadEfficiency,
      kind: 'ours',
      series: 'accelforge RTL: useful MACs / (PEs x cycles)',
    })),
    // The authors' FIFO of size N holds N - 1 entries: plotted at the entries held.
    ...r.paper.map((p) => ({
      x: p.fifoSize - 1,
      y: p.loadEfficiency,
      kind: 'paper',
      series: 'EIE paper (size N holds N - 1)',
    })),
  ];
  return curveWithPaper(
    `eie, ${r.pes} PEs: load efficiency against FIFO depth`,
    rows,
    { title: 'FIFO entries held', log: true },
    { title: 'load efficiency', domain: [0.5, 1] },
    r.problem,
  );
}

export function eieFifoRealChart(r: EieFifoRealResult): TopLevelSpec {
  const rows: Row[] = [
    ...r.rows.flatMap((x) =>
      Object.entries(x.layers).map(([layer, v]) => ({
        x: x.depth,
        y: v,
        kind: 'ours',
        series: `accelforge RTL: ${r.model} ${layer}`,
      })),
    ),
    ...Object.entries(r.authors).map(([size, v]) => ({
      x: Number(size) - 1,
      y: v,
      kind: 'paper',
      series: 'EIE paper, AlexNet FC8',
    })),
  ];
  return curveWithPaper(
    `eie, ${r.pes} PEs: load efficiency against FIFO depth`,
    rows,
    { title: 'FIFO entries held', log: true },
    { title: 'load efficiency', domain: [0, 1] },
    `the compressed ${r.model}, ${r.images} test images`,
  );
}

export function eiePesChart(r: EiePesResult): TopLevelSpec {
  const rows: Row[] = [
    ...r.rows.map((x) => ({ x: x.pes, y: x.pes, kind: 'ours', series: 'ideal (linear)' })),
    ...r.rows.map((x) => ({ x: x.pes, y: x.speedup, kind: 'ours', series: 'accelforge RTL (measured)' })),
    ...r.paper.map((p) => ({ x: p.pes, y: p.speedup, kind: 'paper', series: 'EIE paper' })),
  ];
  return curveWithPaper(
    `eie, FIFO ${r.fifoDepth}: speedup against PE count`,
    rows,
    { title: 'PEs', log: true },
    { title: 'speedup over 1 PE' },
    r.problem,
  );
}

export function eieLayersChart(r: EieLayersResult): TopLevelSpec {
  const rows = r.rows.flatMap((x) => [
    { layer: x.name, source: 'accelforge RTL at 800 MHz', us: x.cycles / 800 },
    { layer: x.name, source: 'EIE paper', us: x.paperUs },
  ]);
  return {
    ...base('eie, 64 PEs: time per benchmark layer (µs)', rows),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: r.rows.map((x) => x.name), title: 'layer' },
      xOffset: { field: 'source', type: 'nominal', sort: null },
      y: { field: 'us', type: 'quantitative', title: 'µs per layer' },
      color: { field: 'source', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom' } },
    },
  } as TopLevelSpec;
}
