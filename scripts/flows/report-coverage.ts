// The report's code coverage (verify --coverage, sweep --coverage): a chart of
// line and toggle coverage per module and a table naming what was never reached;
// the mutation score by kind of mutation.
import type { TopLevelSpec } from 'vega-lite';
import { base } from './report-charts.js';
import { chartSvg, esc, figure } from './report-html.js';
import { pct, type CoverageSummary, type Ratio } from '../../testbenches/tools/verilator/coverage.js';
import type { FunctionalCoverage } from '../../testbenches/common/bins.js';
import type { MutationReport } from '../../testbenches/mutation/run.js';

export function coverageChart(c: CoverageSummary, title: string): TopLevelSpec {
  const rows = c.modules.flatMap((m) => [
    { module: m.module, kind: 'lines', coverage: pct(m.lines), points: m.lines.total },
    { module: m.module, kind: 'toggles (both ways)', coverage: pct(m.toggles), points: m.toggles.total },
  ]);
  return {
    ...base(title, rows, 'Verilator line and toggle counters of the cases, instances merged'),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'module', type: 'nominal', title: null },
      yOffset: { field: 'kind' },
      x: { field: 'coverage', type: 'quantitative', title: 'covered (%)', scale: { domain: [0, 100] } },
      color: { field: 'kind', type: 'nominal', title: null },
    },
  } as unknown as TopLevelSpec;
}

const cell = (r: Ratio) => `${r.covered} / ${r.total} (${pct(r).toFixed(1)} %)`;

/** The chart and the per-module table (at most `show` uncovered points named per module). */
export async function coverageHtml(c: CoverageSummary, title: string, show = 12): Promise<string[]> {
  const rows = c.modules
    .map((m) => {
      const lines = m.uncoveredLines.map((p) => `${m.file}:${p.line} (${p.what})`);
      const toggles = m.uncoveredToggles.map((p) => `${p.signal} (${m.file}:${p.line})`);
      const list = (xs: string[]) =>
        esc(xs.slice(0, show).join(', ') + (xs.length > show ? ` and ${xs.length - show} more` : ''));
      return `<tr><td><code>${esc(m.module)}</code></td><td>${cell(m.lines)}</td><td>${cell(m.toggles)}</td><td>${list(lines)}</td><td>${list(toggles)}</td></tr>`;
    })
    .join('');
  return [
    `<p>Coverage: lines ${cell(c.lines)}, toggles ${cell(c.toggles)}.</p>`,
    figure(await chartSvg(coverageChart(c, title))),
    `<table><thead><tr><th>module</th><th>lines</th><th>toggles</th><th>never run</th><th>not toggled both ways</th></tr></thead><tbody>${rows}</tbody></table>`,
  ];
}

/** The functional bins: each with how many cases hit it and the first. */
export function binsHtml(f: FunctionalCoverage): string {
  const rows = f.bins
    .map(
      (b) =>
        `<tr class="${b.cases.length ? 'pass' : 'fail'}"><td>${esc(b.name)}</td><td>${esc(b.doc)}</td><td>${b.cases.length}</td><td>${b.cases[0] ?? 'never'}</td></tr>`,
    )
    .join('');
  return `<p>Functional coverage: ${f.covered} of ${f.total} bins hit.</p><table><thead><tr><th>bin</th><th>what</th><th>cases</th><th>first case</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Mutants by kind: killed, survived, equivalent, stillborn (stacked). */
export function mutationChart(m: MutationReport): TopLevelSpec {
  const rows = m.results.map((r) => ({ kind: r.kind, status: r.status }));
  return {
    ...base(`${m.design} ${m.config}: mutants by kind`, rows, `${m.casesPerMutant} verify cases per mutant`),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'kind', type: 'nominal', title: null },
      x: { aggregate: 'count', type: 'quantitative', title: 'mutants' },
      color: {
        field: 'status',
        type: 'nominal',
        title: null,
        scale: { domain: ['killed', 'survived', 'equivalent', 'stillborn'] },
      },
    },
  } as unknown as TopLevelSpec;
}
