// The mutate verb: the mutation score of the verify cases on a configuration
// (testbenches/mutation). Results as a line per mutant, a summary, and JSON.
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { InputError } from '../../golden/common/errors.js';
import { newSeed } from '../../golden/common/random.js';
import { toJson } from '../../golden/common/show.js';
import { checkOutputFile, writeFileAtomic } from '../../testbenches/common/output.js';
import {
  config as loadConfig,
  mutate as mutateDesign,
  mutantLine as resultLine,
  mutationKinds,
  unmutated,
  type AnyDesign,
  type MutationReport,
} from '../api/index.js';
import { progress, type Progress } from '../lib/progress.js';
import { configOption, designArg, intArg, jsonOption, out, seedOption, simArg, simOption } from './options.js';

type MutateCliOptions = {
  config: string;
  seed?: number;
  cases: number;
  mutants?: number;
  all?: boolean;
  sim?: string;
  jobs?: number;
  json?: string;
  module?: string;
  kind?: string;
};

/** The summary lines: score, kinds, survivors with their diffs. */
export function mutationText(r: MutationReport): string[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const lines = [
    `${r.design} ${r.config}: ${r.killed} of ${r.killed + r.survived} mutants killed, score ${pct(r.score)}` +
      `${r.stillborn ? `; ${r.stillborn} stillborn (do not compile, not counted)` : ''}` +
      `${r.equivalent ? `; ${r.equivalent} equivalent (optimized netlist unchanged, not counted)` : ''}` +
      `; ${r.notElaborated} of ${r.candidates} candidate mutations lie on lines this configuration does not elaborate (equivalent, not run)`,
  ];
  for (const [k, v] of Object.entries(r.byKind))
    if (v.mutants) lines.push(`  ${k.padEnd(9)} ${v.killed}/${v.killed + v.survived} killed`);
  const survivors = r.results.filter((x) => x.status === 'survived');
  if (survivors.length) lines.push(`survivors (${survivors.filter((s) => s.explained).length} explained):`);
  for (const s of survivors) {
    lines.push(`  ${resultLine(s)}`);
    for (const l of s.diff.split('\n')) lines.push(`    ${l}`);
  }
  return lines;
}

async function mutate(d: AnyDesign, o: MutateCliOptions): Promise<void> {
  if (o.all && o.mutants !== undefined) throw new InputError('give --mutants N or --all, not both');
  const sim = simArg(d, o.sim) ?? 'icarus';
  if (o.json !== undefined) checkOutputFile('--json', o.json);
  const cfg = loadConfig(d, o.config);
  const modules = d.generate(cfg).modules.map((m) => m.name);
  if (o.module !== undefined && !modules.includes(o.module))
    throw new InputError(
      `--module '${o.module}' is not a module of ${d.name} ${o.config}; allowed: ${modules.join(', ')}`,
    );
  if (o.module !== undefined && unmutated[o.module])
    throw new InputError(`--module '${o.module}' is never mutated: ${unmutated[o.module]}`);
  const seed = o.seed ?? newSeed();
  const writeJson = (r: MutationReport) => {
    if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
  };
  let bar: Progress | undefined;
  let r: MutationReport;
  try {
    r = await mutateDesign(d, cfg, {
      configArg: o.config,
      seed,
      cases: o.cases,
      mutants: o.all ? undefined : (o.mutants ?? 120),
      sim,
      jobs: o.jobs ?? Math.min(4, availableParallelism()),
      filter: (m) => (o.module === undefined || m.module === o.module) && (o.kind === undefined || m.kind === o.kind),
      // A run stopped by an error keeps what it finished (the JSON says where it stopped).
      onPartial: writeJson,
      log: (l) => (bar ? bar.log(l) : out(l)),
      onPlan: (total) => (bar = progress({ total, unit: 'mutants', offTty: 'quiet' })),
      onMutant: (done) => bar?.update(done, `mutant ${done}`),
    });
  } finally {
    bar?.stop();
  }
  for (const l of mutationText(r)) out(l);
  writeJson(r);
}

export const mutateCommand = () =>
  new Command('mutate')
    .description(
      'mutation score: single realistic RTL mutations of the generated design (operator, bound, stuck-at bit, enable, mux, reset value), each run on the verify cases until one fails; survivors listed with their diff',
    )
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .addOption(
      seedOption(
        'seed of the mutant sample and of the cases (as verify: first the seed, later steered toward empty bins)',
      ),
    )
    .option('--cases <n>', 'verify cases per mutant (the same cases for every mutant)', intArg('--cases', 1, 1000), 10)
    .option('--mutants <n>', 'mutants drawn from all candidates (default 120)', intArg('--mutants', 1, 100000))
    .option('--all', 'run every candidate mutation')
    .option('--module <name>', 'mutate only this module of the generated design')
    .addOption(new Option('--kind <kind>', 'mutate only this kind of mutation').choices(mutationKinds))
    .addOption(simOption().default(undefined, "'icarus' (compiles in about a second)"))
    .option('--jobs <n>', 'mutants simulated in parallel (default: cores, at most 4)', intArg('--jobs', 1, 64))
    .addOption(jsonOption('write the results (schema accelforge.mutate/1) to this file'))
    .action((d: AnyDesign, o: MutateCliOptions) => mutate(d, o));
