// accelforge command line (contract: docs/cli.md, after ../shared/spec/cli.md).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { AccelforgeError, InputError } from '../../golden/common/errors.js';
import { faultName, parseFault } from '../../generators/common/fault.js';
import { designFiles } from '../../generators/common/emit.js';
import { checkArtifactsRoot, checkOutputDir, checkOutputFile, ensureDir, writeDirAtomic, writeFileAtomic } from '../../testbenches/common/output.js';
import { readJsonFile } from '../../testbenches/common/json.js';
import { newSeed } from '../../golden/common/random.js';
import { readFailureReport } from '../../testbenches/tools/failure/report.js';
import { lint } from '../../testbenches/tools/verilator/runner.js';
import { synth } from '../../testbenches/tools/yosys/synth.js';
import { designByName, designNames, designs, loadConfig, presetNames, type AnyDesign } from '../../testbenches/registry.js';
import { runProblem, verifyDesign, type VerifyReport } from '../../testbenches/verbs.js';
import { progress } from '../lib/progress.js';
import { toJson } from '../../golden/common/show.js';
import { loadResult, renderReport, resultFiles } from '../flows/report.js';
import { demo } from '../demo.js';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModels } from '../../golden/nn/train.js';
import { builtinModelPath, isBuiltin, loadModel } from '../nn/zoo.js';
import { readOnnx } from '../nn/onnx-file.js';
import { floatTestAccuracy } from '../../golden/nn/eval.js';
import { modelText, runModel } from '../flows/model.js';
import { compareText, equalArea, layerSets, runCompare } from '../flows/compare.js';
import { parseShard, readGrid, runSweep, shardIndices, sweepJunit, type SweepReport } from '../flows/sweep.js';
import { runModelEie } from '../flows/model-eie.js';
import { compressedFiles, compressedModel, compressStats, isCompressedDir } from '../nn/compressed.js';
import { refuseConvOnEie } from '../flows/model-eie.js';
import { compressText, eieModelText } from '../flows/text.js';

const out = (s: string) => process.stdout.write(s + '\n');
/** verify with at most this many cases builds in the fast-build profile (unless ACCELFORGE_BUILD_PROFILE says otherwise). */
const fewCases = 16;

function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string) => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function designArg(v: string): AnyDesign {
  try {
    return designByName(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function configOption() {
  return new Option('-c, --config <preset|file.json>', 'preset name or JSON config file').makeOptionMandatory();
}

/** Every design's own run flags, once (the CLI refuses a flag for a design that does not declare it). */
function designFlags() {
  const seen = new Map<string, { flag: string; doc: string; choices?: readonly string[]; owners: string[] }>();
  for (const d of designs) {
    for (const f of d.runFlags ?? []) {
      const e = seen.get(f.key) ?? { flag: f.flag, doc: f.doc, choices: f.choices, owners: [] };
      e.owners.push(d.name);
      seen.set(f.key, e);
    }
  }
  return seen;
}

/** The design flags given on the command line, checked against the design. */
/** --sim: one of the simulators the design runs on. */
function simArg(d: AnyDesign, v: string | undefined): 'verilator' | 'icarus' | undefined {
  if (v === undefined) return undefined;
  if (!(d.simulators as readonly string[]).includes(v)) {
    throw new InputError(`--sim '${v}': design ${d.name} runs on ${d.simulators.join(' or ')}`);
  }
  return v as 'verilator' | 'icarus';
}

/** Adds every design's own flags (DesignFlag) to a verb; pickFlags refuses them for other designs. */
function addDesignFlags(cmd: Command): void {
  for (const [, f] of designFlags()) {
    const opt = new Option(f.flag, f.doc);
    cmd.addOption(f.choices ? opt.choices([...f.choices]) : opt);
  }
}

function pickFlags(d: AnyDesign, o: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const [key, f] of designFlags()) {
    if (o[key] === undefined) continue;
    if (!f.owners.includes(d.name)) throw new InputError(`${f.flag.split(' ')[0]} '${String(o[key])}' applies to design ${f.owners.join(', ')} only (not ${d.name})`);
    picked[key] = o[key];
  }
  return picked;
}

export function buildProgram(): Command {
  const program = new Command('accelforge')
    .description(`Generate, lint, synthesize and co-simulate DNN accelerator RTL (${designNames().join(', ')})`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('generate')
    .description('write the RTL of a configuration (one .sv per module, files.f, manifest.json with the memories, binding.ts, datasheet.md, a FuseSoC .core)')
    .argument('<design>', `one of ${designNames().join(', ')}`, designArg)
    .addOption(configOption())
    .requiredOption('-o, --out <dir>', 'output folder: new, empty, or written by accelforge before (then replaced as a whole)')
    .option('--force', 'replace a non-empty folder accelforge did not write (never /, the home or current folder, or a repository root)')
    .action(async (d: AnyDesign, o: { config: string; out: string; force?: boolean }) => {
      checkOutputDir('--out', o.out, { force: o.force });
      const cfg = loadConfig(d, o.config);
      const g = d.generate(cfg);
      writeDirAtomic(o.out, await designFiles(g, d.datasheet(cfg)), { force: o.force, kind: 'rtl' });
      out(`generated ${g.design} (${o.config}, config ${g.configHash}) top ${g.top}: ${g.modules.length} modules in ${resolve(o.out)}`);
    });

  program
    .command('lint')
    .description('Verilator --lint-only -Wall on the generated RTL; exit 0 only with zero warnings')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .action(async (d: AnyDesign, o: { config: string }) => {
      const g = d.generate(loadConfig(d, o.config));
      await lint(g);
      out(`lint clean: ${d.name} ${o.config} (config ${g.configHash}), ${g.modules.length} modules, 0 warnings`);
    });

  program
    .command('synth')
    .description('Yosys synthesis check: fails on latches, multiple drivers, undriven nets; reports cells and flip-flops')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .addOption(new Option('--flow <flow>', 'coarse (word-level cells) or gates (ABC, slower)').choices(['coarse', 'gates']).default('coarse'))
    .option('--json', 'print the report as JSON')
    .action(async (d: AnyDesign, o: { config: string; flow: 'coarse' | 'gates'; json?: boolean }) => {
      const g = d.generate(loadConfig(d, o.config));
      const r = await synth(g, o.flow);
      if (o.json) {
        out(toJson(r, 2));
        return;
      }
      out(`synth ok: ${d.name} ${o.config} top ${r.top} (${r.flow}): ${r.cells} cells, ${r.flipFlops} flip-flop bits, ${r.seconds.toFixed(1)} s`);
      for (const [t, n] of Object.entries(r.cellTypes).sort((a, b) => b[1] - a[1])) out(`  ${t.padEnd(16)} ${n}`);
    });

  const run = program
    .command('run')
    .description('run the problem in IN.json on the RTL (Verilator, or Icarus with --sim icarus) and write what the RTL produced')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .requiredOption('-i, --input <file>', 'problem JSON (cli.md)')
    .requiredOption('-o, --output <file>', 'result JSON')
    .option('--waves <dir>', 'write an FST trace of the run into this folder')
    .option('--max-cycles <n>', 'cycle watchdog', intArg('--max-cycles', 1))
    .option('--sim <simulator>', "simulator: 'verilator' (default) or 'icarus' (ws, eie)")
    .option('--stall <permille>', 'chance (1/1000) per host request that the host idles a cycle first (designs with a host port)', intArg('--stall', 0, 999))
    .option('--expect', 'check the result against the golden model; on a mismatch write failure artifacts and exit 1')
    .option('--inject-fault <pe>', "flip a product bit in one PE, e.g. 'pe[1][2]' (ws, rs) or 'pe[3]' (eie); 'pe[1][2]:bit4' picks the bit")
    .option('--artifacts <dir>', 'where failure reports and waveforms go', 'artifacts');
  addDesignFlags(run);
  run.action(async (d: AnyDesign, o: Record<string, unknown> & { config: string; input: string; output: string; waves?: string; maxCycles?: number; stall?: number; sim?: string; expect?: boolean; injectFault?: string; artifacts: string }) => {
    const flags = pickFlags(d, o);
    const sim = simArg(d, o.sim);
    if (o.stall !== undefined && !d.stalls) throw new InputError(`--stall ${o.stall}: design ${d.name} has no host port to throttle (it is a DRAM master); leave --stall out`);
    // Output paths are checked before anything runs (a long simulation must not end in a bad path).
    checkOutputFile('--output', o.output);
    checkArtifactsRoot(o.artifacts);
    const cfg = loadConfig(d, o.config);
    const fault = o.injectFault ? parseFault(o.injectFault, d.grid(cfg)) : undefined;
    const raw = readJsonFile(o.input, '--input');
    const waves = o.waves !== undefined ? ensureDir('--waves', o.waves) : undefined;
    const trace = waves ? resolve(waves.dir, `${d.name}.${sim === 'icarus' ? 'vcd' : 'fst'}`) : undefined;
    let result;
    try {
      result = await runProblem(d, cfg, raw, o.input, { waves: trace, maxCycles: o.maxCycles, stall: o.stall, fault, expect: o.expect, artifacts: o.artifacts, configArg: o.config, flags, sim });
    } catch (e) {
      waves?.undo();
      throw e;
    }
    writeFileAtomic(o.output, toJson(result) + '\n');
    out(`run ok: ${d.name} ${o.config}: ${result.cycles} cycles measured in RTL, result in ${o.output}` + (trace ? `, waves in ${trace}` : ''));
  });

  const map = program
    .command('map')
    .description("write a layer's descriptor as a memory image (descriptor.hex, $readmemh) and JSON (descriptor.json: fields, DRAM regions, model cycles) for designs that run from one (rs)")
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .requiredOption('-i, --input <file>', 'the layer shape: {"N", "C", "H", "W", "M", "R", "S", "stride", "padding"?, "bias"?, "relu"?}')
    .requiredOption('-o, --out <dir>', 'output folder: new, empty, or written by accelforge before')
    .option('--force', 'replace a non-empty folder accelforge did not write');
  addDesignFlags(map);
  map.action(async (d: AnyDesign, o: Record<string, unknown> & { config: string; input: string; out: string; force?: boolean }) => {
    if (!d.map) throw new InputError(`design ${d.name} runs from host-port transactions, not a descriptor (its datasheet.md gives the CSR map); map takes ${designs.filter((x) => x.map).map((x) => x.name).join(', ')}`);
    const flags = pickFlags(d, o);
    checkOutputDir('--out', o.out, { force: o.force });
    const cfg = loadConfig(d, o.config);
    const r = d.map(cfg, readJsonFile(o.input, '--input'), o.input, flags);
    writeDirAtomic(o.out, r.files, { force: o.force, kind: 'map' });
    out(`${r.summary}; files in ${resolve(o.out)}`);
  });

  program
    .command('verify')
    .description('random problems, RTL against the golden model; a line per case; non-zero exit on any mismatch')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .option('--seed <n>', 'first case seed (case i uses seed + i)', intArg('--seed', 0))
    .option('--cases <n>', 'number of cases (up to 16 build in the fast-build profile, more in fast-sim; ACCELFORGE_BUILD_PROFILE overrides)', intArg('--cases', 1, 100000), 10)
    .option('--sim <simulator>', "simulator: 'verilator' (default) or 'icarus' (ws, eie)")
    .option('--inject-fault <pe>', "flip a product bit in one PE, e.g. 'pe[1][2]' (ws, rs) or 'pe[3]' (eie); 'pe[1][2]:bit4' picks the bit")
    .option('--artifacts <dir>', 'where failure reports and waveforms go', 'artifacts')
    .option('--json <file>', 'also write the cases and failures as JSON (schema accelforge.verify/1; `accelforge report` renders it)')
    .action(async (d: AnyDesign, o: { config: string; seed?: number; cases: number; injectFault?: string; artifacts: string; sim?: string; json?: string }) => {
      const sim = simArg(d, o.sim);
      if (o.json !== undefined) checkOutputFile('--json', o.json);
      if (o.seed !== undefined && o.seed > Number.MAX_SAFE_INTEGER - (o.cases - 1)) {
        throw new InputError(`--seed ${o.seed} with --cases ${o.cases} runs seeds past ${Number.MAX_SAFE_INTEGER}; allowed: seed + cases - 1 <= ${Number.MAX_SAFE_INTEGER}`);
      }
      checkArtifactsRoot(o.artifacts);
      const cfg = loadConfig(d, o.config);
      const fault = o.injectFault ? parseFault(o.injectFault, d.grid(cfg)) : undefined;
      const seed = o.seed ?? newSeed();
      // The work ahead picks the build profile (docs/benchmarks.md, "Build profiles"): a few
      // cases are dominated by the compile, many by the simulation.
      process.env.ACCELFORGE_BUILD_PROFILE ||= o.cases <= fewCases ? 'fast-build' : 'fast-sim';
      out(`verify ${d.name} ${o.config}: ${o.cases} cases from seed ${seed}${fault ? ` with injected fault ${faultName(fault)}` : ''}, profile ${process.env.ACCELFORGE_BUILD_PROFILE}`);
      // A bar for many cases on a terminal; the case lines print above it.
      const bar = progress({ total: o.cases, unit: 'cases', offTty: 'quiet', quiet: o.cases < 4 });
      let r: VerifyReport;
      try {
        r = await verifyDesign(d, cfg, o.config, seed, o.cases, (l) => bar.log(l), { fault, artifacts: o.artifacts, sim, onCase: (i, label) => bar.update(i, label) });
      } finally {
        bar.stop();
      }
      if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
      process.exitCode = r.failed ? 1 : 0;
    });

  program
    .command('train')
    .description('train a built-in model on the MNIST training split and write it as ONNX (deterministic; cached after the first training)')
    .argument('<model>', `one of ${builtinModels.join(', ')}`)
    .requiredOption('-o, --out <file.onnx>', 'where the ONNX model goes')
    .action(async (name: string, o: { out: string }) => {
      if (!isBuiltin(name)) throw new InputError(`unknown model '${name.slice(0, 64)}'; allowed: ${builtinModels.join(', ')}`);
      checkOutputFile('--out', o.out);
      const path = await builtinModelPath(name, (l) => process.stderr.write(`${l}\n`));
      const g = readOnnx(path, name);
      writeFileAtomic(o.out, readFileSync(path), '--out');
      out(`${name}: float test accuracy ${(100 * floatTestAccuracy(g)).toFixed(2)} % on the 2,000 MNIST test images; written to ${resolve(o.out)}`);
    });

  program
    .command('model')
    .description('run a trained network on the RTL: every layer bit-exact against the integer golden model; per-layer cycles, counters, energy; accuracy')
    .argument('<model>', `an .onnx file, one of ${builtinModels.join(', ')}, or (eie) a folder written by compress`)
    .requiredOption('--design <name>', 'design that runs the layers: ws, rs, eie (the model Deep-Compressed), or rs,eie (convolutions on rs, FC layers on eie)')
    .addOption(configOption())
    .option('--images <n>', 'test images (evenly spread over the 2,000-image test split)', intArg('--images', 1, 2000), 200)
    .option('--batch <n>', 'images per RTL run', intArg('--batch', 1, 2000))
    .option('--dump <dir>', 'write the integer inputs, weights, bias and raw RTL outputs of every layer for the first 4 images (JSON; ws and rs)')
    .option('--json <file>', 'write the report as JSON')
    .option('--artifacts <dir>', 'where failure reports and waveforms go', 'artifacts')
    .action(async (modelArg: string, o: { design: string; config: string; images: number; batch?: number; dump?: string; json?: string; artifacts: string }) => {
      const names = o.design.split(',');
      const configs = o.config.split(',');
      if (names.length !== configs.length) throw new InputError(`--design '${o.design}' names ${names.length} design(s) but --config '${o.config}' gives ${configs.length}; give one config per design, in the same order`);
      const ds = names.map((n) => designByName(n));
      const eieAt = names.indexOf('eie');
      if (ds.length > 2 || (ds.length === 2 && eieAt !== 1)) throw new InputError(`--design '${o.design}': allowed: ws, rs, eie, rs,eie or ws,eie (the FC layers last, on eie)`);
      for (const d of ds) if (!d.network && d.name !== 'eie') throw new InputError(`--design ${d.name} cannot run network layers; designs that can: ${[...designs.filter((x) => x.network).map((x) => x.name), 'eie'].join(', ')}`);
      if (o.dump !== undefined && eieAt >= 0) throw new InputError('--dump applies to --design ws and rs (the eie chain keeps its intermediate layers on chip)');
      if (o.json !== undefined) checkOutputFile('--json', o.json);
      if (o.dump !== undefined) checkOutputDir('--dump', o.dump);
      checkArtifactsRoot(o.artifacts);
      const cfgs = ds.map((d, i) => loadConfig(d, configs[i]!));
      const progressLog = (l: string) => process.stderr.write(`${l}\n`);
      if (eieAt >= 0) {
        // A convolution on eie alone is refused before any compression work.
        if (ds.length === 1 && !isCompressedDir(modelArg)) refuseConvOnEie(await loadModel(modelArg, progressLog), modelArg);
        const { cm } = await compressedModel(modelArg, progressLog);
        const pre = ds.length === 2 ? { d: ds[0]!, cfg: cfgs[0]! } : undefined;
        const r = await runModelEie(ds[eieAt]!, cfgs[eieAt]! as never, cm, { images: o.images, batch: o.batch, artifacts: o.artifacts, configArg: o.config, modelArg }, pre);
        for (const l of eieModelText(r)) out(l);
        if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
        return;
      }
      const d = ds[0]!;
      const g = await loadModel(modelArg, progressLog);
      const r = await runModel(d, cfgs[0]!, g, { images: o.images, batch: o.batch, dump: o.dump, artifacts: o.artifacts, configArg: o.config, modelArg, log: out });
      for (const l of modelText(r)) out(l);
      if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
    });

  program
    .command('compare')
    .description('the dataflow comparison: every layer of a set on ws, os and rs at equal area (256 PEs, 256,000 B on chip each), normalized energy per MAC by level and cycles; each layer checked on the RTL (scaled down, bit-exact, counters equal to the models), full layers from the exact models')
    .addOption(new Option('--layers <set>', 'layer set').choices(Object.keys(layerSets)).makeOptionMandatory())
    .option('--batch <n>', 'images per layer', intArg('--batch', 1, 1024), 16)
    .addOption(new Option('--pes <n>', 'PEs per design: 256 (ws-256, os-256, rs-256) or 16 (the 4x4 presets, quick)').choices(Object.keys(equalArea)).default('256'))
    .option('--designs <list>', 'a subset, comma-separated (default: ws,os,rs)')
    .option('--seed <n>', 'random weights and inputs', intArg('--seed', 0, 2 ** 31 - 1), 1)
    .option('--json <file>', 'write the report as JSON (schema accelforge.compare/1)')
    .action(async (o: { layers: string; batch: number; pes: string; designs?: string; seed: number; json?: string }) => {
      if (o.json !== undefined) checkOutputFile('--json', o.json);
      const r = await runCompare({ layers: o.layers, batch: o.batch, pes: o.pes, designs: o.designs?.split(','), seed: o.seed, log: (l) => process.stderr.write(`${l}\n`) });
      for (const l of compareText(r)) out(l);
      if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
    });

  program
    .command('sweep')
    .description('verify over a grid of configurations (a JSON or YAML file: {design, params: {key: [values] or {from, to, step}}}); --shard i/n runs every n-th configuration from the i-th; JUnit with a test case per configuration; builds in the fast-build profile')
    .argument('<grid>', 'grid file (.json, .yaml or .yml)')
    .option('--shard <i/n>', 'this shard of n (disjoint; the n shards together are the whole grid)', '1/1')
    .option('-j, --jobs <n>', 'configurations verified at once', intArg('--jobs', 1, 64), 1)
    .option('--cases <n>', 'random cases per configuration', intArg('--cases', 1, 10000), 4)
    .option('--seed <n>', 'first case seed', intArg('--seed', 0, 2 ** 31 - 1), 1)
    .option('--junit <file>', 'write a JUnit XML report (a test case per configuration)')
    .option('--json <file>', 'write the report as JSON (schema accelforge.sweep/1)')
    .option('--artifacts <dir>', 'where failure reports and waveforms go', 'artifacts')
    .action(async (gridPath: string, o: { shard: string; jobs: number; cases: number; seed: number; junit?: string; json?: string; artifacts: string }) => {
      const shard = parseShard(o.shard);
      if (o.junit !== undefined) checkOutputFile('--junit', o.junit);
      if (o.json !== undefined) checkOutputFile('--json', o.json);
      checkArtifactsRoot(o.artifacts);
      const g = readGrid(gridPath);
      // A sweep compiles every configuration and runs it briefly: the fast-build profile.
      process.env.ACCELFORGE_BUILD_PROFILE ??= 'fast-build';
      out(`sweep ${g.design.name}: ${g.configs.length} configurations${g.skipped ? ` (${g.skipped} combinations skipped: ${g.firstSkip})` : ''}, shard ${shard[0]}/${shard[1]}, ${o.cases} cases each, profile ${process.env.ACCELFORGE_BUILD_PROFILE}`);
      const bar = progress({ total: shardIndices(g.configs.length, shard).length, unit: 'configurations', offTty: 'quiet' });
      let done = 0;
      let r: SweepReport;
      try {
        r = await runSweep(g, { shard, jobs: o.jobs, cases: o.cases, seed: o.seed, artifacts: o.artifacts, log: (l) => (bar.log(l), bar.update(++done)) });
      } finally {
        bar.stop();
      }
      const failed = r.cases.filter((c) => !c.passed).length;
      out(`${r.cases.length - failed} configurations passed, ${failed} failed`);
      if (o.junit !== undefined) writeFileAtomic(o.junit, sweepJunit(r), '--junit');
      if (o.json !== undefined) writeFileAtomic(o.json, toJson(r, 2) + '\n', '--json');
      if (failed) process.exitCode = 1;
    });

  program
    .command('compress')
    .description('Deep Compression of a trained model (iterative pruning with retraining, trained 4-bit weight sharing, relative indices, Huffman) with storage and accuracy statistics')
    .argument('<model>', `an .onnx file or one of ${builtinModels.join(', ')}`)
    .requiredOption('-o, --out <dir>', 'output folder (new, empty, or written by accelforge)')
    .option('--force', 'replace a non-empty folder accelforge did not write')
    .option('--json <file>', 'also write the statistics (stats.json) here')
    .action(async (modelArg: string, o: { out: string; force?: boolean; json?: string }) => {
      checkOutputDir('--out', o.out, { force: o.force });
      if (o.json !== undefined) checkOutputFile('--json', o.json);
      const { cm } = await compressedModel(modelArg, (l) => process.stderr.write(`${l}\n`));
      const stats = compressStats(cm);
      writeDirAtomic(o.out, compressedFiles(cm, stats), { force: o.force, kind: 'compressed-model' });
      for (const l of compressText(stats)) out(l);
      out(`compressed model in ${resolve(o.out)}`);
      if (o.json !== undefined) writeFileAtomic(o.json, JSON.stringify(stats, null, 2) + '\n', '--json');
    });

  program
    .command('waves')
    .description('reprint a failure report and the command that opens its waveform')
    .argument('<dir>', 'a failure artifacts folder (printed by verify / run --expect)')
    .action((dir: string) => {
      const r = readFailureReport(dir);
      if (!r) throw new InputError(`'${dir}' holds no failure report (report.txt and report.json); failures are written under --artifacts (default: artifacts/<design>-<hash>-seed<n>)`);
      out(r.text.trimEnd());
      // Point only at the wave files that are there (a copied or pruned folder may lack them).
      const gtkw = resolve(dir, 'waves.gtkw'), vcd = resolve(dir, 'waves.vcd'), svg = resolve(dir, 'waves.svg');
      out('');
      if (existsSync(gtkw)) out(`open with GTKWave: gtkwave ${gtkw}   (install: apt-get install -y gtkwave)`);
      if (existsSync(vcd)) out(`or Surfer:         surfer ${vcd}`);
      if (existsSync(svg)) out(`WaveDrom picture:  ${svg}`);
      if (![gtkw, vcd, svg].some((f) => existsSync(f))) out(`no waveform files in ${resolve(dir)}; rerun the reproduce command above to write them`);
    });

  program
    .command('report')
    .description('one self-contained HTML page (inline SVG charts, no network at view time) from the JSON of bench, verify, model, compress, compare and sweep')
    .argument('<results...>', 'result JSON files, or folders of them (e.g. docs/results)')
    .requiredOption('-o, --out <file.html>', 'where the page goes')
    .option('--title <text>', 'page title', 'accelforge report')
    .action(async (paths: string[], o: { out: string; title: string }) => {
      checkOutputFile('--out', o.out);
      const t0 = performance.now();
      const files = resultFiles(paths);
      const html = await renderReport(files.map(loadResult), { title: o.title });
      writeFileAtomic(o.out, html, '--out');
      out(`report of ${files.length} result files in ${resolve(o.out)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    });

  program
    .command('presets')
    .description('list the presets of a design')
    .argument('[design]', 'design', designArg)
    .action((d?: AnyDesign) => {
      for (const x of d ? [d] : designs) out(`${x.name}: ${presetNames(x).join(', ')}`);
    });

  program
    .command('demo')
    .description('generate, lint, synthesize, co-simulate and check the ws presets, then verify eie-4pe and rs-4x4; writes a report')
    .option('--out <dir>', 'where generated RTL and reports go', 'out/demo')
    .action(async (o: { out: string }) => {
      process.exitCode = await demo(o.out, out);
    });

  return program;
}

/** Runs the CLI; returns the process exit code (never throws). */
export async function main(argv: string[]): Promise<number> {
  // A closed pipe (`accelforge presets | head -1`) ends the output, not the process with a trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      if (e.code === 'commander.help') return 0;
      return 2; // commander already printed the message
    }
    if (e instanceof AccelforgeError) {
      process.stderr.write(`accelforge: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      process.stderr.write('accelforge: the input is nested too deeply to check (JSON nesting beyond what a problem or config can have)\n');
      return 2;
    }
    process.stderr.write(`accelforge: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}
