// eie functional coverage bins (testbenches/bins.ts): sparsity corner cases of
// the problem (empty columns, an all-zero activation vector, chained layers,
// padding entries for relative-index overflow, bias, ReLU, host stalls) and
// the load balance the RTL's own counters report (activation queue full, a
// starved PE, one PE with all the work).
import type { EieConfig } from '../../golden/eie/config.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import type { CoverageBin, CoverageBins } from '../common/bins.js';
import type { EieRunResult } from './sim.js';
import { layoutEie } from '../../golden/eie/layout.js';
import { activationFileFillable, everySlotChainable } from './check.js';

function list(cfg: EieConfig): CoverageBin[] {
  const b = (name: string, doc: string, when = true) => (when ? [{ name, doc }] : []);
  return [
    ...b('empty column', 'a layer column with no stored weight'),
    ...b('zero activations', 'an input activation vector of zeros only'),
    ...b('chained layers', 'more than one layer chained on chip', cfg.maxLayers > 1),
    ...b(
      'every layer slot',
      'a chain of maxLayers layers (its last slot: CSRs, bias memory rows and cycle counter)',
      everySlotChainable(cfg),
    ),
    ...b('padding entries', 'a gap of zero rows longer than the relative index holds (padding entries)'),
    ...b('bias', 'a layer with bias'),
    ...b('ReLU', 'a layer with ReLU'),
    ...b('host stalls', 'the host throttled its requests'),
    ...b(
      'pointers in upper half',
      'pointer words placed in the upper half of the pointer memory (its top address bit)',
      cfg.ptrDepth > 1,
    ),
    ...b(
      'matrix in upper half',
      'sparse-matrix lines placed in the upper half of the matrix memory (its top address bit)',
      cfg.matDepth > 1,
    ),
    ...b(
      'activation file upper half',
      "an input or a layer's output reaching the upper half of every PE's activation rows (index at least pes x rowsPerPe / 2)",
      activationFileFillable(cfg),
    ),
    ...b('queue full', "a PE's activation queue was full (RTL counter queueFull)"),
    ...b('starved PE', 'a PE waited with an empty queue (RTL counter starved)'),
    ...b('one PE does all the work', 'every stored entry of the run on a single PE (RTL counters)', cfg.pes > 1),
  ];
}

function fromProblem(cfg: EieConfig, p: EieProblem, stall: number): string[] {
  const hits: string[] = [];
  const when = (c: boolean, n: string) => c && hits.push(n);
  const emptyColumn = p.layers.some((l) => {
    const cols = l.index[0]?.length ?? 0;
    for (let j = 0; j < cols; j++) if (l.index.every((r) => !r[j])) return true;
    return false;
  });
  when(emptyColumn, 'empty column');
  when(
    p.activations.every((a) => a === 0n),
    'zero activations',
  );
  when(p.layers.length > 1, 'chained layers');
  when(p.layers.length === cfg.maxLayers && everySlotChainable(cfg), 'every layer slot');
  const longest = Math.max(p.activations.length, ...p.layers.map((l) => l.index.length));
  when(longest > (cfg.pes * cfg.rowsPerPe) / 2, 'activation file upper half');
  // The last pointer word or matrix line the layout uses reaches the memory's top address bit.
  const lay = layoutEie(cfg, p);
  const top = (depth: number) => 2 ** (Math.ceil(Math.log2(depth)) - 1);
  when(cfg.ptrDepth > 1 && lay.ptrBase[0]! + lay.ptrWords - 1 >= top(cfg.ptrDepth), 'pointers in upper half');
  const lines = lay.entryBase.flatMap((l, i) =>
    l.map((b, k) => {
      const n = lay.encoded[i]![k]!.v.length;
      return n ? Math.floor((b + n - 1) / cfg.entriesPerLine) : -1;
    }),
  );
  when(cfg.matDepth > 1 && Math.max(...lines) >= top(cfg.matDepth), 'matrix in upper half');
  // A run of more than 2^indexBits - 1 zero rows of one PE (rows i, i + pes, ...) in a column.
  const maxZ = (1 << cfg.indexBits) - 1;
  const gap = p.layers.some((l) => {
    const cols = l.index[0]?.length ?? 0;
    for (let k = 0; k < cfg.pes; k++)
      for (let j = 0; j < cols; j++) {
        let zeros = 0;
        for (let i = k; i < l.index.length; i += cfg.pes) {
          if (l.index[i]![j]) {
            if (zeros > maxZ) return true;
            zeros = 0;
          } else zeros++;
        }
      }
    return false;
  });
  when(gap, 'padding entries');
  when(
    p.layers.some((l) => l.bias),
    'bias',
  );
  when(
    p.layers.some((l) => l.relu),
    'ReLU',
  );
  when(stall > 0, 'host stalls');
  return hits;
}

/** The PEs that hold a stored weight of some layer (row i on PE i mod pes). */
function busyPes(cfg: EieConfig, p: EieProblem): Set<number> {
  const pes = new Set<number>();
  for (const l of p.layers) l.index.forEach((r, i) => Array.from(r).some((v) => v) && pes.add(i % cfg.pes));
  return pes;
}

export const eieBins: CoverageBins<EieConfig, EieProblem, EieRunResult> = {
  list,
  // For steering only: where the work lands follows from the layers; the hit itself is the RTL's count.
  predict: (cfg, p, c) => [
    ...fromProblem(cfg, p, c.stallPermille ?? 0),
    ...(cfg.pes > 1 && busyPes(cfg, p).size === 1 ? ['one PE does all the work'] : []),
  ],
  hit(cfg, p, r, c) {
    const hits = fromProblem(cfg, p, c.stallPermille ?? 0);
    if (r.pes.some((pe) => pe.queueFull > 0)) hits.push('queue full');
    if (r.pes.some((pe) => pe.starved > 0)) hits.push('starved PE');
    const working = r.pes.filter((pe) => pe.entries > 0).length;
    if (cfg.pes > 1 && working === 1) hits.push('one PE does all the work');
    return hits;
  },
};
