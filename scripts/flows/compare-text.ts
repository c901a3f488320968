// `accelforge compare`'s report as text (compare.ts makes the report).
import type { CompareReport } from './compare.js';

/** The report as text: per layer and design, cycles and energy per MAC by level; then the set's totals and ratios. */
export function compareText(r: CompareReport): string[] {
  const f = (v: number) => v.toFixed(2);
  const lines = [
    `Dataflow comparison: ${r.layers}, batch ${r.batch}, ${r.pes} PEs each (${Object.values(r.configs).join(', ')}; ${r.pes === 256 ? 'equal area: 256,000 B on chip each' : 'the small presets, not equal area: a quick check'})`,
    'energy per MAC (normalized: DRAM 200, buffer 6, array 2, RF 1, MAC 1); full layers from the exact models, RTL-checked on a scaled-down run of each layer',
    '',
    'layer   design    cycles         util     DRAM    buffer  array   RF      MAC     total',
  ];
  for (const row of r.rows) {
    const e = row.energyPerMac;
    lines.push(
      `${row.layer.padEnd(7)} ${row.design.padEnd(9)} ${String(row.cycles).padEnd(14)} ${(100 * row.utilization).toFixed(1).padStart(5)} %  ${[e.dram, e.buffer, e.array, e.rf, e.mac, e.total].map((v) => f(v!).padEnd(7)).join(' ')}`,
    );
  }
  const ss = r.rows.filter((x) => x.scaleSim);
  if (ss.length) {
    lines.push(
      '',
      "SCALE-Sim's analytical cycles beside these (RTL-checked models; error = SCALE-Sim / ours - 1; SCALE-Sim has no row-stationary model):",
    );
    for (const row of ss)
      lines.push(
        `  ${row.layer.padEnd(7)} ${row.design.padEnd(9)} ${String(row.scaleSim!.cycles).padEnd(14)} ${(100 * row.scaleSim!.error >= 0 ? '+' : '') + (100 * row.scaleSim!.error).toFixed(1)} %`,
      );
  }
  lines.push('', `whole set, energy per MAC:`);
  const base = r.totals.rs?.total;
  for (const [d, t] of Object.entries(r.totals)) {
    lines.push(
      `  ${d.padEnd(9)} ${f(t.total!)}${base && d !== 'rs' ? `  (${(t.total! / base).toFixed(2)}x rs)` : ''}   DRAM ${f(t.dram!)}, buffer ${f(t.buffer!)}, array ${f(t.array!)}, RF ${f(t.rf!)}, MAC ${f(t.mac!)}`,
    );
  }
  return lines;
}
