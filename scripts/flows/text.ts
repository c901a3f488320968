// Printed summaries of compress and of a model run on eie.
import type { CompressStats } from '../nn/compress-stats.js';
import type { EieModelReport } from './model-eie.js';

const pct = (v: number) => `${(100 * v).toFixed(2)} %`;

export function compressText(s: CompressStats): string[] {
  const lines = [
    `Deep Compression of ${s.model} (${s.recipe.bits}-bit shared weights, ${s.recipe.indexBits}-bit relative indices; bytes are parts of model.afz)`,
  ];
  lines.push(
    'layer        weights   kept   density  entries(pad)   codes   index  pointers  codebook+bias+tables   total',
  );
  for (const l of s.layers) {
    const b = l.bytes;
    lines.push(
      `${l.name.padEnd(12)} ${String(l.weights).padStart(7)} ${String(l.kept).padStart(6)} ${pct(l.density).padStart(8)} ${`${l.entries}(${l.padding})`.padStart(13)} ${String(b.codes).padStart(7)} ${String(b.index).padStart(7)} ${String(b.pointers).padStart(9)} ${String(b.codebook + b.bias + b.tables + b.head).padStart(21)} ${String(b.total).padStart(7)}`,
    );
  }
  const t = s.totals;
  lines.push(
    `total: ${t.kept} of ${t.weights} weights kept (${pct(t.density)}); dense float32 ${t.denseBytes} B -> model.afz ${t.containerBytes} B: ${s.ratios.container.toFixed(1)}x (${s.ratios.withoutPointers.toFixed(1)}x without its ${t.pointerBytes} B of column counts; ${s.ratios.fixedWidth.toFixed(1)}x computed with fixed-width codes)`,
  );
  lines.push(
    `validation accuracy (1,000 images): float ${pct(s.validation.float)}, pruned ${pct(s.validation.pruned)}, pruned + ${s.recipe.bits}-bit shared ${pct(s.validation.compressed)}`,
  );
  lines.push(
    `test accuracy (2,000 images, scored once): float ${pct(s.accuracy.float)}, compressed ${pct(s.accuracy.compressed)}`,
  );
  if (s.bitsTable.length)
    lines.push(
      `validation accuracy by codebook bits: ${s.bitsTable.map((b) => `${b.bits}: ${pct(b.accuracy)}`).join(', ')}`,
    );
  return lines;
}

export function eieModelText(r: EieModelReport): string[] {
  const lines = [
    `model ${r.model} on ${r.design} ${r.config}: ${r.imageIds.length} test images (compressed ${r.compression.ratio.toFixed(1)}x, ${pct(r.compression.density)} of weights kept)`,
  ];
  lines.push('layer        shape                      work (MACs / entries)    cycles   util/load eff.  mapping');
  for (const l of r.layers)
    lines.push(
      `${l.name.padEnd(12)} ${l.shape.padEnd(26)} ${String(l.macs).padStart(20)} ${String(l.cycles).padStart(10)} ${pct(l.utilization).padStart(12)}   ${l.mapping}`,
    );
  lines.push(
    `per image: ${r.perImage.cycles.toFixed(0)} cycles (${r.perImage.eieCycles.toFixed(0)} on eie${r.perImage.preCycles ? `, ${r.perImage.preCycles.toFixed(0)} before it` : ''}); simulation ${r.simSeconds.toFixed(1)} s, wall ${r.wallSeconds.toFixed(1)} s`,
  );
  for (const c of r.checks) lines.push(`checked: ${c}`);
  lines.push(
    `accuracy: float ${pct(r.floatAccuracy)}, compressed golden ${pct(r.quantizedAccuracy)}, RTL ${pct(r.accuracy)} (RTL predictions identical to the golden model's)`,
  );
  return lines;
}
