// Area and timing per configuration (issue 30, part 3): the design
// synthesized hierarchically (every module once, however many instances)
// with the SRAM wrapper as a blackbox, its logic mapped by ABC to two-input
// NAND gates and inverters (`abc -fast -g NAND`), then per module: cells,
// flip-flop bits, memory bits by kind, NAND2-equivalent gates and the
// longest combinational path in gate levels (`ltp -noff`, flip-flops cut it).
import { runSystemYosysScript } from './system.js';
import { arraysScript, baseName, memoryModule, parseStorageArrays } from './memories.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';

/**
 * NAND2 equivalents: the cell areas of the Nangate 45 nm Open Cell Library
 * relative to NAND2_X1 (0.798 um2): INV_X1 0.532, DFF_X1 4.522, DFFR_X1
 * 5.32 (a reset flip-flop), MUX2_X1 1.862 (a clock enable), AND2_X1 1.064
 * (a synchronous reset or set).
 */
export const nand2Weights = {
  nand: 1,
  not: 0.532 / 0.798,
  dff: 4.522 / 0.798,
  dffReset: 5.32 / 0.798,
  enable: 1.862 / 0.798,
  syncReset: 1.064 / 0.798,
};

export const nand2Method =
  'NAND2 equivalents: logic mapped by Yosys ABC to NAND2 and INV (abc -fast -g NAND), weighted with the Nangate 45 nm Open Cell Library areas relative to NAND2_X1 ' +
  '(INV 0.67, DFF 5.67, DFF with asynchronous reset 6.67, clock enable +2.33 as a MUX2, synchronous reset +1.33 as an AND2); SRAM instances excluded';

export interface MemoryBits {
  /** af_sram_1r1w instances (macros in a chip flow). */
  sram: number;
  /** Flip-flop arrays (register files, FIFOs) as Yosys infers them. */
  registerFile: number;
}

export interface LongestPath {
  /** Gate levels (NAND2 and INV) on the longest register-to-register (or port) path. */
  levels: number;
  from: string;
  to: string;
}

export interface ModuleArea {
  /** Module name; a second parametrization of the same module gets #2, ... */
  module: string;
  instances: number;
  /** Per instance, its own cells only (submodule instances not counted). */
  cells: number;
  flipFlops: number;
  memoryBits: MemoryBits;
  nand2: number;
  path: LongestPath;
  /** The module's submodule instances (by module name) and how many of each. */
  submodules: Record<string, number>;
}

export interface AreaReport {
  schema: 'accelforge.area/1';
  top: string;
  /** Whole design: each module's figures times its instances. */
  total: { cells: number; flipFlops: number; memoryBits: MemoryBits; nand2: number };
  /** The deepest path of any module (paths end at module ports: each module is measured on its own). */
  longestPath: LongestPath & { module: string };
  modules: ModuleArea[];
  method: string;
  seconds: number;
}

function script(d: GeneratedDesign): string {
  return [
    ...arraysScript(d),
    `synth -top ${d.top} -noabc`,
    'abc -fast -g NAND',
    'opt_clean',
    'tee -q -o stat.txt stat',
    `tee -q -o srams.txt dump -m t:${memoryModule}`,
    // Gates only: a submodule instance would join each of its inputs to each output.
    'tee -q -o ltp.txt ltp -noff w:* t:$_NAND_ t:$_NOT_',
  ].join('\n');
}

interface Section {
  name: string;
  cells: Map<string, number>;
}

/** `stat` per module: the cell types and counts of each "=== name ===" section. */
export function parseModuleStats(stat: string): Section[] {
  const out: Section[] = [];
  let cur: Section | undefined;
  let inCells = false;
  for (const line of stat.split('\n')) {
    const head = /^=== (.+) ===$/.exec(line.trim());
    if (head) {
      cur = head[1] === 'design hierarchy' ? undefined : { name: head[1]!, cells: new Map() };
      if (cur) out.push(cur);
      inCells = false;
      continue;
    }
    if (!cur) continue;
    if (/Number of cells:/.test(line)) {
      inCells = true;
      continue;
    }
    const cell = /^\s+(\S+)\s+(\d+)\s*$/.exec(line);
    if (inCells && cell) cur.cells.set(cell[1]!, Number(cell[2]));
    else if (inCells && line.trim() === '') inCells = false;
  }
  return out;
}

/** `ltp -noff` per module: "Longest topological path in M (length=N):" then the path's nodes. */
export function parseLongestPaths(text: string): Map<string, LongestPath> {
  const out = new Map<string, LongestPath>();
  let cur: { module: string; levels: number; nodes: string[] } | undefined;
  const flush = () => {
    if (cur)
      out.set(cur.module, {
        levels: cur.levels,
        from: cur.levels ? (cur.nodes[0] ?? '') : '',
        to: cur.levels ? (cur.nodes.at(-1) ?? '') : '',
      });
  };
  for (const line of text.split('\n')) {
    const head = /Longest topological path in (\S+) \(length=(\d+)\)/.exec(line);
    if (head) {
      flush();
      cur = { module: head[1]!, levels: Number(head[2]), nodes: [] };
      continue;
    }
    // "    3: \\name [bit] (via cell)": the net, its bit kept.
    const node = /^\s+\d+:\s+(.+?)(\s+\(via .*\))?\s*$/.exec(line);
    if (cur && node) cur.nodes.push(node[1]!.replace(/^\\/, ''));
  }
  flush();
  return out;
}

const isFlipFlop = (t: string) => /^\$_(S?DFF|DFFE|SDFFE|SDFFCE|ALDFF|ALDFFE|DFFSR|DFFSRE)_/.test(t);

/** NAND2 equivalents of one gate-level cell type (0 for SRAM and submodule instances). */
export function nand2Of(type: string): number {
  const w = nand2Weights;
  if (type === '$_NAND_') return w.nand;
  if (type === '$_NOT_') return w.not;
  if (!isFlipFlop(type)) return 0;
  // $_DFF_P_, $_DFFE_PP_, $_DFF_PN0_ (async reset), $_SDFFE_PP0P_ (sync reset), ...
  const asyncReset = /^\$_(DFF|DFFE)_[NP][NP][01]/.test(type) || /^\$_DFFSR/.test(type) || /^\$_ALDFF/.test(type);
  const enable = /^\$_(DFFE|SDFFE|SDFFCE|DFFSRE|ALDFFE)_/.test(type);
  const syncReset = /^\$_SDFF/.test(type);
  return (asyncReset ? w.dffReset : w.dff) + (enable ? w.enable : 0) + (syncReset ? w.syncReset : 0);
}

/** `dump -m t:af_sram_1r1w`: SRAM bits (width x depth of each blackboxed instance) by the module that holds them. */
export function parseSramBits(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let module = '';
  let cell: { width?: number; depth?: number } | undefined;
  const flush = () => {
    if (cell) out.set(module, (out.get(module) ?? 0) + (cell.width ?? 8) * (cell.depth ?? 16));
    cell = undefined;
  };
  // 16384, or 32'00000000000000000100000000000000
  const value = (v: string) => (v.includes("'") ? parseInt(v.split("'")[1]!, 2) : Number(v));
  for (const line of text.split('\n')) {
    const mod = /^module (\S+)/.exec(line);
    if (mod) {
      flush();
      module = mod[1]!.replace(/^\\/, '');
    } else if (/^\s+cell /.test(line)) {
      flush();
      cell = {};
    } else if (cell) {
      const p = /^\s+parameter (?:signed )?\\(Width|Depth) (\S+)/.exec(line);
      if (p) cell[p[1] === 'Width' ? 'width' : 'depth'] = value(p[2]!);
    }
  }
  flush();
  return out;
}

/** Area and timing of a generated design (the system Yosys: Debian's 0.23). */
export async function area(d: GeneratedDesign): Promise<AreaReport> {
  const t0 = performance.now();
  const files = await runYosysScriptFiles(d);
  const sections = parseModuleStats(files.stat);
  const paths = parseLongestPaths(files.ltp);
  const arrays = parseStorageArrays(files.arrays);
  const sramBits = parseSramBits(files.srams);
  const byName = new Map(sections.map((s) => [s.name, s]));
  // Instances: walk the hierarchy from the top (a submodule is a cell whose type is a module).
  const instances = new Map<string, number>();
  const visit = (name: string, n: number) => {
    instances.set(name, (instances.get(name) ?? 0) + n);
    for (const [type, k] of byName.get(name)?.cells ?? []) if (byName.has(type)) visit(type, n * k);
  };
  const top = sections.find((s) => baseName(s.name) === d.top)?.name ?? d.top;
  visit(top, 1);
  const seen = new Map<string, number>();
  const display = new Map<string, string>();
  for (const s of sections.filter((x) => instances.has(x.name))) {
    const base = baseName(s.name);
    const copy = (seen.get(base) ?? 0) + 1;
    seen.set(base, copy);
    display.set(s.name, copy > 1 ? `${base}#${copy}` : base);
  }
  const modules: ModuleArea[] = sections
    .filter((s) => instances.has(s.name))
    .map((s) => {
      let cells = 0;
      let flipFlops = 0;
      let nand2 = 0;
      const sram = sramBits.get(s.name.replace(/^\\/, '')) ?? 0;
      for (const [type, n] of s.cells) {
        if (byName.has(type) || baseName(type) === memoryModule) continue;
        cells += n;
        if (isFlipFlop(type)) flipFlops += n;
        nand2 += nand2Of(type) * n;
      }
      const registerFile = arrays.filter((a) => a.yosysModule === s.name).reduce((a, x) => a + x.width * x.depth, 0);
      const submodules = Object.fromEntries(
        [...s.cells].filter(([type]) => byName.has(type)).map(([type, k]) => [display.get(type)!, k]),
      );
      return {
        module: display.get(s.name)!,
        instances: instances.get(s.name)!,
        cells,
        flipFlops,
        memoryBits: { sram, registerFile },
        nand2: Math.round(nand2),
        path: paths.get(s.name) ?? { levels: 0, from: '', to: '' },
        submodules,
      };
    });
  const sum = (f: (m: ModuleArea) => number) => modules.reduce((a, m) => a + f(m) * m.instances, 0);
  const deepest = modules.reduce((a, m) => (m.path.levels > a.path.levels ? m : a), modules[0]!);
  return {
    schema: 'accelforge.area/1',
    top: d.top,
    total: {
      cells: sum((m) => m.cells),
      flipFlops: sum((m) => m.flipFlops),
      memoryBits: { sram: sum((m) => m.memoryBits.sram), registerFile: sum((m) => m.memoryBits.registerFile) },
      nand2: sum((m) => m.nand2),
    },
    longestPath: { module: deepest.module, ...deepest.path },
    modules,
    method: nand2Method,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function runYosysScriptFiles(d: GeneratedDesign) {
  const all = await runSystemYosysScript(
    d,
    script(d),
    ['stat.txt', 'ltp.txt', 'arrays.txt', 'srams.txt'],
    `${d.top} (area)`,
  );
  return { stat: all['stat.txt']!, ltp: all['ltp.txt']!, arrays: all['arrays.txt']!, srams: all['srams.txt']! };
}

/** The report as text: the totals, a row per module, the deepest path. */
export function areaText(a: AreaReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rows = a.modules.map((m) =>
    [m.module, m.instances, m.cells, m.flipFlops, m.nand2, m.memoryBits.sram, m.memoryBits.registerFile, m.path.levels]
      .map((x) => (typeof x === 'number' ? n(x) : x))
      .map((x, i) => (i ? x.padStart(10) : x.padEnd(20)))
      .join(' '),
  );
  const t = a.total;
  return [
    `area (${a.seconds.toFixed(1)} s): ${n(t.nand2)} NAND2-equivalent gates, ${n(t.cells)} gate cells, ${n(t.flipFlops)} flip-flop bits, ` +
      `${n(t.memoryBits.sram)} SRAM bits, ${n(t.memoryBits.registerFile)} register-file bits (in the flip-flops)`,
    `longest path: ${a.longestPath.levels} gate levels in ${a.longestPath.module}, ${a.longestPath.from} -> ${a.longestPath.to}`,
    `per module (each instance; ${a.method}):`,
    [
      'module'.padEnd(20),
      ...['instances', 'cells', 'flip-flops', 'NAND2 eq', 'SRAM bits', 'RF bits', 'levels'].map((h) => h.padStart(10)),
    ].join(' '),
    ...rows,
  ].join('\n');
}

/** A module's cells with everything below it (one instance of it). */
export function subtreeCells(a: AreaReport, module: string): number {
  const m = a.modules.find((x) => x.module === module);
  if (!m) throw new Error(`no module ${module} in the area report of ${a.top}`);
  return m.cells + Object.entries(m.submodules).reduce((t, [sub, k]) => t + k * subtreeCells(a, sub), 0);
}
