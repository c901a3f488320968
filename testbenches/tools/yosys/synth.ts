// Synthesis check with Yosys compiled to WebAssembly (@yowasp/yosys: no apt
// package, runs offline). Fails on latches, multiple drivers, undriven nets
// and logic loops; reports cells and flip-flop bits.
import { runYosys } from '@yowasp/yosys';
import { SynthError } from '../../../golden/common/errors.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';

export interface SynthReport {
  top: string;
  /** 'coarse': word-level cells ($mul, $alu, ...); 'gates': ABC-mapped gates. */
  flow: 'coarse' | 'gates';
  cells: number;
  flipFlops: number;
  cellTypes: Record<string, number>;
  seconds: number;
}

function script(d: GeneratedDesign, flow: 'coarse' | 'gates'): string {
  const synth = flow === 'gates' ? `synth -top ${d.top}` : `synth -top ${d.top} -run :fine\nopt -full`;
  return [
    ...d.modules.map((m) => `read_verilog -sv ${m.name}.sv`),
    `hierarchy -check -top ${d.top}`,
    'proc',
    // `check` does not see latches; after proc they are $dlatch cells.
    'select -assert-none t:$dlatch t:$adlatch t:$dlatchsr',
    'flatten',
    'check -assert',
    synth,
    'check -assert',
    // Count flip-flops in bits: map only the FF cells to single-bit ones.
    flow === 'coarse' ? 'techmap t:$dff t:$dffe t:$adff t:$adffe t:$sdff t:$sdffe t:$sdffce t:$aldff t:$dffsr' : '',
    'tee -q -o stat.txt stat',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Runs a Yosys script (run.ys) over the design's sources in the WebAssembly
 * Yosys and returns the text of the file it writes (`output`); on a
 * rejection, SynthError with the log lines `relevant` picks (or its tail).
 */
export async function runYosysScript(
  d: GeneratedDesign,
  ys: string,
  output: string,
  what: string,
  relevant: (line: string) => boolean = () => false,
): Promise<string> {
  return (await runYosysScriptOutputs(d, ys, [output], what, relevant))[output]!;
}

/** runYosysScript for a script that writes several files: their texts by name. */
export async function runYosysScriptOutputs(
  d: GeneratedDesign,
  ys: string,
  outputs: string[],
  what: string,
  relevant: (line: string) => boolean = () => false,
): Promise<Record<string, string>> {
  const files: Record<string, string> = { 'run.ys': ys };
  for (const m of d.modules) files[`${m.name}.sv`] = m.text;
  let log = '';
  const collect = (b: Uint8Array | null) => {
    if (b) log += Buffer.from(b).toString();
  };
  let out: Record<string, unknown>;
  try {
    out = (await runYosys(['-q', '-s', 'run.ys'], files, { stdout: collect, stderr: collect })) as Record<
      string,
      unknown
    >;
  } catch (e) {
    const errors = log.split('\n').filter(relevant).slice(0, 40).join('\n');
    throw new SynthError(`Yosys rejected ${what}:\n${errors || log.slice(-4000)}`, { cause: e });
  }
  const text = (raw: unknown) => (typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array));
  return Object.fromEntries(outputs.map((o) => [o, text(out[o])]));
}

export async function synth(d: GeneratedDesign, flow: 'coarse' | 'gates' = 'coarse'): Promise<SynthReport> {
  const t0 = performance.now();
  const stat = await runYosysScript(d, script(d, flow), 'stat.txt', d.top, (l) =>
    /ERROR|Assert|assert|found|Warning: (multiple|Wire .* is used but has no driver)/i.test(l),
  );
  return { top: d.top, flow, ...parseStat(stat), seconds: (performance.now() - t0) / 1000 };
}

/** Parses Yosys `stat` of the top module. */
export function parseStat(stat: string): Pick<SynthReport, 'cells' | 'flipFlops' | 'cellTypes'> {
  const cellTypes: Record<string, number> = {};
  let cells = 0;
  let inCells = false;
  for (const line of stat.split('\n')) {
    const total = /Number of cells:\s+(\d+)/.exec(line) ?? /^\s+(\d+)\s+[\d.]*\s*cells$/.exec(line);
    if (total) {
      cells = Number(total[1]);
      inCells = true;
      continue;
    }
    const cell = /^\s+(\$\S+)\s+(\d+)\s*$/.exec(line) ?? /^\s+(\d+)\s+[\d.]*\s*(\$\S+)\s*$/.exec(line);
    if (inCells && cell) {
      const [type, n] = /^\d+$/.test(cell[1]!) ? [cell[2]!, Number(cell[1])] : [cell[1]!, Number(cell[2])];
      if (type !== '$scopeinfo') cellTypes[type] = (cellTypes[type] ?? 0) + n;
    }
  }
  if (cellTypes.$scopeinfo === undefined) {
    const scope = /\$scopeinfo\s+(\d+)/.exec(stat);
    if (scope) cells -= Number(scope[1]);
  }
  const flipFlops = Object.entries(cellTypes)
    .filter(([t]) => /^\$_(DFF|DFFE|SDFF|SDFFE|SDFFCE|ALDFF|DFFSR|DFFSRE)_/.test(t))
    .reduce((s, [, n]) => s + n, 0);
  return { cells, flipFlops, cellTypes };
}
