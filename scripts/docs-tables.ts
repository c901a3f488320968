// Renders the tables of docs/benchmarks.md that come from committed JSON
// results (docs/results/*.json), between markers:
//   <!-- table:compare-alexnet-conv -->   ...   <!-- /table -->
// so the text and the numbers cannot drift. `npx tsx scripts/docs-tables.ts`
// rewrites them; `--check` exits 1 if any table differs from its JSON (a test
// runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CompareReport } from '../flows/compare.js';

const docs = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const result = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../docs/results/${name}.json`, import.meta.url)), 'utf8')) as unknown;

const f2 = (v: number) => v.toFixed(2);

function compareTable(r: CompareReport): string {
  const lines = [
    '| layer | design | cycles (full layer) | utilization | DRAM | buffer | array | RF | MAC | energy / MAC | RTL sample (bit-exact, counters = model) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of r.rows) {
    const e = row.energyPerMac, s = row.sample;
    const shape = s.layer.op === 'fc' ? `${s.layer.K} -> ${s.layer.M}, ${s.batch} images` : `${s.layer.C}x${s.layer.H}x${s.layer.W} -> ${s.layer.M}, one image`;
    lines.push(`| ${row.layer} | ${row.design} | ${row.cycles} | ${(100 * row.utilization).toFixed(1)} % | ${f2(e.dram!)} | ${f2(e.buffer!)} | ${f2(e.array!)} | ${f2(e.rf!)} | ${f2(e.mac!)} | **${f2(e.total!)}** | ${shape}: ${s.cycles} cycles |`);
  }
  lines.push('', '| whole set | DRAM | buffer | array | RF | MAC | energy / MAC | against rs |', '|---|---|---|---|---|---|---|---|');
  const rs = r.totals.rs?.total;
  for (const [d, t] of Object.entries(r.totals)) {
    lines.push(`| ${d} (${r.configs[d]}) | ${f2(t.dram!)} | ${f2(t.buffer!)} | ${f2(t.array!)} | ${f2(t.rf!)} | ${f2(t.mac!)} | **${f2(t.total!)}** | ${rs ? `${(t.total! / rs).toFixed(2)}x` : ''} |`);
  }
  return lines.join('\n');
}

const tables: Record<string, () => string> = {
  'compare-alexnet-conv': () => compareTable(result('compare-alexnet-conv') as CompareReport),
  'compare-alexnet-fc': () => compareTable(result('compare-alexnet-fc') as CompareReport),
  'compare-lenet-5': () => compareTable(result('compare-lenet-5') as CompareReport),
};

/** docs/benchmarks.md with every marked table rendered from its JSON. */
export function renderDocs(text: string): string {
  return text.replace(/<!-- table:([\w-]+) -->\n[\s\S]*?<!-- \/table -->/g, (_m, name: string) => {
    const make = tables[name];
    if (!make) throw new Error(`docs/benchmarks.md: no table '${name}' (known: ${Object.keys(tables).join(', ')})`);
    return `<!-- table:${name} -->\n${make()}\n<!-- /table -->`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(docs, 'utf8');
  const next = renderDocs(text);
  if (process.argv.includes('--check')) {
    if (next !== text) {
      console.error('docs/benchmarks.md: tables differ from docs/results/*.json; run npx tsx scripts/docs-tables.ts');
      process.exit(1);
    }
  } else if (next !== text) {
    writeFileSync(docs, next);
    console.log('docs/benchmarks.md: tables rewritten from docs/results');
  }
}
