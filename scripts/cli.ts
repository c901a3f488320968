// accelforge command line (contract: ../shared/spec/cli.md).
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { checkDesign, loadConfig, presetNames, readJsonFile, implementedDesigns, type Design } from '../designs/config-registry.js';
import { AccelforgeError, InputError } from '../core/errors.js';
import { rsObjectives, type RsObjective } from '../designs/rs/rs-map.js';
import { faultName, parseFault } from '../core/fault.js';
import { readFailureReport } from '../toolchain/failure/report.js';
import { generate } from '../designs/generate-registry.js';
import { designFiles, writeDirAtomic } from '../core/emit.js';
import { lint } from '../toolchain/verilator/runner.js';
import { synth } from '../toolchain/yosys/synth.js';
import { newSeed } from '../core/random.js';
import { designOps } from '../designs/index.js';
import { toJson } from './io.js';
import { checkArtifactsRoot, checkOutputDir, checkOutputFile, ensureDir, writeFileAtomic } from '../core/output.js';
import { demo } from './demo.js';

const out = (s: string) => process.stdout.write(s + '\n');

function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string) => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function designArg(v: string): Design {
  return checkDesign(v);
}

function configOption() {
  return new Option('-c, --config <preset|file.json>', 'preset name or JSON config file').makeOptionMandatory();
}

export function buildProgram(): Command {
  const program = new Command('accelforge')
    .description('Generate, lint, synthesize and co-simulate DNN accelerator RTL (ws, rs, eie)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('generate')
    .description('write the RTL of a configuration (one .sv per module, files.f, manifest.json, binding.ts)')
    .argument('<design>', `one of ${implementedDesigns().join(', ')}`, designArg)
    .addOption(configOption())
    .requiredOption('-o, --out <dir>', 'output folder: new, empty, or written by accelforge before (then replaced as a whole)')
    .option('--force', 'replace a non-empty folder accelforge did not write (never /, the home or current folder, or a repository root)')
    .action(async (design: Design, o: { config: string; out: string; force?: boolean }) => {
      checkOutputDir('--out', o.out, { force: o.force });
      const cfg = loadConfig(design, o.config);
      const d = generate(design, cfg);
      writeDirAtomic(o.out, await designFiles(d), { force: o.force, kind: 'rtl' });
      out(`generated ${d.design} (${o.config}, config ${d.configHash}) top ${d.top}: ${d.modules.length} modules in ${resolve(o.out)}`);
    });

  program
    .command('lint')
    .description('Verilator --lint-only -Wall on the generated RTL; exit 0 only with zero warnings')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .action(async (design: Design, o: { config: string }) => {
      const d = generate(design, loadConfig(design, o.config));
      await lint(d);
      out(`lint clean: ${design} ${o.config} (config ${d.configHash}), ${d.modules.length} modules, 0 warnings`);
    });

  program
    .command('synth')
    .description('Yosys synthesis check: fails on latches, multiple drivers, undriven nets; reports cells and flip-flops')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .addOption(new Option('--flow <flow>', 'coarse (word-level cells) or gates (ABC, slower)').choices(['coarse', 'gates']).default('coarse'))
    .option('--json', 'print the report as JSON')
    .action(async (design: Design, o: { config: string; flow: 'coarse' | 'gates'; json?: boolean }) => {
      const d = generate(design, loadConfig(design, o.config));
      const r = await synth(d, o.flow);
      if (o.json) {
        out(toJson(r, 2));
        return;
      }
      out(`synth ok: ${design} ${o.config} top ${r.top} (${r.flow}): ${r.cells} cells, ${r.flipFlops} flip-flop bits, ${r.seconds.toFixed(1)} s`);
      for (const [t, n] of Object.entries(r.cellTypes).sort((a, b) => b[1] - a[1])) out(`  ${t.padEnd(16)} ${n}`);
    });

  program
    .command('run')
    .description('run the problem in IN.json on the Verilator model and write what the RTL produced')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .requiredOption('-i, --input <file>', 'problem JSON (cli.md)')
    .requiredOption('-o, --output <file>', 'result JSON')
    .option('--waves <dir>', 'write an FST trace of the run into this directory')
    .option('--max-cycles <n>', 'cycle watchdog', intArg('--max-cycles', 1))
    .option('--stall <permille>', 'chance (1/1000) per host request that the host idles a cycle first', intArg('--stall', 0, 999))
    .option('--expect', 'check the result against the golden model; on a mismatch write failure artifacts and exit 1')
    .option('--inject-fault <pe>', "flip a product bit in one PE, e.g. 'pe[1][2]' (ws, rs) or 'pe[3]' (eie); 'pe[1][2]:bit4' picks the bit")
    .option('--artifacts <dir>', 'where failure reports and waveforms go', 'artifacts')
    .addOption(new Option('--objective <what>', 'rs: what the mapper minimizes (cycles, then energy; or Eyeriss-model energy, then cycles)').choices([...rsObjectives]))
    .action(async (design: Design, o: { config: string; input: string; output: string; waves?: string; maxCycles?: number; stall?: number; expect?: boolean; injectFault?: string; artifacts: string; objective?: RsObjective }) => {
      if (o.objective && design !== 'rs') throw new InputError(`--objective '${o.objective}' applies to design rs only (the ${design} mapping is fixed by the hardware)`);
      // Output paths are checked before anything runs (a long simulation must not end in a bad path).
      checkOutputFile('--output', o.output);
      checkArtifactsRoot(o.artifacts);
      const cfg = loadConfig(design, o.config);
      const fault = o.injectFault ? parseFault(o.injectFault, designOps(design).grid(cfg)) : undefined;
      const raw = readJsonFile(o.input, '--input');
      const waves = o.waves !== undefined ? ensureDir('--waves', o.waves) : undefined;
      const trace = waves ? resolve(waves.dir, `${design}.fst`) : undefined;
      let result;
      try {
        result = await designOps(design).run(cfg, raw, o.input, { waves: trace, maxCycles: o.maxCycles, stall: o.stall, fault, expect: o.expect, artifacts: o.artifacts, configArg: o.config, objective: o.objective });
      } catch (e) {
        waves?.undo();
        throw e;
      }
      writeFileAtomic(o.output, toJson(result) + '\n');
      out(`run ok: ${design} ${o.config}: ${result.cycles} cycles measured in RTL, result in ${o.output}` + (trace ? `, waves in ${trace}` : ''));
    });

  program
    .command('verify')
    .description('random problems, RTL against the golden model; a line per case; non-zero exit on any mismatch')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .option('--seed <n>', 'first case seed (case i uses seed + i)', intArg('--seed', 0))
    .option('--cases <n>', 'number of cases', intArg('--cases', 1, 100000), 10)
    .option('--inject-fault <pe>', "flip a product bit in one PE, e.g. 'pe[1][2]' (ws, rs) or 'pe[3]' (eie); 'pe[1][2]:bit4' picks the bit")
    .option('--artifacts <dir>', 'where failure reports and waveforms go', 'artifacts')
    .action(async (design: Design, o: { config: string; seed?: number; cases: number; injectFault?: string; artifacts: string }) => {
      checkArtifactsRoot(o.artifacts);
      const cfg = loadConfig(design, o.config);
      const fault = o.injectFault ? parseFault(o.injectFault, designOps(design).grid(cfg)) : undefined;
      const seed = o.seed ?? newSeed();
      out(`verify ${design} ${o.config}: ${o.cases} cases from seed ${seed}${fault ? ` with injected fault ${faultName(fault)}` : ''}`);
      process.exitCode = await designOps(design).verify(cfg, o.config, seed, o.cases, out, { fault, artifacts: o.artifacts });
    });

  program
    .command('waves')
    .description('reprint a failure report and the command that opens its waveform')
    .argument('<dir>', 'a failure artifacts folder (printed by verify / run --expect)')
    .action((dir: string) => {
      const r = readFailureReport(dir);
      if (!r) throw new InputError(`'${dir}' holds no failure report (report.txt and report.json); failures are written under --artifacts (default: artifacts/<design>-<hash>-seed<n>)`);
      out(r.text.trimEnd());
      const gtkw = resolve(dir, 'waves.gtkw');
      out('');
      out(`open with GTKWave: gtkwave ${gtkw}   (install: apt-get install -y gtkwave)`);
      out(`or Surfer:         surfer ${resolve(dir, 'waves.vcd')}`);
      out(`WaveDrom picture:  ${resolve(dir, 'waves.svg')}`);
    });

  program
    .command('presets')
    .description('list the presets of a design')
    .argument('[design]', 'design', designArg)
    .action((design?: Design) => {
      for (const d of design ? [design] : implementedDesigns()) out(`${d}: ${presetNames(d).join(', ')}`);
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
    process.stderr.write(`accelforge: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}

