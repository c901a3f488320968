// The os access model: what the engine's counters (interface.ts) must read
// after a pass, from the pass shape alone. The tests hold the RTL to it.
import type { OsCounters } from './interface.js';
import { osPassCycles, osTiles, type OsShape } from './cycles.js';

interface Dims {
  rows: number;
  cols: number;
}

/** Counters of one pass; `accumulate`: the output unit reads what the accumulator holds. */
export function osPassAccess(cfg: Dims, s: OsShape, accumulate: boolean): OsCounters {
  const R = cfg.rows,
    C = cfg.cols;
  const T = osTiles(cfg, s);
  const rowsOut = Math.ceil(s.n / C) * s.m;
  return {
    cycles: osPassCycles(cfg, s),
    macs: s.m * s.n * s.k,
    peSteps: T * s.k * R * C,
    aReads: T * s.k,
    bReads: T * s.k,
    accReads: accumulate ? rowsOut : 0,
    accWrites: rowsOut,
    tiles: T,
    rfReads: T * (s.k - 1) * R * C,
    rfWrites: T * s.k * R * C,
    // A right (C - 1 hops per row), B down (R - 1 per column), and row r's
    // sum climbs r slots of its column's chain.
    arrayHops: T * (s.k * (R * (C - 1) + (R - 1) * C) + (C * R * (R - 1)) / 2),
  };
}
