// Do the memories survive synthesis? The flow a chip team runs when it
// replaces af_sram_1r1w with SRAM macros: the wrapper read as a blackbox
// (`read_verilog -lib`), the rest synthesized (coarse), then the blackbox
// instances left in the netlist are listed. Every memory the manifest
// lists must still be there (issue 30: a memory whose read data drove an
// element of an unpacked array was deleted silently). Modules with no memory
// below them (the PE arrays, the controllers) are blackboxed too: every
// module on the way from the top to a memory is synthesized, and a 256 x 256
// array costs nothing.
import { runYosysScript } from './synth.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';

export const memoryModule = 'af_sram_1r1w';

/** The memory wrapper and every module with no memory below it (the others lead to a memory). */
function boxedModules(d: GeneratedDesign): Set<string> {
  const instantiates = (text: string, name: string) => new RegExp(`^\\s*${name}\\s*(#|\\w)`, 'm').test(text);
  const leads = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const m of d.modules)
      if (!leads.has(m.name) && [memoryModule, ...leads].some((x) => instantiates(m.text, x))) {
        leads.add(m.name);
        grew = true;
      }
  }
  return new Set(d.modules.filter((m) => m.name !== d.top && !leads.has(m.name)).map((m) => m.name));
}

/** The af_sram_1r1w instances left after synthesis (hierarchical names). */
export async function synthesizedMemories(d: GeneratedDesign): Promise<string[]> {
  const boxed = boxedModules(d);
  const ys = [
    ...d.modules.map((m) => `read_verilog ${boxed.has(m.name) ? '-lib ' : ''}-sv ${m.name}.sv`),
    `hierarchy -check -top ${d.top}`,
    'proc',
    'flatten',
    `synth -top ${d.top} -run :fine`,
    'opt -full',
    `tee -q -o memories.txt select -list t:${memoryModule}`,
  ].join('\n');
  const text = await runYosysScript(d, ys, 'memories.txt', `${d.top} with blackboxed memories`);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('/'));
}

/** The instances the manifest promises (the sum of its memories' counts). */
export const listedMemories = (d: GeneratedDesign) =>
  (d.memories ?? []).filter((m) => m.kind === undefined).reduce((a, m) => a + m.count, 0);

export interface StorageArray {
  /** The module that holds the array (parameterized copies under their own name). */
  module: string;
  /** The array's name in the source. */
  name: string;
  width: number;
  depth: number;
}

/**
 * The design read with the SRAM wrapper as a blackbox, elaborated, its
 * memories collected but not mapped, and their cells dumped to arrays.txt
 * (parseStorageArrays reads it).
 */
export const arraysScript = (d: GeneratedDesign): string[] => [
  ...d.modules.map((m) => `read_verilog ${m.name === memoryModule ? '-lib ' : ''}-sv ${m.name}.sv`),
  `hierarchy -check -top ${d.top}`,
  'proc',
  'opt_clean',
  'memory -nomap',
  'tee -q -o arrays.txt dump t:$mem_v2',
];

/**
 * Every storage array Yosys infers outside the SRAM wrapper (the flip-flop
 * arrays: register files, FIFOs), one entry per distinct module copy.
 */
export async function storageArrays(d: GeneratedDesign): Promise<StorageArray[]> {
  const ys = arraysScript(d).join('\n');
  return parseStorageArrays(await runYosysScript(d, ys, 'arrays.txt', `${d.top}'s storage arrays`));
}

/** The $mem_v2 cells of a `dump t:$mem_v2`, with the module that holds each. */
export function parseStorageArrays(text: string): (StorageArray & { yosysModule: string })[] {
  const found: (StorageArray & { yosysModule: string })[] = [];
  let module = '';
  let cur: Partial<StorageArray> | undefined;
  for (const line of text.split('\n')) {
    const mod = /^module (\S+)/.exec(line);
    if (mod) module = mod[1]!.replace(/^\\/, '');
    if (/^\s+cell \$mem_v2 /.test(line))
      found.push((cur = { module: baseName(module), yosysModule: module } as StorageArray & { yosysModule: string }));
    const p = /^\s+parameter \\(WIDTH|SIZE|MEMID) (.+)$/.exec(line);
    if (p && cur) {
      if (p[1] === 'WIDTH') cur.width = Number(p[2]);
      if (p[1] === 'SIZE') cur.depth = Number(p[2]);
      if (p[1] === 'MEMID') cur.name = p[2]!.replace(/^"\\\\/, '').replace(/"$/, '');
    }
  }
  return found;
}

/** Yosys module names: \name, $paramod\name\P=v, $paramod$<hash>\name. */
export const baseName = (yosysName: string) =>
  yosysName
    .replace(/^\$paramod(\$[0-9a-f]+)?/, '')
    .split('\\')
    .filter(Boolean)[0] ?? yosysName;
