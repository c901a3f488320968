import type { GeneratedDesign, MemorySpec } from './design.js';
import { datasheet } from './datasheet.js';

export interface Manifest {
  design: string;
  top: string;
  configHash: string;
  config: object;
  parameters: Record<string, number | boolean>;
  ports: { name: string; direction: string; width: number; dims: number[]; doc: string }[];
  files: string[];
  memories: MemorySpec[];
}

export function manifestOf(d: GeneratedDesign): Manifest {
  return {
    design: d.design,
    top: d.top,
    configHash: d.configHash,
    config: d.config,
    parameters: d.parameters,
    ports: d.ports.map(({ name, direction, width, dims, doc }) => ({ name, direction, width, dims, doc })),
    files: d.modules.map((m) => `${m.name}.sv`),
    memories: d.memories ?? [],
  };
}

/** The files of a generated design, by name. ts-morph loads only here (0.4 s). */
export async function designFiles(d: GeneratedDesign, datasheetSections?: string): Promise<Map<string, string>> {
  const { bindingSource } = await import('./binding.js');
  const files = new Map<string, string>();
  for (const m of d.modules) files.set(`${m.name}.sv`, m.text);
  // Bare names: Verilator's -F reads them relative to files.f itself (usable from any folder).
  files.set('files.f', d.modules.map((m) => `${m.name}.sv`).join('\n') + '\n');
  files.set('icarus.cmd', icarusCmd(d));
  files.set('yosys.tcl', yosysTcl(d));
  files.set(`${d.top}.core`, fusesocCore(d));
  if (datasheetSections !== undefined) files.set('datasheet.md', datasheet(d, datasheetSections));
  files.set('manifest.json', JSON.stringify(manifestOf(d), null, 2) + '\n');
  files.set('binding.ts', bindingSource(d));
  return files;
}

/**
 * Icarus's command file: Icarus reads names in a command file relative to
 * the current folder, so the package's own folder comes from the AF_RTL
 * environment variable (Icarus substitutes $(NAME) in command files).
 */
function icarusCmd(d: GeneratedDesign): string {
  return [
    `# ${d.top}: AF_RTL=<this folder> iverilog -g2012 -s ${d.top} -o sim.vvp -c <this folder>/icarus.cmd (from any folder)`,
    ...d.modules.map((m) => `$(AF_RTL)/${m.name}.sv`),
    '',
  ].join('\n');
}

/** Yosys: the sources read relative to the script itself (Tcl), then the hierarchy checked; add passes with -p. */
function yosysTcl(d: GeneratedDesign): string {
  return [
    `# ${d.top}: yosys -c <this folder>/yosys.tcl -p 'synth -top ${d.top}; stat' (from any folder)`,
    'set dir [file dirname [file normalize [info script]]]',
    ...d.modules.map((m) => `yosys read_verilog -sv $dir/${m.name}.sv`),
    `yosys hierarchy -check -top ${d.top}`,
    '',
  ].join('\n');
}

/**
 * A FuseSoC (CAPI2) core file: the sources in dependency order, the top, and
 * lint and simulation targets for Verilator and Icarus. No parameters
 * section: the defaults are this configuration (datasheet.md), and the
 * datasheet and host driver match only them.
 */
export function fusesocCore(d: GeneratedDesign): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    'CAPI=2:',
    `name: accelforge:${d.design}:${d.top}_${d.configHash}:0`,
    `description: ${q(`accelforge ${d.design} (config ${d.configHash}), generated; see datasheet.md`)}`,
    'filesets:',
    '  rtl:',
    '    file_type: systemVerilogSource',
    '    files:',
    ...d.modules.map((m) => `      - ${m.name}.sv`),
    'targets:',
    '  default:',
    '    filesets: [rtl]',
    `    toplevel: ${d.top}`,
    '  lint:',
    '    default_tool: verilator',
    '    filesets: [rtl]',
    `    toplevel: ${d.top}`,
    '    tools:',
    '      verilator:',
    '        mode: lint-only',
    '        verilator_options: [-Wall]',
    '  sim_icarus:',
    '    default_tool: icarus',
    '    filesets: [rtl]',
    `    toplevel: ${d.top}`,
    '    tools:',
    '      icarus:',
    '        iverilog_options: [-g2012]',
  ];
  return lines.join('\n') + '\n';
}
