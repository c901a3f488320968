// `npm run bench -- mutation`: the mutation score of the verify cases on each
// design's default preset (testbenches/mutation): 120 mutants drawn from every
// mutation of the elaborated logic, 10 verify cases each (the verify default),
// in Icarus. Results as docs/results/mutate-<design>.json (the schema `mutate
// --json` writes); ACCELFORGE_BENCH_DESIGNS=ws,rs limits the designs.
import { designByName } from '../../testbenches/registry.js';
import { mutateDesign, mutationPresets } from '../../testbenches/mutation/run.js';
import { mutationDesigns } from '../docs-tables.js';
import { log, writeResult } from './env.js';

export async function mutation(): Promise<void> {
  const only = process.env.ACCELFORGE_BENCH_DESIGNS?.split(',');
  for (const name of mutationDesigns) {
    if (only && !only.includes(name)) continue;
    const d = designByName(name);
    const preset = mutationPresets[name]!;
    const r = await mutateDesign(d, d.presets[preset]!, {
      configArg: preset,
      seed: 1,
      cases: 10,
      mutants: 120,
      sim: 'icarus',
      jobs: 2,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    log(
      `${name} ${preset}: ${r.killed}/${r.killed + r.survived} killed (${(100 * r.score).toFixed(1)} %), ${r.equivalent} equivalent, ${r.stillborn} stillborn, ${Math.round(r.seconds)} s`,
    );
    writeResult(`mutate-${name}.json`, {
      ...r,
      command: 'npm run bench -- mutation',
      measuredAt: new Date().toISOString(),
    });
  }
}
