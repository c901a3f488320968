// The simulation verbs: run (a problem on the RTL), map (an rs descriptor),
// verify (random cases against the golden model), waves (a failure report).
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../golden/common/errors.js';
import { newSeed } from '../../golden/common/random.js';
import { toJson } from '../../golden/common/show.js';
import {
  checkArtifactsRoot,
  checkOutputDir,
  checkOutputFile,
  ensureDir,
  writeDirAtomic,
  writeFileAtomic,
} from '../../testbenches/common/output.js';
import { readJsonFile } from '../../testbenches/common/json.js';
import {
  config as loadConfig,
  designs,
  faultName,
  parseFault,
  readFailureReport,
  readWorkload,
  run as runProblem,
  verify as verifyDesign,
  type AnyDesign,
  type VerifyReport,
} from '../api/index.js';
import { progress } from '../lib/progress.js';
import {
  addDesignFlags,
  artifactsOption,
  configOption,
  designArg,
  faultOption,
  intArg,
  jsonOption,
  out,
  pickFlags,
  seedOption,
  simArg,
  simOption,
} from './options.js';

/** verify with at most this many cases builds in the fast-build profile (unless ACCELFORGE_BUILD_PROFILE says otherwise). */
const fewCases = 16;

type RunOptions = Record<string, unknown> & {
  config: string;
  input: string;
  output: string;
  waves?: string;
  maxCycles?: number;
  stall?: number;
  sim?: string;
  expect?: boolean;
  injectFault?: string;
  artifacts: string;
};

async function run(d: AnyDesign, o: RunOptions): Promise<void> {
  const flags = pickFlags(d, o);
  const sim = simArg(d, o.sim);
  if (o.stall !== undefined && !d.stalls)
    throw new InputError(
      `--stall ${o.stall}: design ${d.name} has no host port to throttle (it is a DRAM master); leave --stall out`,
    );
  // Output paths are checked before anything runs (a long simulation must not end in a bad path).
  checkOutputFile('--output', o.output, [['--input', o.input]]);
  checkArtifactsRoot(o.artifacts);
  const cfg = loadConfig(d, o.config);
  const fault = o.injectFault !== undefined ? parseFault(o.injectFault, d.grid(cfg)) : undefined;
  const raw = readJsonFile(o.input, '--input');
  const waves = o.waves !== undefined ? ensureDir('--waves', o.waves) : undefined;
  const trace = waves ? resolve(waves.dir, `${d.name}.${sim === 'icarus' ? 'vcd' : 'fst'}`) : undefined;
  let result;
  try {
    result = await runProblem(d, cfg, raw, {
      source: o.input,
      waves: trace,
      maxCycles: o.maxCycles,
      stall: o.stall,
      fault,
      expect: o.expect,
      artifacts: o.artifacts,
      configArg: o.config,
      flags,
      sim,
    });
  } catch (e) {
    waves?.undo();
    throw e;
  }
  writeFileAtomic(o.output, toJson(result) + '\n');
  out(
    `run ok: ${d.name} ${o.config}: ${result.cycles} cycles measured in RTL, result in ${o.output}` +
      (trace ? `, waves in ${trace}` : ''),
  );
}

export const runCommand = () =>
  addDesignFlags(
    new Command('run')
      .description(
        'run the problem in IN.json on the RTL (Verilator, or Icarus with --sim icarus) and write what the RTL produced',
      )
      .argument('<design>', 'design', designArg)
      .addOption(configOption())
      .requiredOption('-i, --input <file>', 'problem JSON (cli.md)')
      .requiredOption('-o, --output <file>', 'result JSON')
      .option('--waves <dir>', 'write an FST trace of the run into this folder')
      .option('--max-cycles <n>', 'cycle watchdog', intArg('--max-cycles', 1))
      .addOption(simOption())
      .option(
        '--stall <permille>',
        'chance (1/1000) per host request that the host idles a cycle first (designs with a host port)',
        intArg('--stall', 0, 999),
      )
      .option('--expect', 'check the result against the golden model; on a mismatch write failure artifacts and exit 1')
      .addOption(faultOption())
      .addOption(artifactsOption()),
  ).action(run);

export const mapCommand = () =>
  addDesignFlags(
    new Command('map')
      .description(
        "write a layer's descriptor as a memory image (descriptor.hex, $readmemh) and JSON (descriptor.json: fields, DRAM regions, model cycles) for designs that run from one (rs)",
      )
      .argument('<design>', 'design', designArg)
      .addOption(configOption())
      .option(
        '-i, --input <file>',
        'the layer shape: {"N", "C", "H", "W", "M", "R", "S", "stride", "padding"?, "bias"?, "relu"?}',
      )
      .option('--topology <file>', 'every layer of a SCALE-Sim topology CSV, one subfolder each (NN-name/)')
      .option('--problem <file>', 'the layer of a Timeloop problem YAML')
      .requiredOption('-o, --out <dir>', 'output folder: new, empty, or written by accelforge before')
      .option('--force', 'replace a non-empty folder accelforge did not write'),
  ).action(
    (
      d: AnyDesign,
      o: Record<string, unknown> & {
        config: string;
        input?: string;
        topology?: string;
        problem?: string;
        out: string;
        force?: boolean;
      },
    ) => {
      if (!d.map)
        throw new InputError(
          `design ${d.name} runs from host-port transactions, not a descriptor (its datasheet.md gives the CSR map); map takes ${designs
            .filter((x) => x.map)
            .map((x) => x.name)
            .join(', ')}`,
        );
      const given = (['input', 'topology', 'problem'] as const).filter((k) => o[k] !== undefined);
      if (given.length !== 1)
        throw new InputError(
          `map takes exactly one of --input LAYER.json, --topology FILE.csv, --problem FILE.yaml (given: ${given.map((k) => `--${k}`).join(', ') || 'none'})`,
        );
      const flags = pickFlags(d, o);
      checkOutputDir('--out', o.out, { force: o.force, canForce: true });
      const cfg = loadConfig(d, o.config);
      if (o.input !== undefined) {
        const r = d.map(cfg, readJsonFile(o.input, '--input'), o.input, flags);
        writeDirAtomic(o.out, r.files, { force: o.force, canForce: true, kind: 'map' });
        out(`${r.summary}; files in ${resolve(o.out)}`);
        return;
      }
      const kind = o.topology !== undefined ? 'topology' : 'problem';
      const file = (o.topology ?? o.problem)!;
      const files = new Map<string, string | Uint8Array>();
      const lines: string[] = [];
      readWorkload(file, kind).layers.forEach((l, i) => {
        const dir = `${String(i + 1).padStart(2, '0')}-${l.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
        const shape = { N: l.N, C: l.C, H: l.H, W: l.W, M: l.M, R: l.R, S: l.S, stride: l.U, padding: l.P };
        const r = d.map!(cfg, shape, `${file} layer '${l.name}'`, flags);
        for (const [name, text] of r.files) files.set(`${dir}/${name}`, text);
        lines.push(`${dir}: ${r.summary}`);
      });
      writeDirAtomic(o.out, files, { force: o.force, canForce: true, kind: 'map' });
      for (const l of lines) out(l);
      out(`${lines.length} layer${lines.length === 1 ? '' : 's'}; files in ${resolve(o.out)}`);
    },
  );

type VerifyOptions = Record<string, unknown> & {
  config: string;
  seed?: number;
  cases: number;
  injectFault?: string;
  artifacts: string;
  sim?: string;
  json?: string;
  coverage?: boolean;
  untilCovered?: boolean;
  maxCases?: number;
};

async function verify(d: AnyDesign, o: VerifyOptions): Promise<void> {
  if (o.maxCases !== undefined && !o.untilCovered)
    throw new InputError('--max-cases bounds --until-covered; give --until-covered too (or --cases for a fixed count)');
  if (o.untilCovered) {
    if (!d.bins) throw new InputError(`--until-covered: design ${d.name} declares no functional coverage bins yet`);
    o.cases = o.maxCases ?? 200;
  }
  const flags = pickFlags(d, o);
  const sim = simArg(d, o.sim);
  if (o.json !== undefined) checkOutputFile('--json', o.json);
  if (o.seed !== undefined && o.seed > Number.MAX_SAFE_INTEGER - (o.cases - 1)) {
    throw new InputError(
      `--seed ${o.seed} with --cases ${o.cases} runs seeds past ${Number.MAX_SAFE_INTEGER}; allowed: seed + cases - 1 <= ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  checkArtifactsRoot(o.artifacts);
  const cfg = loadConfig(d, o.config);
  const fault = o.injectFault !== undefined ? parseFault(o.injectFault, d.grid(cfg)) : undefined;
  const seed = o.seed ?? newSeed();
  // A flag this configuration cannot take is refused before anything prints.
  d.randomCase(cfg, seed, flags);
  // The work ahead picks the build profile (docs/benchmarks.md, "Build profiles"): a few
  // cases are dominated by the compile, many by the simulation.
  if (o.coverage && sim === 'icarus')
    throw new InputError('--coverage counts with Verilator; leave out --sim icarus (or give --sim verilator)');
  process.env.ACCELFORGE_BUILD_PROFILE ||= o.cases <= fewCases ? 'fast-build' : 'fast-sim';
  out(
    `verify ${d.name} ${o.config}: ${o.cases} cases from seed ${seed}${fault ? ` with injected fault ${faultName(fault)}` : ''}, profile ${o.coverage ? 'coverage' : process.env.ACCELFORGE_BUILD_PROFILE}`,
  );
  // A bar for many cases on a terminal; the case lines print above it.
  const bar = progress({ total: o.cases, unit: 'cases', offTty: 'quiet', quiet: o.cases < 4 });
  let r: VerifyReport;
  try {
    r = await verifyDesign(d, cfg, {
      configArg: o.config,
      seed,
      cases: o.cases,
      log: (l) => bar.log(l),
      fault,
      artifacts: o.artifacts,
      sim,
      flags,
      coverage: o.coverage,
      untilCovered: o.untilCovered,
      onCase: (i, label) => bar.update(i, label),
    });
  } finally {
    bar.stop();
  }
  if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
  process.exitCode = r.failed ? 1 : 0;
}

export const verifyCommand = () =>
  addDesignFlags(
    new Command('verify')
      .description('random problems, RTL against the golden model; a line per case; non-zero exit on any mismatch')
      .argument('<design>', 'design', designArg)
      .addOption(configOption())
      .addOption(seedOption('first case seed (later cases: the next seeds, steered toward bins no case has hit)'))
      .option(
        '--cases <n>',
        'number of cases (up to 16 build in the fast-build profile, more in fast-sim; ACCELFORGE_BUILD_PROFILE overrides)',
        intArg('--cases', 1, 100000),
        10,
      )
      .addOption(simOption())
      .addOption(faultOption())
      .option(
        '--coverage',
        'line and toggle coverage of the cases (a coverage build, Verilator): per module, with the points never reached by file and line; counts under ARTIFACTS/coverage',
      )
      .option(
        '--until-covered',
        'keep drawing cases until every functional bin of the design is hit (at most --max-cases); prints the bins left empty',
      )
      .option('--max-cases <n>', 'the most cases --until-covered draws (default 200)', intArg('--max-cases', 1, 100000))
      .addOption(artifactsOption())
      .addOption(
        jsonOption(
          'also write the cases and failures as JSON (schema accelforge.verify/1; `accelforge report` renders it)',
        ),
      ),
  ).action(verify);

export const wavesCommand = () =>
  new Command('waves')
    .description('reprint a failure report and the command that opens its waveform')
    .argument('<dir>', 'a failure artifacts folder (printed by verify / run --expect)')
    .action((dir: string) => {
      const r = readFailureReport(dir);
      if (!r)
        throw new InputError(
          `'${dir}' holds no failure report (report.txt and report.json); failures are written under --artifacts (default: artifacts/<design>-<hash>-seed<n>)`,
        );
      out(r.text.trimEnd());
      // Point only at the wave files that are there (a copied or pruned folder may lack them).
      const gtkw = resolve(dir, 'waves.gtkw'),
        vcd = resolve(dir, 'waves.vcd'),
        svg = resolve(dir, 'waves.svg');
      out('');
      if (existsSync(gtkw)) out(`open with GTKWave: gtkwave ${gtkw}   (install: apt-get install -y gtkwave)`);
      if (existsSync(vcd)) out(`or Surfer:         surfer ${vcd}`);
      if (existsSync(svg)) out(`WaveDrom picture:  ${svg}`);
      if (![gtkw, vcd, svg].some((f) => existsSync(f)))
        out(`no waveform files in ${resolve(dir)}; rerun the reproduce command above to write them`);
    });
