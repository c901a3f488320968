// Markdown tables of the network benchmarks: LeNets on the RTL, Deep Compression against Han et al., compressed networks on EIE.
// Pure: the same renderers print the bench's output and rewrite docs/benchmarks.md.
import { pct, fmt, f3, table } from './markdown.js';
import type { EieFifoRealResult } from '../bench-schema.js';
import type { CompressStats } from '../../nn/compress-stats.js';
import type { ModelReport } from '../model.js';
import type { EieModelReport } from '../model-eie.js';

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
    ['layer', 'weights', 'kept', 'density', 'codes', 'index', 'pointers', 'codebook', 'bias', 'tables + head', 'bytes'],
    [
      ...st.layers.map((l) => [
        l.name,
        l.weights,
        l.kept,
        pct(l.density),
        l.bytes.codes,
        l.bytes.index,
        l.bytes.pointers,
        l.bytes.codebook,
        l.bytes.bias,
        l.bytes.tables + l.bytes.head,
        l.bytes.total,
      ]),
      ['header + network', '', '', '', '', '', '', '', '', '', t.headerBytes + t.networkBytes],
      [
        'model.afz',
        t.weights,
        t.kept,
        pct(t.density),
        '',
        '',
        `${t.pointerBytes} (${st.ratios.withoutPointers.toFixed(1)}x without)`,
        '',
        '',
        '',
        `${t.containerBytes} (${st.ratios.container.toFixed(1)}x)`,
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
              '',
              '',
              '',
              `${h.compressedKB} KB of ${h.denseKB} KB (${h.ratio}x)`,
            ],
          ]
        : []),
    ],
  );
  const acc = st.accuracy,
    v = st.validation;
  const text = `Test (2,000 images, scored once): float ${pct(acc.float)}, compressed ${pct(acc.compressed)} (${((acc.compressed - acc.float) * 100).toFixed(2)} points)${h ? `; Han et al. ${h.before.toFixed(2)} % -> ${h.after.toFixed(2)} %` : ''}. Validation (1,000 training images never trained on): float ${pct(v.float)}, pruned ${pct(v.pruned)}, pruned + ${st.recipe.bits}-bit shared ${pct(v.compressed)}. Dense float32 ${t.denseBytes} B over model.afz's ${t.containerBytes} B = ${st.ratios.container.toFixed(1)}x (without the column counts ${st.ratios.withoutPointers.toFixed(1)}x; computed with fixed-width codes ${st.ratios.fixedWidth.toFixed(1)}x). Compression took ${st.seconds.toFixed(0)} s.`;
  const bits = table(
    ['codebook bits', ...st.bitsTable.map((b) => String(b.bits))],
    [['validation accuracy', ...st.bitsTable.map((b) => pct(b.accuracy))]],
  );
  return [layers, text, bits].join('\n\n');
}

/** A compress-search result (scripts/bench/compress-search.ts). */
export interface CompressSearchResult {
  model: string;
  rule: string;
  candidates: {
    densities: Record<string, number>;
    /** Other recipe fields that differ from the model's recipe. */
    recipe: Record<string, number>;
    containerBytes: number;
    ratio: number;
    validation: { float: number; pruned: number; compressed: number };
  }[];
  chosen: ({ densities: Record<string, number> } & Record<string, unknown>) | null;
}

export function compressSearchTable(r: CompressSearchResult): string {
  const key = (c: { densities: Record<string, number> } & Record<string, unknown>) => JSON.stringify(c);
  const same = (c: CompressSearchResult['candidates'][0]) =>
    r.chosen !== null && key({ densities: c.densities, ...c.recipe }) === key(r.chosen);
  return table(
    [
      'kept per layer',
      'schedule',
      'model.afz bytes',
      'ratio',
      'validation: float',
      'pruned',
      'pruned + shared',
      'change',
      '',
    ],
    r.candidates.map((c) => [
      Object.entries(c.densities)
        .map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`)
        .join(', '),
      `${c.recipe.steps ?? '-'} steps x ${c.recipe.epochsPerStep ?? '-'}, ${c.recipe.finalEpochs ?? '-'} final, ${c.recipe.finetuneEpochs ?? '-'} fine-tune`,
      c.containerBytes,
      `${c.ratio.toFixed(1)}x`,
      pct(c.validation.float),
      pct(c.validation.pruned),
      pct(c.validation.compressed),
      `${((c.validation.compressed - c.validation.float) * 100).toFixed(1)} points`,
      same(c) ? 'chosen' : '',
    ]),
  );
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
