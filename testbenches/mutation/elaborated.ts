// Which source lines a configuration elaborates: the system Yosys reads the
// generated design, elaborates it from its top (generate blocks resolved
// with the configuration's parameters) and keeps a `src` attribute on every
// wire, cell and process it made. A line no netlist object names lies in a
// generate branch this configuration does not build: a mutation there is
// equivalent by construction, and is classed so instead of being simulated.
import type { GeneratedDesign } from '../../generators/common/design.js';
import { runSystemYosysScript } from '../tools/yosys/system.js';
import { canonicalRtlil } from './canonical-rtlil.js';

/** Lines per file name (e.g. "ws_pe.sv") that the elaborated netlist names. */
export type ElaboratedLines = Map<string, Set<number>>;

/** Parses RTLIL: the line ranges of every `src` attribute except those on modules (a module spans its whole file). */
export function parseSrcLines(rtlil: string): ElaboratedLines {
  const out: ElaboratedLines = new Map();
  let pending: string[] = [];
  for (const raw of rtlil.split('\n')) {
    const l = raw.trim();
    const m = /^attribute \\src "(.*)"$/.exec(l);
    if (m) {
      pending.push(m[1]!);
      continue;
    }
    if (l.startsWith('attribute ')) continue;
    if (!l.startsWith('module ')) for (const src of pending) addRanges(out, src);
    pending = [];
  }
  return out;
}

function addRanges(out: ElaboratedLines, src: string) {
  for (const part of src.split('|')) {
    const m = /^(.*?):(\d+)\.\d+-(\d+)\.\d+$/.exec(part);
    if (!m || m[2] === '0') continue;
    const set = out.get(m[1]!) ?? new Set<number>();
    for (let l = Number(m[2]); l <= Number(m[3]); l++) set.add(l);
    out.set(m[1]!, set);
  }
}

/** The elaborated lines of a generated design (system Yosys: read, hierarchy, proc). */
export async function elaboratedLines(d: GeneratedDesign): Promise<ElaboratedLines> {
  const files = d.modules.map((m) => `${m.name}.sv`).join(' ');
  const ys = [`read_verilog -sv -DSYNTHESIS ${files}`, `hierarchy -top ${d.top}`, 'proc', 'write_rtlil elab.il'].join(
    '\n',
  );
  const out = await runSystemYosysScript(d, ys + '\n', ['elab.il'], `${d.top} (elaborated lines)`);
  return parseSrcLines(out['elab.il']!);
}

/** Yosys commands that read the design with `blackbox` as a blackbox, elaborate it from its top and run proc. */
export function readElaborated(d: GeneratedDesign, blackbox: string): string[] {
  const files = d.modules.filter((m) => m.name !== blackbox).map((m) => `${m.name}.sv`);
  return [
    ...(d.modules.some((m) => m.name === blackbox) ? [`read_verilog -sv -DSYNTHESIS -lib ${blackbox}.sv`] : []),
    `read_verilog -sv -DSYNTHESIS ${files.join(' ')}`,
    `hierarchy -top ${d.top}`,
    'proc',
  ];
}

/**
 * The design's netlist after Yosys's semantics-preserving optimizations
 * (proc, flatten, opt -full, opt_clean -purge), with the SRAM model read as
 * a blackbox, source positions removed and private names drawn from the
 * structure (canonical-rtlil.ts): two designs with the same text here compute
 * the same function in every cycle, so a mutant whose netlist equals the
 * original's is equivalent (for example, logic of a dataflow the
 * configuration's array does not run, folded away as constant).
 */
export async function optimizedNetlist(d: GeneratedDesign, blackbox: string): Promise<string> {
  const ys = [
    ...readElaborated(d, blackbox),
    'flatten',
    'opt -full',
    'opt_clean -purge',
    'setattr -unset src',
    'write_rtlil opt.il',
  ].join('\n');
  const out = await runSystemYosysScript(d, ys + '\n', ['opt.il'], `${d.top} (optimized netlist)`);
  // Yosys numbers what it creates in creation order: dead logic removed still shifts every later number.
  return canonicalRtlil(out['opt.il']!);
}
