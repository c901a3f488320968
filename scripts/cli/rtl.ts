// The RTL verbs: generate (the hand-off package), lint (Verilator -Wall),
// synth (Yosys), presets.
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { toJson } from '../../golden/common/show.js';
import { areaText, designNames, designs, lint, presetNames, synth, writeDesign, type AnyDesign } from '../api/index.js';
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
      const g = await writeDesign(d, o.config, o.out, { force: o.force, faultHooks: o.withFaultHooks });
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
      const g = await lint(d, o.config);
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
      const r = await synth(d, o.config, { flow: o.flow, area: o.area });
      if (o.json) {
        out(toJson(r, 2));
        return;
      }
      out(
        `synth ok: ${d.name} ${o.config} top ${r.top} (${r.flow}): ${r.cells} cells, ${r.flipFlops} flip-flop bits, ${r.seconds.toFixed(1)} s`,
      );
      for (const [t, n] of Object.entries(r.cellTypes).sort((a, b) => b[1] - a[1])) out(`  ${t.padEnd(16)} ${n}`);
      if (r.area) out(areaText(r.area));
    });

export const presetsCommand = () =>
  new Command('presets')
    .description('list the presets of a design')
    .argument('[design]', 'design', designArg)
    .action((d?: AnyDesign) => {
      for (const x of d ? [d] : designs) out(`${x.name}: ${presetNames(x).join(', ')}`);
    });
