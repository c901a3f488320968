// `accelforge report <results.json...> --out report.html`: one self-contained
// HTML page (inline CSS and SVG, no script, nothing fetched at view time) from
// the JSON that bench, verify, model, compress, compare and sweep write. The
// charts are vega-lite specs (flows/report-charts.ts) rendered to SVG in Node
// by vega's headless renderer; tables reuse the bench's markdown renderers.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type TopLevelSpec } from 'vega-lite';
import { InputError } from '../../golden/common/errors.js';
import { readJsonFile } from '../../testbenches/common/json.js';
import * as B from './bench-results.js';
import { int8ConformanceChart, int8ModelsChart, liveChart } from './report-charts-live.js';
import * as C from './report-charts.js';
import { areaChart } from './report-charts-area.js';
import { chartSvg, esc, figure, markdownToHtml } from './report-html.js';
import { runSections } from './report-runs.js';
import * as R from './run-schema.js';
import { parseWith } from '../../golden/common/schema.js';
import { z } from 'zod';

/** One result file, parsed. */
export interface LoadedResult {
  file: string;
  schema: string;
  data: Record<string, unknown>;
}

/** A benchmark kind: its title, its charts (ranked before table-only kinds) and its tables. */
interface BenchView<T> {
  /** The file's schema (parsed before drawing). */
  schema: z.ZodType;
  title: string | ((d: T) => string);
  charts?: (d: T) => TopLevelSpec[];
  caption?: string;
  tables: (d: T) => string[];
}
const view = <T>(v: BenchView<T>) => v as BenchView<never>;
const benchViews: Record<string, BenchView<never>> = {
  'accelforge.bench.ws-util/1': view<B.WsUtilResult>({
    schema: B.wsUtilResult,
    title: 'ws: utilization by GEMM shape against SCALE-Sim',
    charts: (d) => [C.wsUtilChart(d)],
    tables: (d) => [B.wsUtilTable(d)],
  }),
  'accelforge.bench.os-util/1': view<B.OsUtilResult>({
    schema: B.osUtilResult,
    title: 'os: utilization by GEMM shape',
    charts: (d) => [C.osUtilChart(d)],
    tables: (d) => [B.osUtilTable(d)],
  }),
  'accelforge.bench.gemm-both/1': view<B.GemmBothResult>({
    schema: B.gemmBothResult,
    title: 'Systolic family: dataflow both on 16 x 16 (area, runs in each mode)',
    charts: (d) => [C.gemmBothAreaChart(d)],
    tables: (d) => [B.gemmBothAreaTable(d), B.gemmBothRunsTable(d)],
  }),
  'accelforge.bench.scale/1': view<B.ScaleResult>({
    schema: B.scaleResult,
    title: 'Scale: lint, cold build and simulation speed against PE count',
    charts: (d) => [C.scaleChart(d)],
    tables: (d) => [B.scaleTable(d)],
  }),
  'accelforge.bench.area/1': view<B.AreaResult>({
    schema: B.areaResult,
    title: 'Area and timing against PE count (system Yosys, NAND2 equivalents)',
    charts: (d) => [areaChart(d)],
    tables: (d) => [B.areaTable(d)],
  }),
  'accelforge.bench.ws-sim/1': view<B.WsSimResult>({
    schema: B.wsSimResult,
    title: 'ws: simulation speed',
    tables: (d) => [B.wsSimTable(d)],
  }),
  'accelforge.bench.ws-build/1': view<B.WsBuildResult>({
    schema: B.wsBuildResult,
    title: 'ws: build times',
    tables: (d) => [B.wsBuildTable(d)],
  }),
  'accelforge.bench.build-profiles/1': view<B.BuildProfilesResult>({
    schema: B.buildProfilesResult,
    title: 'Build profiles: fast-build against fast-sim',
    tables: (d) => [B.buildProfilesTable(d)],
  }),
  'accelforge.bench.sweep-shards/1': view<B.SweepShardsResult>({
    schema: B.sweepShardsResult,
    title: 'Sweeps as 4 shards',
    tables: (d) => [B.sweepShardsTable(d)],
  }),
  'accelforge.bench.suite/1': view<B.SuiteResult>({
    schema: B.suiteResult,
    title: 'Test suite wall time',
    tables: (d) => [B.suiteTable(d)],
  }),
  'accelforge.bench.rs-alexnet/1': view<B.RsAlexnetResult>({
    schema: B.rsAlexnetResult,
    title: (d) => `rs: AlexNet CONV layers on ${d.config}`,
    charts: (d) => [C.rsUtilChart(d), C.rsEnergyChart(d)],
    tables: (d) => [B.rsAlexnetTable(d), B.rsEnergyTable(d), B.rsFrugalTable(d)],
  }),
  'accelforge.bench.eie-alex8/1': view<B.EieAlex8Result>({
    schema: B.eieAlex8Result,
    title: 'eie: Alex-8-shaped layer on eie-64pe',
    tables: (d) => [B.eieAlex8Table(d)],
  }),
  'accelforge.bench.eie-fifo/1': view<B.EieFifoResult>({
    schema: B.eieFifoResult,
    title: 'eie: load efficiency against FIFO depth',
    charts: (d) => [C.eieFifoChart(d)],
    tables: (d) => [B.eieFifoTable(d)],
    caption: "The paper's FIFO of size N holds N - 1 entries; its points sit at the entries held.",
  }),
  'accelforge.bench.eie-pes/1': view<B.EiePesResult>({
    schema: B.eiePesResult,
    title: 'eie: speedup against PE count',
    charts: (d) => [C.eiePesChart(d)],
    tables: (d) => [B.eiePesTable(d)],
  }),
  'accelforge.bench.eie-layers/1': view<B.EieLayersResult>({
    schema: B.eieLayersResult,
    title: "eie: the paper's nine benchmark layers",
    charts: (d) => [C.eieLayersChart(d)],
    tables: (d) => [B.eieLayersTable(d)],
  }),
  'accelforge.bench.eie-fifo-real/1': view<B.EieFifoRealResult>({
    schema: B.eieFifoRealResult,
    title: 'eie: FIFO depth on real compressed layers',
    charts: (d) => [C.eieFifoRealChart(d)],
    tables: (d) => [B.eieFifoRealTable(d)],
  }),
  'accelforge.bench.report/1': view<B.ReportResult>({
    schema: B.reportResult,
    title: 'Rendering this report',
    tables: (d) => [B.reportTable(d)],
  }),
  'accelforge.bench.live/1': view<B.LiveSimResult>({
    schema: B.liveSimResult,
    title: 'Live simulation: a TypeScript test driving the RTL cycle by cycle',
    charts: (d) => [liveChart(d)],
    tables: (d) => [B.liveSimTable(d)],
  }),
  'accelforge.bench.int8-conformance/1': view<B.Int8ConformanceResult>({
    schema: B.int8ConformanceResult,
    title: 'int8 conformance: the RTL, the golden model and onnxruntime',
    charts: (d) => [int8ConformanceChart(d)],
    tables: (d) => [B.int8ConformanceTable(d)],
  }),
  'accelforge.bench.int8-models/1': view<B.Int8ModelsResult>({
    schema: B.int8ModelsResult,
    title: 'Standard int8 models on the RTL against onnxruntime',
    charts: (d) => [int8ModelsChart(d)],
    tables: (d) => [B.int8ModelsTable(d)],
  }),
  'accelforge.bench.vcd-read/1': view<B.VcdReadResult>({
    schema: B.vcdReadResult,
    title: 'Reading waveforms: the streaming VCD reader',
    tables: (d) => [B.vcdReadTable(d)],
  }),
};

/** The schema of each kind the report reads. */
const schemas: Record<string, z.ZodType> = {
  ...Object.fromEntries(Object.entries(benchViews).map(([schema, v]) => [schema, v.schema])),
  'accelforge.bench.onnxruntime-agreement/1': B.onnxruntimeAgreement,
  'accelforge.model/1': R.modelReport,
  'accelforge.compress/2': R.compressReport,
  'accelforge.compress-search/1': R.compressSearchReport,
  'accelforge.compare/1': R.compareReport,
  'accelforge.sweep/1': R.sweepReport,
  'accelforge.verify/1': R.verifyReport,
  'accelforge.mutate/1': R.mutateReport,
};
export const reportSchemas = Object.keys(schemas);

const kindOf = (v: unknown): string =>
  Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

/** The files named on the command line, a folder standing for its *.json files (sorted). */
export function resultFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new InputError(`results '${p}': no such file or folder`);
    }
    if (!st.isDirectory()) return [p];
    const inside = readdirSync(p)
      .filter((n) => n.endsWith('.json'))
      .sort();
    if (!inside.length) throw new InputError(`results folder '${p}' holds no .json files`);
    return inside.map((n) => join(p, n));
  });
}

/** Reads a result file and checks its schema and the fields the report draws. */
export function loadResult(file: string): LoadedResult {
  const data = readJsonFile(file, 'results');
  if (kindOf(data) !== 'an object')
    throw new InputError(`results file '${file}' holds ${kindOf(data)}; expected a JSON object with a 'schema' field`);
  const d = data as Record<string, unknown>;
  const schema = d.schema;
  if (typeof schema !== 'string')
    throw new InputError(
      `results file '${file}': field 'schema' is ${schema === undefined ? 'missing' : JSON.stringify(schema)}; allowed: ${reportSchemas.join(', ')}`,
    );
  const kind = schemas[schema];
  if (!kind)
    throw new InputError(
      `results file '${file}': schema '${schema}' is not one the report knows; allowed: ${reportSchemas.join(', ')}`,
    );
  // Checked whole, before anything is drawn; the original object is drawn (unchecked extra fields kept).
  parseWith(kind, d, `results file '${file}' (schema ${schema})`);
  return { file, schema, data: d };
}

interface Section {
  id: string;
  title: string;
  /** Sort key: failures first, then benchmarks, then networks. */
  rank: number;
  body: string[];
}

function provenance(r: LoadedResult): string {
  const d = r.data as Partial<B.BenchMeta> & { schema: string };
  const bits = [`<code>${esc(basename(r.file))}</code>`, `schema <code>${esc(r.schema)}</code>`];
  if (d.command) bits.push(`made by <code>${esc(d.command)}</code>`);
  if (d.measuredAt) bits.push(`measured ${esc(d.measuredAt.replace('T', ' ').slice(0, 16))} UTC`);
  if (d.machine)
    bits.push(
      `${d.machine.cpus} cores, ${esc(d.machine.verilator.split(' ').slice(0, 2).join(' '))}, Node ${esc(d.machine.node)}`,
    );
  return `<p class="source">${bits.join(' · ')}</p>`;
}

async function section(r: LoadedResult, n: number): Promise<Section> {
  const d = r.data;
  const id = `s${n}`;
  const s = (title: string, rank: number, body: string[]): Section => ({
    id,
    title,
    rank,
    body: [provenance(r), ...body],
  });
  const tbl = (md: string) => markdownToHtml(md);
  const run = runSections[r.schema];
  if (run) return { ...(await run(d, s)), id };
  const v = benchViews[r.schema];
  if (!v) throw new InputError(`results file '${r.file}': schema '${r.schema}' has no report section`);
  const charts = await Promise.all((v.charts?.(d as never) ?? []).map(chartSvg));
  return s(typeof v.title === 'string' ? v.title : v.title(d as never), v.charts ? 1 : 2, [
    ...charts.map((c, i) => figure(c, i === 0 ? v.caption : undefined)),
    ...v.tables(d as never).map(tbl),
  ]);
}

const css = `
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1180px;padding:0 24px 48px;color:#1d232a}
h1{margin:24px 0 4px}h2{margin-top:40px;border-bottom:1px solid #d8dee4;padding-bottom:4px}
nav ol{columns:2;padding-left:20px}nav a{text-decoration:none}
table{border-collapse:collapse;margin:12px 0;font-size:13px}th,td{border:1px solid #d8dee4;padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#f3f5f7}tr.fail td{background:#fdecea}.fail{color:#b42318;font-weight:600}.pass{color:#1a7f37}
.source{color:#57606a;font-size:13px}code,pre{font:12.5px ui-monospace,monospace}pre{background:#f6f8fa;padding:8px;overflow-x:auto}
figure{margin:12px 0}figure svg{max-width:100%;height:auto}figcaption{color:#57606a;font-size:13px}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.failure{border-left:4px solid #b42318;padding-left:12px;margin:16px 0}
.note{color:#9a6700}`;

/** The whole page from the loaded results. */
export async function renderReport(
  results: LoadedResult[],
  o: { title?: string; generatedAt?: Date } = {},
): Promise<string> {
  const sections: Section[] = [];
  for (const [i, r] of results.entries()) {
    try {
      sections.push(await section(r, i + 1));
    } catch (e) {
      if (e instanceof InputError || !(e instanceof TypeError)) throw e;
      // The schema's required fields were there, a deeper one was not.
      throw new InputError(
        `results file '${r.file}' (schema ${r.schema}) does not have the shape this accelforge draws (${e.message}); regenerate it with the command that wrote it`,
      );
    }
  }
  sections.sort((a, b) => a.rank - b.rank);
  const title = o.title ?? 'accelforge report';
  const when = (o.generatedAt ?? new Date()).toISOString().replace('T', ' ').slice(0, 19);
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${css}</style></head><body>`,
    `<h1>${esc(title)}</h1>`,
    `<p class="source">${results.length} result file${results.length === 1 ? '' : 's'}; generated ${when} UTC by <code>accelforge report</code>. Every number comes from the named JSON file; cycles and counters are RTL measurements.</p>`,
    `<nav><ol>${sections.map((x) => `<li><a href="#${x.id}">${esc(x.title)}</a></li>`).join('')}</ol></nav>`,
    ...sections.map((x) => `<section id="${x.id}"><h2>${esc(x.title)}</h2>\n${x.body.join('\n')}</section>`),
    '</body></html>',
    '',
  ].join('\n');
}
