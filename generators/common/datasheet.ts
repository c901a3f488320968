// The per-configuration datasheet `generate` writes (datasheet.md): what a
// user integrating the RTL alone needs. The generic part comes from the
// generated design (parameters, every port, memories, files, tools); the
// numerics are the design's section of docs/numerics.md; the design adds its
// protocol, maps, layouts, encodings and cycle formula (Design.datasheet).
import { readFileSync } from 'node:fs';
import type { GeneratedDesign } from './design.js';
import { repoPath } from '../../golden/common/repo.js';

const numericsPath = repoPath('docs/numerics.md');

/** An override of this design's own first integer parameter, on the command line and in a parent. */
function overrideExample(d: GeneratedDesign): string {
  const [k, v] = Object.entries(d.parameters).find(([, x]) => typeof x === 'number') ?? ['Width', 8];
  const other = Number(v) > 2 ? Number(v) - 1 : Number(v) + 1;
  return `\`-G${k}=${other}\`, \`#(.${k}(${other}))\``;
}

/** The `## \`<design>\`` section of docs/numerics.md (with the notation section). */
export function numericsSection(design: string): string {
  const text = readFileSync(numericsPath, 'utf8');
  const sections = text.split(/^(?=## )/m);
  const pick = (head: string) => sections.find((s) => s.startsWith(head))?.trim() ?? '';
  return [pick('## Notation'), pick(`## \`${design}\``)].filter(Boolean).join('\n\n').replace(/^## /gm, '### ');
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function datasheet(d: GeneratedDesign, designSections: string): string {
  const files = d.modules.map((m) => `${m.name}.sv`);
  const srams = (d.memories ?? []).filter((m) => m.kind === undefined);
  const regFiles = (d.memories ?? []).filter((m) => m.kind === 'register file');
  const out: string[] = [
    `# ${d.top}: datasheet (accelforge ${d.design}, config ${d.configHash})`,
    '',
    'Generated with the RTL of this folder; regenerate for another configuration. Configuration:',
    '',
    '```json',
    JSON.stringify(d.config, null, 2),
    '```',
    '',
    '## Parameters',
    '',
    `The configuration is in the SystemVerilog parameter defaults below. Widths and structures derive from the parameters ($clog2, generate blocks), so an override (${overrideExample(d)}) stays correct RTL (accelforge runs overridden ws and eie builds bit-exact in its tests); this datasheet, the manifest and the host driver describe the values below, so generate the configuration you use to get matching ones.`,
    '',
    '| parameter | value |',
    '|---|---|',
    ...Object.entries(d.parameters).map(([k, v]) => `| \`${k}\` | ${v} |`),
    '',
    '## Ports',
    '',
    `Every port of \`${d.top}\` (also in manifest.json). Inputs are sampled at the rising edge of \`clk_i\`; \`rst_ni\` resets asynchronously (active low).`,
    '',
    '| port | direction | width | meaning |',
    '|---|---|---|---|',
    ...d.ports.map((p) => `| \`${p.name}\` | ${p.direction} | ${p.width} | ${cell(p.doc)} |`),
    '',
    '## Memories',
    '',
    'Every memory below is an `af_sram_1r1w` instance (af_sram_1r1w.sv): one write port (`we_i`, `waddr_i`, `wdata_i`) and one read port (`re_i`, `raddr_i`, `rdata_o`) on `clk_i`; read data is registered, valid the cycle after `re_i`, and holds until the next read; a read of the address written in the same cycle returns the old data; no reset. To use SRAM macros, replace the body of `af_sram_1r1w` (or each instance below) with a macro of that behaviour.',
    '',
    '| instance (below the top) | count | width | depth | holds |',
    '|---|---|---|---|---|',
    ...srams.map((m) => `| \`${m.path}\` | ${m.count} | ${m.width} | ${m.depth} | ${cell(m.what)} |`),
    '',
    ...(regFiles.length
      ? [
          'Storage kept in flip-flops (register files inside a module, not macros), each with the reason:',
          '',
          '| array (below the top) | count | width | depth | holds | why flip-flops |',
          '|---|---|---|---|---|---|',
          ...regFiles.map(
            (m) => `| \`${m.path}\` | ${m.count} | ${m.width} | ${m.depth} | ${cell(m.what)} | ${cell(m.why ?? '')} |`,
          ),
          '',
        ]
      : []),
    '## Files and tools',
    '',
    `Sources in dependency order (files.f): ${files.map((f) => `\`${f}\``).join(', ')}; top \`${d.top}\`. Each tool has its list, usable from any folder (\`pkg\` is this folder): files.f holds names relative to itself (Verilator's -F); icarus.cmd names them under \`$(AF_RTL)\` (Icarus reads names relative to the current folder and substitutes environment variables); yosys.tcl reads them relative to the script:`,
    '',
    '```sh',
    `verilator --lint-only -Wall -F pkg/files.f --top-module ${d.top}`,
    `AF_RTL=pkg iverilog -g2012 -s ${d.top} -o sim.vvp -c pkg/icarus.cmd`,
    `yosys -c pkg/yosys.tcl -p 'proc; check -assert; synth -top ${d.top}; stat'`,
    `fusesoc --cores-root pkg run --target lint accelforge:${d.design}:${d.top}_${d.configHash}`,
    '```',
    '',
    'Tested as generated with Verilator 5.006 (-Wall, no warning), Icarus Verilog 11, Yosys 0.23 (Debian) and the Yosys of @yowasp/yosys.',
    '',
    "The sources declare no `` `timescale ``: the RTL has no delays, so any time unit works. They take the simulator's default or the one given for files without it (`verilator --timescale 1ns/1ps`; Icarus applies its default), so a testbench that declares its own `` `timescale `` compiles with them unchanged (checked with Verilator 5.006 and Icarus 11).",
    '',
    '## Numerics',
    '',
    numericsSection(d.design),
    '',
    designSections.trim(),
    '',
  ];
  return out.join('\n');
}
