// `npm run bench [-- SECTION... [--out DIR]]`: measurements for
// docs/benchmarks.md. Each section writes its result as JSON
// (docs/results/bench-<section>.json, or --out DIR; one versioned schema per
// section, scripts/flows/bench-results.ts) and prints the markdown tables
// rendered from it. A section module drives designs through the registry.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { verilatorVersion } from '../../testbenches/tools/verilator/runner.js';
import { progress } from '../lib/progress.js';
import { renderTable, sectionTables } from '../docs-tables.js';
import { benchSchema, type BenchMeta } from '../flows/bench-results.js';
import { results, writeResult, type Data } from './env.js';

type Section = () => Promise<Data<BenchMeta> | void>;

/** Every section, in the order a whole run takes them (modules load when their section runs). */
export const sections: Record<string, Section> = {
  'ws-build': async () => (await import('./ws.js')).wsBuild(),
  'build-profiles': async () => (await import('./infra.js')).buildProfiles(),
  'sweep-shards': async () => (await import('./infra.js')).sweepShards(),
  suite: async () => (await import('./infra.js')).suite(),
  report: async () => (await import('./infra.js')).report(),
  'ws-sim': async () => (await import('./ws.js')).wsSim(),
  'ws-util': async () => (await import('./ws.js')).wsUtil(),
  'os-util': async () => (await import('./os.js')).osUtil(),
  'gemm-both': async () => (await import('./gemm.js')).gemmBoth(),
  scale: async () => (await import('./scale.js')).scale(),
  area: async () => (await import('./area.js')).areaBench(),
  'eie-alex8': async () => (await import('./eie.js')).eieAlex8(),
  'eie-fifo': async () => (await import('./eie.js')).eieFifo(),
  'eie-pes': async () => (await import('./eie.js')).eiePes(),
  'eie-layers': async () => (await import('./eie.js')).eieBenchLayers(),
  'rs-alexnet': async () => (await import('./rs.js')).rsAlexnet(),
  'vcd-read': async () => (await import('./ws.js')).vcdRead(),
  networks: async () => (await import('./networks.js')).networks(),
  'compress-search': async () => (await import('./compress-search.js')).compressSearch(),
  compression: async () => (await import('./networks.js')).compression(),
  'eie-networks': async () => (await import('./networks.js')).eieNetworks(),
  'eie-fifo-real': async () => (await import('./networks.js')).eieFifoReal(),
  mutation: async () => (await import('./mutation.js')).mutation(),
  live: async () => (await import('./live.js')).live(),
  'int8-conformance': async () => (await import('./int8.js')).int8Conformance(),
  'int8-models': async () => (await import('./int8.js')).int8Models(),
};

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}; usage: npm run bench -- [SECTION...] [--out DIR]\n`);
    return 2;
  }
  if (parsed.values.out !== undefined) results.dir = resolve(parsed.values.out);
  const unknown = parsed.positionals.filter((a) => !(a in sections));
  if (unknown.length) {
    process.stderr.write(
      `bench: unknown section ${unknown.map((u) => `'${u}'`).join(', ')}; sections: ${Object.keys(sections).join(', ')}\n`,
    );
    return 2;
  }
  const chosen = Object.entries(sections).filter(
    ([name]) => !parsed.positionals.length || parsed.positionals.includes(name),
  );
  const bar = progress({ total: chosen.length, unit: 'sections', offTty: 'lines' });
  for (const [i, [name, f]] of chosen.entries()) {
    bar.update(i, name);
    const loadAverage1m = loadavg()[0]!;
    const data = await f();
    if (data) {
      const meta: BenchMeta = {
        schema: benchSchema(name),
        section: name,
        command: `npm run bench -- ${name}`,
        measuredAt: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          node: process.version,
          verilator: await verilatorVersion(),
          loadAverage1m,
        },
      };
      writeResult(`bench-${name}.json`, { ...meta, ...data });
    }
    bar.log(`## ${name}`);
    for (const t of sectionTables[name] ?? [])
      bar.log(`${renderTable(t, (n) => JSON.parse(readFileSync(join(results.dir, `${n}.json`), 'utf8')))}\n`);
  }
  bar.update(chosen.length, 'done');
  bar.stop();
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
