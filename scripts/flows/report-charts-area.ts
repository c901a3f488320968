// The report's area chart (vega-lite): NAND2-equivalent gates and the longest
// path against PE count, with the scale benchmark's points (issue 30).
import type { TopLevelSpec } from 'vega-lite';
import type { AreaResult } from './bench-schema.js';
import { perPeLines } from './report-charts.js';

/** Gates per PE and path depth against PEs (log x): a flat line is area linear in PEs. */
export function areaChart(r: AreaResult): TopLevelSpec {
  const rows = r.rows.flatMap((row) => [
    { design: row.design, PEs: row.pes, measure: 'NAND2 equivalents per PE', value: row.nand2 / row.pes },
    { design: row.design, PEs: row.pes, measure: 'longest path (gate levels)', value: row.longestPath.levels },
  ]);
  return perPeLines('area: gates per PE and the longest combinational path against PEs', rows, r.method);
}
