// The report's network charts (vega-lite specs): model accuracy and per-layer
// cycles, Deep Compression's density and bits per layer.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelReport } from './model.js';
import type { EieModelReport } from './model-eie.js';
import type { CompressStats } from '../nn/compress-stats.js';
import type { CompressSearchResult } from './tables/networks.js';

import { base, curveWithPaper } from './report-charts.js';

type Row = Record<string, string | number>;

export function modelAccuracyChart(r: ModelReport | EieModelReport): TopLevelSpec {
  const rows = [
    { stage: 'float', accuracy: 100 * r.floatAccuracy },
    { stage: 'perImage' in r ? 'compressed golden' : 'quantized golden', accuracy: 100 * r.quantizedAccuracy },
    { stage: 'RTL (measured)', accuracy: 100 * r.accuracy },
  ];
  const lo = Math.max(0, Math.floor(Math.min(...rows.map((x) => x.accuracy)) - 2));
  return {
    ...base(`${r.model}: accuracy`, rows, `${r.design} ${r.config}, ${r.imageIds.length} test images`),
    width: 300,
    // The bars start left of the axis (a zoomed accuracy range): clip them to the plot.
    mark: { type: 'bar', tooltip: true, clip: true },
    encoding: {
      y: { field: 'stage', type: 'nominal', sort: rows.map((x) => x.stage), title: null },
      x: { field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: { domain: [lo, 100] } },
      color: { field: 'stage', type: 'nominal', legend: null },
    },
  } as unknown as TopLevelSpec;
}

export function modelCyclesChart(r: ModelReport | EieModelReport): TopLevelSpec {
  const rows = r.layers.map((l) => ({
    layer: l.name,
    cycles: l.cycles / r.imageIds.length,
    utilization: 100 * l.utilization,
  }));
  return {
    ...base(`${r.model} on ${r.design} ${r.config}: RTL cycles per image by layer`, rows),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: r.layers.map((l) => l.name), title: 'layer' },
      y: { field: 'cycles', type: 'quantitative', title: 'cycles per image (RTL counters)' },
      color: {
        field: 'utilization',
        type: 'quantitative',
        title: 'utilization / load efficiency (%)',
        scale: { scheme: 'blues', domain: [0, 100] },
      },
    },
  } as TopLevelSpec;
}

export function compressDensityChart(s: CompressStats): TopLevelSpec {
  const rows = s.layers.map((l) => ({ layer: l.name, density: 100 * l.density, bytes: l.bytes.total }));
  return {
    ...base(`${s.model}: weights kept per layer after pruning`, rows),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: s.layers.map((l) => l.name), title: 'layer' },
      y: { field: 'density', type: 'quantitative', title: 'weights kept (%)' },
    },
  } as TopLevelSpec;
}

export function compressBitsChart(s: CompressStats): TopLevelSpec {
  const rows: Row[] = [
    ...s.bitsTable.map((b) => ({
      x: b.bits,
      y: 100 * b.accuracy,
      kind: 'ours',
      series: 'pruned + shared weights (validation)',
    })),
    ...s.bitsTable.map((b) => ({ x: b.bits, y: 100 * s.validation.float, kind: 'ours', series: 'float (validation)' })),
  ];
  const lo = Math.max(0, Math.floor(Math.min(...rows.map((x) => x.y as number)) - 2));
  return curveWithPaper(
    `${s.model}: validation accuracy against codebook bits`,
    rows,
    { title: 'codebook bits' },
    { title: 'test accuracy (%)', domain: [lo, 100] },
  );
}

/** The recipe search: each candidate's ratio against its validation accuracy change, the chosen one marked. */
export function compressSearchChart(s: CompressSearchResult): TopLevelSpec {
  const key = JSON.stringify(s.chosen);
  const rows = s.candidates.map((c, i) => ({
    candidate: i + 1,
    ratio: c.ratio,
    change: 100 * (c.validation.compressed - c.validation.float),
    kind: JSON.stringify({ densities: c.densities, ...c.recipe }) === key ? 'chosen' : 'candidate',
  }));
  return {
    ...base(`${s.model}: recipe search on validation`, rows, 'model.afz ratio against the validation accuracy change'),
    mark: { type: 'point', filled: true, size: 90, tooltip: true },
    encoding: {
      x: { field: 'ratio', type: 'quantitative', title: 'dense / model.afz (x)', scale: { zero: false } },
      y: { field: 'change', type: 'quantitative', title: 'validation accuracy change (points)' },
      color: { field: 'kind', type: 'nominal', title: null },
    },
  } as unknown as TopLevelSpec;
}
