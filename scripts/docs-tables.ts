// Renders every table of the docs that data in the repository already holds,
// between markers:
//   <!-- table:bench-ws-util -->   ...   <!-- /table -->
// the benchmark tables of docs/benchmarks.md from the committed JSON results
// (docs/results/*.json), and the design tables of README.md and
// docs/designs/*.md (parameters, presets, ports, registers) from the code
// (scripts/design-tables.ts), so text and numbers cannot drift.
// `npx tsx scripts/docs-tables.ts` rewrites them; `--check` exits 1 if any
// differs (the docs test runs the same check). The bench prints its tables
// after each section.
import { join } from 'node:path';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CompareReport } from './flows/compare.js';
import type { ModelReport } from './flows/model.js';
import type { EieModelReport } from './flows/model-eie.js';
import type { CompressStats } from './nn/compress-stats.js';
import type { MutationReport } from '../testbenches/mutation/run.js';
import * as T from './flows/bench-results.js';
import { designTables } from './design-tables.js';
import { repoPath } from '../golden/common/repo.js';

/** Every document with marked tables. */
export function docFiles(): string[] {
  const designs = readdirSync(repoPath('docs/designs'))
    .filter((f) => f.endsWith('.md'))
    .sort();
  return ['README.md', 'docs/benchmarks.md', 'docs/models.md', ...designs.map((f) => `docs/designs/${f}`)];
}
const resultsDir = repoPath('docs/results');
const committed = (name: string) => JSON.parse(readFileSync(join(resultsDir, `${name}.json`), 'utf8')) as unknown;

const f2 = (v: number) => v.toFixed(2);

/** SCALE-Sim's analytical cycles and their error against ours (ws, os); none for rs. */
const ss = (row: CompareReport['rows'][number]) =>
  row.scaleSim
    ? `${row.scaleSim.cycles} (${row.scaleSim.error >= 0 ? '+' : ''}${(100 * row.scaleSim.error).toFixed(1)} %)`
    : '-';

function compareTable(r: CompareReport): string {
  const lines = [
    '| layer | design | cycles (full layer) | SCALE-Sim (error) | utilization | DRAM | buffer | array | RF | MAC | energy / MAC | RTL sample (bit-exact, counters = model) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of r.rows) {
    const e = row.energyPerMac,
      s = row.sample;
    const shape =
      s.layer.op === 'fc'
        ? `${s.layer.K} -> ${s.layer.M}, ${s.batch} images`
        : `${s.layer.C}x${s.layer.H}x${s.layer.W} -> ${s.layer.M}, one image`;
    lines.push(
      `| ${row.layer} | ${row.design} | ${row.cycles} | ${ss(row)} | ${(100 * row.utilization).toFixed(1)} % | ${f2(e.dram!)} | ${f2(e.buffer!)} | ${f2(e.array!)} | ${f2(e.rf!)} | ${f2(e.mac!)} | **${f2(e.total!)}** | ${shape}: ${s.cycles} cycles |`,
    );
  }
  lines.push(
    '',
    '| whole set | DRAM | buffer | array | RF | MAC | energy / MAC | against rs |',
    '|---|---|---|---|---|---|---|---|',
  );
  const rs = r.totals.rs?.total;
  for (const [d, t] of Object.entries(r.totals)) {
    lines.push(
      `| ${d} (${r.configs[d]}) | ${f2(t.dram!)} | ${f2(t.buffer!)} | ${f2(t.array!)} | ${f2(t.rf!)} | ${f2(t.mac!)} | **${f2(t.total!)}** | ${rs ? `${(t.total! / rs).toFixed(2)}x` : ''} |`,
    );
  }
  return lines.join('\n');
}

type Load = (name: string) => unknown;

/** Every table by name, each from the result files it names (read through `load`). */
const tables: Record<string, (load: Load) => string> = {
  'compare-alexnet-conv': (l) => compareTable(l('compare-alexnet-conv') as CompareReport),
  'compare-alexnet-fc': (l) => compareTable(l('compare-alexnet-fc') as CompareReport),
  'compare-lenet-5': (l) => compareTable(l('compare-lenet-5') as CompareReport),
  'bench-ws-build': (l) => T.wsBuildTable(l('bench-ws-build') as T.WsBuildResult),
  'bench-build-profiles': (l) => T.buildProfilesTable(l('bench-build-profiles') as T.BuildProfilesResult),
  'bench-sweep-shards': (l) => T.sweepShardsTable(l('bench-sweep-shards') as T.SweepShardsResult),
  'bench-suite': (l) => T.suiteTable(l('bench-suite') as T.SuiteResult),
  'bench-report': (l) => T.reportTable(l('bench-report') as T.ReportResult),
  'bench-ws-sim': (l) => T.wsSimTable(l('bench-ws-sim') as T.WsSimResult),
  'bench-ws-util': (l) => T.wsUtilTable(l('bench-ws-util') as T.WsUtilResult),
  'bench-os-util': (l) => T.osUtilTable(l('bench-os-util') as T.OsUtilResult),
  'bench-scale': (l) => T.scaleTable(l('bench-scale') as T.ScaleResult),
  'bench-area': (l) => T.areaTable(l('bench-area') as T.AreaResult),
  'bench-gemm-both-area': (l) => T.gemmBothAreaTable(l('bench-gemm-both') as T.GemmBothResult),
  'bench-gemm-both-runs': (l) => T.gemmBothRunsTable(l('bench-gemm-both') as T.GemmBothResult),
  'bench-eie-alex8': (l) => T.eieAlex8Table(l('bench-eie-alex8') as T.EieAlex8Result),
  'bench-eie-fifo': (l) => T.eieFifoTable(l('bench-eie-fifo') as T.EieFifoResult),
  'bench-eie-pes': (l) => T.eiePesTable(l('bench-eie-pes') as T.EiePesResult),
  'bench-eie-layers': (l) => T.eieLayersTable(l('bench-eie-layers') as T.EieLayersResult),
  'bench-rs-alexnet': (l) => T.rsAlexnetTable(l('bench-rs-alexnet') as T.RsAlexnetResult),
  'bench-rs-energy': (l) => T.rsEnergyTable(l('bench-rs-alexnet') as T.RsAlexnetResult),
  'bench-rs-frugal': (l) => T.rsFrugalTable(l('bench-rs-alexnet') as T.RsAlexnetResult),
  'bench-vcd-read': (l) => T.vcdReadTable(l('bench-vcd-read') as T.VcdReadResult),
  'bench-live': (l) => T.liveSimTable(l('bench-live') as T.LiveSimResult),
  'bench-int8-conformance': (l) => T.int8ConformanceTable(l('bench-int8-conformance') as T.Int8ConformanceResult),
  'bench-int8-models': (l) => T.int8ModelsTable(l('bench-int8-models') as T.Int8ModelsResult),
  networks: (l) => {
    const ort = l('onnxruntime-agreement') as { images: number; maxAbsDiff: Record<string, number> };
    const agree = Object.entries(ort.maxAbsDiff)
      .map(([m, d]) => `${m} ${d.toExponential(2)}`)
      .join(', ');
    return `${T.networksTable(['model-lenet-300-100-ws-16x16', 'model-lenet-5-ws-16x16', 'model-lenet-5-eyeriss'].map((n) => l(n) as ModelReport))}\n\nThe float models against onnxruntime-node over ${ort.images} test images, max |ours - onnxruntime|: ${agree}.`;
  },
  'compression-lenet-300-100': (l) => T.compressionTable(l('compress-lenet-300-100') as CompressStats),
  'compression-lenet-5': (l) => T.compressionTable(l('compress-lenet-5') as CompressStats),
  'compress-search-lenet-300-100': (l) =>
    T.compressSearchTable(l('compress-search-lenet-300-100') as T.CompressSearchResult),
  'compress-search-lenet-5': (l) => T.compressSearchTable(l('compress-search-lenet-5') as T.CompressSearchResult),
  'eie-networks': (l) =>
    T.eieNetworksTable([
      {
        r: l('model-lenet-300-100-eie-64pe') as EieModelReport,
        dense: l('model-lenet-300-100-ws-16x16') as ModelReport,
      },
      { r: l('model-lenet-5-eyeriss+eie-64pe') as EieModelReport, dense: l('model-lenet-5-ws-16x16') as ModelReport },
    ]),
  'eie-fifo-real': (l) => T.eieFifoRealTable(l('eie-fifo-lenet-300-100') as T.EieFifoRealResult),
  mutation: (l) => T.mutationTable(mutationDesigns.map((d) => l(`mutate-${d}`) as MutationReport)),
  'mutation-survivors': (l) => T.survivorsList(mutationDesigns.map((d) => l(`mutate-${d}`) as MutationReport)),
};

/** The designs the bench's mutation section runs (docs/results/mutate-<design>.json). */
export const mutationDesigns = ['ws', 'os', 'rs', 'eie'] as const;

/** The tables each bench section's results feed. */
export const sectionTables: Record<string, string[]> = {
  'rs-alexnet': ['bench-rs-alexnet', 'bench-rs-energy', 'bench-rs-frugal'],
  'gemm-both': ['bench-gemm-both-area', 'bench-gemm-both-runs'],
  scale: ['bench-scale'],
  area: ['bench-area'],
  networks: ['networks'],
  compression: ['compression-lenet-300-100', 'compression-lenet-5'],
  'eie-networks': ['eie-networks'],
  'eie-fifo-real': ['eie-fifo-real'],
  mutation: ['mutation', 'mutation-survivors'],
  ...Object.fromEntries(
    [
      'ws-build',
      'build-profiles',
      'sweep-shards',
      'suite',
      'report',
      'ws-sim',
      'ws-util',
      'os-util',
      'eie-alex8',
      'eie-fifo',
      'eie-pes',
      'eie-layers',
      'vcd-read',
      'live',
      'int8-conformance',
      'int8-models',
    ].map((s) => [s, [`bench-${s}`]]),
  ),
};

export const tableNames = [...Object.keys(tables), ...Object.keys(designTables)];

export function renderTable(name: string, load: Load = committed): string {
  const design = designTables[name];
  if (design) return design();
  const make = tables[name];
  if (!make) throw new Error(`no table '${name}' (known: ${tableNames.join(', ')})`);
  return make(load);
}

/** A document with every marked table rendered from its source. */
export function renderDocs(text: string, load: Load = committed): string {
  return text.replace(
    /<!-- table:([\w-]+) -->\n[\s\S]*?<!-- \/table -->/g,
    (_m, name: string) => `<!-- table:${name} -->\n${renderTable(name, load)}\n<!-- /table -->`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let stale = 0;
  for (const file of docFiles()) {
    const text = readFileSync(repoPath(file), 'utf8');
    const next = renderDocs(text);
    if (next === text) continue;
    if (process.argv.includes('--check')) {
      console.error(`${file}: tables differ from their sources; run npx tsx scripts/docs-tables.ts`);
      stale++;
    } else {
      writeFileSync(repoPath(file), next);
      console.log(`${file}: tables rewritten`);
    }
  }
  if (stale) process.exit(1);
}
