// eie sections: the Alex-8 layer against the paper, load efficiency against
// FIFO depth, speedup against PEs, and the paper's nine benchmark layers;
// every run bit-exact and equal to the exact cycle model.
import { Random } from '../../golden/common/random.js';
import { eiePresets, parseEieConfig, type EieConfig } from '../../golden/eie/config.js';
import { layoutEie } from '../../golden/eie/layout.js';
import { randomActivations, randomSparseLayer, type EieProblem } from '../../golden/eie/problem.js';
import { designByName } from '../../testbenches/registry.js';
import type {
  EieAlex8Result,
  EieFifoResult,
  EieLayersResult,
  EieMeasure,
  EiePesResult,
} from '../flows/bench-results.js';
import { checkedRun, type Data } from './env.js';

/** What the benches read of an eie run. */
export interface EieRun {
  cycles: number;
  simSeconds: number;
  queueFullStalls: number;
  broadcasts: number;
  pes: { entries: number; busy: number }[];
}

/** Runs on the RTL, checked; one run per (config, problem) and bench process. */
const runs = new Map<string, { r: EieRun; model: number; usefulMacs: number }>();
export async function eieMeasured(cfg: EieConfig, p: EieProblem, name: string) {
  const key = `${name} ${JSON.stringify(cfg)}`;
  const hit = runs.get(key);
  if (hit) return hit;
  const { r, modelCycles } = await checkedRun<EieRun>(designByName('eie'), cfg, p, name, { timeoutMs: 3_600_000 });
  const out = { r, model: modelCycles!, usefulMacs: r.pes.reduce((a, c) => a + c.entries, 0) };
  runs.set(key, out);
  return out;
}
export const forgetEieRuns = () => runs.clear();

/** Sizes a config's memories for a problem (pointer words, matrix lines, register files). */
export function eieSized(base: EieConfig, p: EieProblem): EieConfig {
  const pow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 2)));
  const widest = Math.max(p.activations.length, ...p.layers.map((l) => l.index.length));
  const cfg = parseEieConfig({
    ...base,
    rowsPerPe: Math.max(base.rowsPerPe, Math.ceil(widest / base.pes)),
    // Room for the layout, within the simulator-memory rule (2^20 words at 64 PEs, less above).
    ptrDepth: Math.min(1 << 20, 2 ** Math.floor(Math.log2(2 ** 26 / base.pes))),
    matDepth: Math.min(1 << 20, 2 ** Math.floor(Math.log2(2 ** 26 / base.pes))),
  });
  const lay = layoutEie(cfg, p);
  return parseEieConfig({ ...cfg, ptrDepth: pow2(lay.ptrWords), matDepth: pow2(lay.matLines) });
}

// Alex-8's shape (1000 outputs x 4096 inputs), 25 % weights, 37.5 % activations, with bias.
let alex8Problem: EieProblem | undefined;
export function alex8(): EieProblem {
  if (!alex8Problem) {
    const rng = new Random(8);
    alex8Problem = {
      activations: randomActivations(4096, 0.375, rng),
      layers: [randomSparseLayer(eiePresets['eie-64pe']!, 1000, 4096, 0.25, rng, { bias: true })],
    };
  }
  return alex8Problem;
}

/** What the eie tables show of a run (pes: the configuration's PE count). */
function eieMeasure(m: { r: EieRun; model: number; usefulMacs: number }, pes: number): EieMeasure {
  return {
    cycles: m.r.cycles,
    modelCycles: m.model,
    usefulMacs: m.usefulMacs,
    loadEfficiency: m.usefulMacs / pes / m.r.cycles,
    busyEfficiency: m.r.pes.reduce((a, c) => a + c.busy, 0) / m.r.pes.length / m.r.cycles,
    queueFullStalls: m.r.queueFullStalls,
    broadcasts: m.r.broadcasts,
    simSeconds: m.r.simSeconds,
  };
}
const alex8Text = 'Alex-8 shape: 1000 outputs x 4096 inputs, 25 % weights, 37.5 % activations, bias, random (seed 8)';

export async function eieAlex8(): Promise<Data<EieAlex8Result>> {
  const m = await eieMeasured(eiePresets['eie-64pe']!, alex8(), 'alex8');
  return {
    config: 'eie-64pe',
    problem: alex8Text,
    measured: eieMeasure(m, 64),
    paper: { cycles: 7926, us: 9.9, loadEfficiency: 0.895 },
  };
}

export async function eieFifo(): Promise<Data<EieFifoResult>> {
  const rows: EieFifoResult['rows'] = [];
  for (const fifoDepth of [1, 2, 4, 8, 16]) {
    const cfg = parseEieConfig({ ...eiePresets['eie-64pe']!, fifoDepth });
    rows.push({ fifoDepth, ...eieMeasure(await eieMeasured(cfg, alex8(), 'alex8'), 64) });
  }
  const paper = [
    [2, 0.695],
    [4, 0.845],
    [8, 0.895],
    [16, 0.91],
  ].map(([fifoSize, loadEfficiency]) => ({ fifoSize: fifoSize!, loadEfficiency: loadEfficiency! }));
  return { problem: alex8Text, pes: 64, rows, paper };
}

export async function eiePes(): Promise<Data<EiePesResult>> {
  const paper = [
    [1, 1],
    [2, 1.98],
    [4, 3.94],
    [8, 7.84],
    [16, 15.3],
    [32, 30.2],
    [64, 57.8],
  ].map(([pes, speedup]) => ({ pes: pes!, speedup: speedup! }));
  const rows: EiePesResult['rows'] = [];
  let one = 0;
  for (const pes of [1, 2, 4, 8, 16, 32, 64]) {
    const cfg =
      pes === 64 ? eiePresets['eie-64pe']! : eieSized(parseEieConfig({ ...eiePresets['eie-64pe']!, pes }), alex8());
    const m = eieMeasure(await eieMeasured(cfg, alex8(), 'alex8'), pes);
    if (pes === 1) one = m.cycles;
    rows.push({ pes, speedup: one / m.cycles, ...m });
  }
  return { problem: alex8Text, fifoDepth: 8, rows, paper };
}

// The paper's nine benchmark layers: inputs x outputs, weight and activation density, measured µs at 64 PEs.
const eieLayers = [
  { name: 'Alex-6', cols: 9216, rows: 4096, w: 0.09, a: 0.351, us: 30.3 },
  { name: 'Alex-7', cols: 4096, rows: 4096, w: 0.09, a: 0.353, us: 12.2 },
  { name: 'Alex-8', cols: 4096, rows: 1000, w: 0.25, a: 0.375, us: 9.9 },
  { name: 'VGG-6', cols: 25088, rows: 4096, w: 0.04, a: 0.183, us: 34.4 },
  { name: 'VGG-7', cols: 4096, rows: 4096, w: 0.04, a: 0.375, us: 8.7 },
  { name: 'VGG-8', cols: 4096, rows: 1000, w: 0.23, a: 0.411, us: 8.4 },
  { name: 'NT-We', cols: 4096, rows: 600, w: 0.1, a: 1, us: 8.0 },
  { name: 'NT-Wd', cols: 600, rows: 8791, w: 0.11, a: 1, us: 13.9 },
  { name: 'NT-LSTM', cols: 1201, rows: 2400, w: 0.1, a: 1, us: 7.5 },
];

export async function eieBenchLayers(): Promise<Data<EieLayersResult>> {
  const base = eiePresets['eie-64pe']!;
  const problems = eieLayers.map((L): EieProblem => {
    const rng = new Random(L.cols * 31 + L.rows);
    return {
      activations: randomActivations(L.cols, L.a, rng),
      layers: [randomSparseLayer(base, L.rows, L.cols, L.w, rng, { bias: true })],
    };
  });
  // One build serves all nine: every memory sized for the largest need.
  const sized = problems.map((p) => eieSized(base, p));
  const cfg = parseEieConfig({
    ...base,
    rowsPerPe: Math.max(...sized.map((c) => c.rowsPerPe)),
    ptrDepth: Math.max(...sized.map((c) => c.ptrDepth)),
    matDepth: Math.max(...sized.map((c) => c.matDepth)),
  });
  const rows: EieLayersResult['rows'] = [];
  for (const [i, L] of eieLayers.entries()) {
    const m = eieMeasure(await eieMeasured(cfg, problems[i]!, L.name), 64);
    rows.push({
      name: L.name,
      cols: L.cols,
      rows: L.rows,
      weightDensity: L.w,
      activationDensity: L.a,
      paperUs: L.us,
      ...m,
    });
  }
  return { config: { ...cfg }, rows };
}
