// The RTL verbs: generate (the hand-off package), lint (Verilator -Wall),
// synth (Yosys), presets.
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { designFiles } from '../../generators/common/emit.js';
import { toJson } from '../../golden/common/show.js';
import { checkOutputDir, writeDirAtomic } from '../../testbenches/common/output.js';
import { designNames, designs, loadConfig, presetNames, type AnyDesign } from '../../testbenches/registry.js';
import { lint } from '../../testbenches/tools/verilator/runner.js';
import { synth } from '../../testbenches/tools/yosys/synth.js';
import { area, areaText } from '../../testbenches/tools/yosys/area.js';
import { configOption, designArg, out } from './options.js';

export const generateCommand = () =>
  new Command('generate')
    .description(
      'write the RTL of a configuration (one .sv per module, files.f, manifest.json with the memories, binding.ts, datasheet.md, a FuseSoC .core)',
    )
    .argument('<design>', `one of ${designNames().join(', ')}`, designArg)
    .addOption(configOption())
    .requiredOption(
      '-o, --out <dir>',
      'output folder: new, empty, or written by accelforge before (then replaced as a whole)',
    )
    .option(
      '--force',
      'replace a non-empty folder accelforge did not write (never /, the home or current folder, or a repository root)',
    )
    .option(
      '--with-fault-hooks',
      'keep the fault-injection parameters (FaultEnable, FaultBit) in the RTL; by default the package has none',
    )
    .action(async (d: AnyDesign, o: { config: string; out: string; force?: boolean; withFaultHooks?: boolean }) => {
      checkOutputDir('--out', o.out, { force: o.force, canForce: true });
      const cfg = loadConfig(d, o.config);
      const g = d.generate(cfg, { faultHooks: o.withFaultHooks });
      writeDirAtomic(o.out, await designFiles(g, d.datasheet(cfg)), { force: o.force, canForce: true, kind: 'rtl' });
      out(
        `generated ${g.design} (${o.config}, config ${g.configHash}) top ${g.top}: ${g.modules.length} modules in ${resolve(o.out)}`,
      );
    });

export const lintCommand = () =>
  new Command('lint')
    .description('Verilator --lint-only -Wall on the generated RTL; exit 0 only with zero warnings')
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .action(async (d: AnyDesign, o: { config: string }) => {
      const g = d.generate(loadConfig(d, o.config));
      await lint(g);
      out(`lint clean: ${d.name} ${o.config} (config ${g.configHash}), ${g.modules.length} modules, 0 warnings`);
    });

export const synthCommand = () =>
  new Command('synth')
    .description(
      'Yosys synthesis check (fails on latches, multiple drivers, undriven nets) and, per module, area and timing: ' +
        'cells, flip-flops, memory bits by kind, NAND2-equivalent gates, longest path in gate levels (system Yosys)',
    )
    .argument('<design>', 'design', designArg)
    .addOption(configOption())
    .addOption(
      new Option('--flow <flow>', 'coarse (word-level cells) or gates (ABC, slower)')
        .choices(['coarse', 'gates'])
        .default('coarse'),
    )
    .option('--no-area', 'skip the per-module area and timing report')
    .option('--json', 'print the report as JSON (the area under "area", schema accelforge.area/1)')
    .action(async (d: AnyDesign, o: { config: string; flow: 'coarse' | 'gates'; area: boolean; json?: boolean }) => {
      const g = d.generate(loadConfig(d, o.config));
      const r = await synth(g, o.flow);
      const a = o.area ? await area(g) : undefined;
      if (o.json) {
        out(toJson(a ? { ...r, area: a } : r, 2));
        return;
      }
      out(
        `synth ok: ${d.name} ${o.config} top ${r.top} (${r.flow}): ${r.cells} cells, ${r.flipFlops} flip-flop bits, ${r.seconds.toFixed(1)} s`,
      );
      for (const [t, n] of Object.entries(r.cellTypes).sort((a, b) => b[1] - a[1])) out(`  ${t.padEnd(16)} ${n}`);
      if (a) out(areaText(a));
    });

export const presetsCommand = () =>
  new Command('presets')
    .description('list the presets of a design')
    .argument('[design]', 'design', designArg)
    .action((d?: AnyDesign) => {
      for (const x of d ? [d] : designs) out(`${x.name}: ${presetNames(x).join(', ')}`);
    });
