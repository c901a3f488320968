// The verbs over many runs: compare (dataflows at equal area), sweep (a
// grid of configurations), report (HTML from results), demo.
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { toJson } from '../../golden/common/show.js';
import {
  checkArtifactsRoot,
  checkOutputFile,
  claimDir,
  markerName,
  writeFileAtomic,
} from '../../testbenches/common/output.js';
import { readdirSync } from 'node:fs';
import {
  compare as runCompare,
  compareText,
  demo,
  designs,
  equalArea,
  layerSets,
  loadResult,
  parseShard,
  readGrid,
  readWorkload,
  report as renderReport,
  resultFiles,
  shardIndices,
  sweep as runSweep,
  sweepJunit,
  sweepWithCoverage as runSweepWithCoverage,
  type SweepReport,
} from '../api/index.js';
import { progress } from '../lib/progress.js';
import { InputError } from '../../golden/common/errors.js';
import { artifactsOption, intArg, jsonOption, out, progressLog, seedOption } from './options.js';

export const compareCommand = () =>
  new Command('compare')
    .description(
      'the dataflow comparison: every layer of a set on ws, os and rs at equal area (256 PEs, 256,000 B on chip each), normalized energy per MAC by level and cycles; each layer checked on the RTL (scaled down, bit-exact, counters equal to the models), full layers from the exact models',
    )
    .addOption(new Option('--layers <set>', 'a built-in layer set').choices(Object.keys(layerSets)))
    .option('--topology <file>', "the layers of a SCALE-Sim topology CSV (SCALE-Sim's convolution format)")
    .option('--problem <file>', 'one layer from a Timeloop problem YAML (its N is the batch unless --batch is given)')
    .option('--batch <n>', 'images per layer', intArg('--batch', 1, 1024), 16)
    .addOption(
      new Option('--pes <n>', 'PEs per design: 256 (ws-256, os-256, rs-256) or 16 (the 4x4 presets, quick)')
        .choices(Object.keys(equalArea))
        .default('256'),
    )
    .option('--designs <list>', 'a subset, comma-separated (default: ws,os,rs)')
    .addOption(seedOption('random weights and inputs', 2 ** 31 - 1, 1))
    .addOption(jsonOption('write the report as JSON (schema accelforge.compare/1)'))
    .action(async function (
      this: Command,
      o: {
        layers?: string;
        topology?: string;
        problem?: string;
        batch: number;
        pes: string;
        designs?: string;
        seed: number;
        json?: string;
      },
    ) {
      const given = (['layers', 'topology', 'problem'] as const).filter((k) => o[k] !== undefined);
      if (given.length !== 1)
        throw new InputError(
          `compare takes exactly one of --layers <set>, --topology FILE.csv, --problem FILE.yaml (given: ${given.map((k) => `--${k}`).join(', ') || 'none'})`,
        );
      if (o.json !== undefined) checkOutputFile('--json', o.json);
      const kind = o.topology !== undefined ? 'topology' : o.problem !== undefined ? 'problem' : undefined;
      const file = o.topology ?? o.problem;
      const w = kind && file !== undefined ? readWorkload(file, kind) : undefined;
      // Timeloop's N is the batch unless --batch says otherwise.
      const batch = kind === 'problem' && this.getOptionValueSource('batch') === 'default' ? w!.layers[0]!.N : o.batch;
      const r = await runCompare({
        layers: w ? `${kind}:${w.name}` : o.layers!,
        workload: w && { layers: w.layers, arg: `--${kind} ${file}` },
        batch,
        pes: o.pes,
        designs: o.designs?.split(','),
        seed: o.seed,
        log: progressLog,
      });
      for (const l of compareText(r)) out(l);
      if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
    });

type SweepOptions = {
  shard: string;
  jobs: number;
  cases: number;
  seed: number;
  junit?: string;
  json?: string;
  artifacts: string;
  coverage?: boolean;
};

async function sweep(gridPath: string, o: SweepOptions): Promise<void> {
  const shard = parseShard(o.shard);
  if (o.junit !== undefined) checkOutputFile('--junit', o.junit);
  if (o.json !== undefined) checkOutputFile('--json', o.json);
  checkArtifactsRoot(o.artifacts);
  const g = readGrid(gridPath);
  // A sweep compiles every configuration and runs it briefly: the fast-build profile.
  process.env.ACCELFORGE_BUILD_PROFILE ??= 'fast-build';
  out(
    `sweep ${g.design.name}: ${g.configs.length} configurations${g.skipped ? ` (${g.skipped} combinations skipped: ${g.firstSkip})` : ''}, shard ${shard[0]}/${shard[1]}, ${o.cases} cases each, profile ${process.env.ACCELFORGE_BUILD_PROFILE}`,
  );
  const bar = progress({
    total: shardIndices(g.configs.length, shard).length,
    unit: 'configurations',
    offTty: 'quiet',
  });
  let done = 0;
  let r: SweepReport;
  try {
    r = await (o.coverage ? runSweepWithCoverage : runSweep)(g, {
      shard,
      jobs: o.jobs,
      cases: o.cases,
      seed: o.seed,
      artifacts: o.artifacts,
      log: (l) => (bar.log(l), bar.update(++done)),
    });
  } finally {
    bar.stop();
  }
  const failed = r.cases.filter((c) => !c.passed).length;
  out(`${r.cases.length - failed} configurations passed, ${failed} failed`);
  if (o.junit !== undefined) writeFileAtomic(o.junit, sweepJunit(r), '--junit');
  if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
  if (failed) process.exitCode = 1;
}

export const sweepCommand = () =>
  new Command('sweep')
    .description(
      'verify over a grid of configurations (a JSON or YAML file: {design, params: {key: [values] or {from, to, step}}}); --shard i/n runs every n-th configuration from the i-th; JUnit with a test case per configuration; builds in the fast-build profile',
    )
    .argument('<grid>', 'grid file (.json, .yaml or .yml)')
    .option('--shard <i/n>', 'this shard of n (disjoint; the n shards together are the whole grid)', '1/1')
    .option('-j, --jobs <n>', 'configurations verified at once', intArg('--jobs', 1, 64), 1)
    .option('--cases <n>', 'random cases per configuration', intArg('--cases', 1, 10000), 4)
    .addOption(seedOption('first case seed', 2 ** 31 - 1, 1))
    .option('--junit <file>', 'write a JUnit XML report (a test case per configuration)')
    .option(
      '--coverage',
      'line and toggle coverage of all the configurations together (coverage builds, Verilator), per module; counts under ARTIFACTS/coverage',
    )
    .addOption(jsonOption('write the report as JSON (schema accelforge.sweep/1)'))
    .addOption(artifactsOption())
    .action(sweep);

export const reportCommand = () =>
  new Command('report')
    .description(
      'one self-contained HTML page (inline SVG charts, no network at view time) from the JSON of bench, verify, model, compress, compare and sweep',
    )
    .argument('<results...>', 'result JSON files, or folders of them (e.g. docs/results)')
    .requiredOption('-o, --out <file.html>', 'where the page goes')
    .option('--title <text>', 'page title', 'accelforge report')
    .action(async (paths: string[], o: { out: string; title: string }) => {
      const t0 = performance.now();
      const files = resultFiles(paths);
      checkOutputFile(
        '--out',
        o.out,
        files.map((f) => ['a results file', f]),
      );
      const html = await renderReport(files.map(loadResult), { title: o.title });
      writeFileAtomic(o.out, html, '--out');
      out(
        `report of ${files.length} result files in ${resolve(o.out)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    });

export const demoCommand = () =>
  new Command('demo')
    .description(
      'generate, lint, synthesize, co-simulate and check the ws presets, then verify eie-4pe and rs-4x4; writes a report',
    )
    .option('--out <dir>', 'where generated RTL and reports go (a new, empty or demo-written folder)', 'out/demo')
    .action(async (o: { out: string }) => {
      // The folder is claimed as generate's are: refused unless new, empty or
      // written by accelforge (issue 32: the demo replaced a user's files).
      const claim = claimDir('--out', o.out, 'demo', { legacy: isLegacyDemoDir });
      try {
        process.exitCode = await demo(claim.dir, out);
      } finally {
        // Everything in the folder now is the demo's: it was empty after the claim.
        for (const n of readdirSync(claim.dir)) if (n !== markerName) claim.add(n);
      }
    });

/** A demo folder an accelforge without markers wrote: only the names the demo writes. */
function isLegacyDemoDir(_dir: string, names: string[]): boolean {
  const presets = designs.flatMap((d) => Object.keys(d.presets));
  const own = new Set(['report.json', 'report.html', 'results', 'failures', ...presets]);
  return names.every((n) => own.has(n));
}
