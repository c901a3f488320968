// Cycle model of the EIE engine (rtl/eie), queue dynamics
// included: a cycle-level replay of the control rules, with no arithmetic.
// Tests hold it equal to the RTL's cycle counters.
//
// Per layer: INIT takes ceil(rows / N) cycles (destination rows set to the
// bias). Then each cycle:
//  - the leading-nonzero tree broadcasts the lowest-index nonzero activation
//    left, unless some PE's queue is full (count == fifoDepth at the start of
//    the cycle); the entry is in every queue the next cycle;
//  - each PE pops its queue when its walker is free this cycle (idle, or on
//    the last entry of its column); the pointers arrive the next cycle and
//    the walker then handles one stored entry per cycle (padding included);
//    an empty column costs the pointer cycle only;
//  - an entry's arithmetic ends 4 cycles after the walker took it.
// The layer ends in the first cycle with nothing left to broadcast and
// every PE idle (queue empty, no pointer read, walker idle, pipeline empty);
// its cycles are INIT plus COMPUTE up to and including that cycle. Per PE
// the replay also counts what the RTL's counters do: busy (the walker took
// an entry), starved (none, with the queue empty and no pointer read in
// flight as the cycle starts; the end cycle included) and queueFull.
import type { PeColumns } from './format.js';
import { localRows } from './format.js';

export interface EieCycleLayer {
  /** Encoded layer per PE (golden/eie/format.ts encodeCsc). */
  pes: PeColumns[];
  rows: number;
  /** Indices j of the nonzero input activations of this layer, ascending. */
  nonzero: number[];
}

export interface EieCycleResult {
  cycles: number;
  layerCycles: number[];
  broadcasts: number;
  queueFullStalls: number;
  /** Per PE: cycles its walker handled an entry. */
  busy: number[];
  /** Per PE: compute cycles with nothing to do (walker idle, queue empty, no pointer read in flight). */
  starved: number[];
  /** Per PE: compute cycles its queue was full. */
  queueFull: number[];
}

export function eieCycles(pes: number, fifoDepth: number, layers: EieCycleLayer[]): EieCycleResult {
  const layerCycles: number[] = [];
  let broadcasts = 0,
    queueFullStalls = 0;
  const busy = Array<number>(pes).fill(0);
  const starved = Array<number>(pes).fill(0);
  const queueFull = Array<number>(pes).fill(0);
  for (const layer of layers) {
    const init = Math.ceil(layer.rows / pes);
    const entries = (k: number, j: number) => layer.pes[k]!.p[j + 1]! - layer.pes[k]!.p[j]!;
    const queue: number[][] = Array.from({ length: pes }, () => []);
    const pending = Array<number | null>(pes).fill(null);
    const remaining = Array<number>(pes).fill(0); // walker entries left after this one
    const lastEntry = Array<number>(pes).fill(-10);
    let next = 0; // next nonzero activation to broadcast
    let c = 0;
    for (; ; c++) {
      // Layer end: evaluated on the state at the start of the cycle.
      const done =
        next >= layer.nonzero.length &&
        queue.every((q, k) => q.length === 0 && pending[k] === null && remaining[k] === 0 && c - lastEntry[k]! > 4);
      if (done) break;
      const anyFull = queue.some((q) => q.length === fifoDepth);
      const bc = next < layer.nonzero.length && !anyFull;
      if (next < layer.nonzero.length && anyFull) queueFullStalls++;
      for (let k = 0; k < pes; k++) {
        let curValid = false,
          curLast = false;
        // The queue and the pointer read as the cycle starts.
        const queueEmpty = queue[k]!.length === 0,
          ptrPending = pending[k] !== null;
        if (queue[k]!.length === fifoDepth) queueFull[k]!++;
        if (pending[k] !== null) {
          const n = entries(k, pending[k]!);
          curValid = n > 0;
          curLast = n === 1;
          remaining[k] = Math.max(n - 1, 0);
          pending[k] = null;
        } else if (remaining[k]! > 0) {
          curValid = true;
          curLast = remaining[k] === 1;
          remaining[k]!--;
        }
        if (curValid) {
          lastEntry[k] = c;
          busy[k]!++;
        } else if (queueEmpty && !ptrPending) starved[k]!++;
        const free = !curValid || curLast;
        if (free && queue[k]!.length > 0) pending[k] = queue[k]!.shift()!;
      }
      if (bc) {
        for (const q of queue) q.push(layer.nonzero[next]!);
        next++;
        broadcasts++;
      }
    }
    // The last cycle (everything drained) counts as starved on every PE.
    for (let k = 0; k < pes; k++) starved[k]!++;
    layerCycles.push(init + c + 1);
  }
  return {
    cycles: layerCycles.reduce((a, b) => a + b, 0),
    layerCycles,
    broadcasts,
    queueFullStalls,
    busy,
    starved,
    queueFull,
  };
}

export { localRows };
