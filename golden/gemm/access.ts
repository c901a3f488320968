// The systolic engines' access models: what the counters (interface.ts) must
// read after a pass, from the pass shape alone (the tests hold the RTL to
// them), the values the host moves, and the accesses per energy level
// (golden/common/energy.ts): DRAM is the host's traffic (A, B, D in and C
// out, padding lanes included), the buffer level the A, B and accumulator
// rows in values, the array level the PE-to-PE hops, RF the PE registers
// (weights in ws, sums in os), MAC the PE steps.
import type { GemmProblem } from '../common/gemm.js';
import { normalizedEnergy, type LevelAccesses } from '../common/energy.js';
import type { Dataflow, GemmConfig } from './config.js';
import type { GemmCounters } from './interface.js';
import type { GemmPass } from './mapper.js';
import { osPassCycles, osTiles, requantCycles, wsPassCycles, wsTiles, type GemmShape } from './cycles.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

interface Dims {
  rows: number;
  cols: number;
}

/**
 * ws: T tiles of R x C weights, each streaming the pass's M rows of A through
 * every PE; `readsAcc` when the accumulator is read (D, or a pass after the
 * first in K); else only later K tiles read it.
 */
export function wsPassAccess(cfg: Dims, s: GemmShape, readsAcc: boolean): GemmCounters {
  const R = cfg.rows,
    C = cfg.cols;
  const T = wsTiles(cfg, s);
  const cycles = wsPassCycles(cfg, s);
  const firstTiles = ceil(s.n, C); // the first K tile of each column group
  return {
    cycles,
    stallCycles: cycles - T * s.m,
    macs: s.m * s.n * s.k,
    aReads: T * s.m,
    bReads: T * R,
    accReads: T * s.m - (readsAcc ? 0 : firstTiles * s.m),
    accWrites: T * s.m,
    tiles: T,
    peSteps: T * s.m * R * C,
    rfReads: T * s.m * R * C,
    rfWrites: T * R * C,
    arrayHops: T * s.m * (R * (C - 1) + (R - 1) * C),
  };
}

/** os: T output tiles of K steps; `accumulate`: the output unit reads what the accumulator holds. */
export function osPassAccess(cfg: Dims, s: GemmShape, accumulate: boolean): GemmCounters {
  const R = cfg.rows,
    C = cfg.cols;
  const T = osTiles(cfg, s);
  const rowsOut = ceil(s.n, C) * s.m;
  const cycles = osPassCycles(cfg, s);
  return {
    cycles,
    stallCycles: cycles - T * s.k,
    macs: s.m * s.n * s.k,
    aReads: T * s.k,
    bReads: T * s.k,
    accReads: accumulate ? rowsOut : 0,
    accWrites: rowsOut,
    tiles: T,
    peSteps: T * s.k * R * C,
    rfReads: T * (s.k - 1) * R * C,
    rfWrites: T * s.k * R * C,
    // A right (C - 1 hops per row), B down (R - 1 per column), and row r's sum climbs r slots of its column's chain.
    arrayHops: T * (s.k * (R * (C - 1) + (R - 1) * C) + (C * R * (R - 1)) / 2),
  };
}

/**
 * A pass's counters; `requant`: the output stage reads and rewrites each of
 * the pass's accumulator rows once after it (its cycles are busy cycles in
 * which nothing enters the array).
 */
export function passAccess(cfg: Dims, df: Dataflow, s: GemmShape, readsAcc: boolean, requant = false): GemmCounters {
  const c = df === 'ws' ? wsPassAccess(cfg, s, readsAcc) : osPassAccess(cfg, s, readsAcc);
  if (!requant) return c;
  const extra = requantCycles(cfg, s),
    rows = ceil(s.n, cfg.cols) * s.m;
  return {
    ...c,
    cycles: c.cycles + extra,
    stallCycles: c.stallCycles + extra,
    accReads: c.accReads + rows,
    accWrites: c.accWrites + rows,
  };
}

/** Values the host moves for a run: A, B and D rows in (and the output stage's table), C rows out, in the dataflow's buffer layouts. */
export function dramValues(
  cfg: Dims,
  df: Dataflow,
  p: Pick<GemmProblem, 'd'> & { requant?: unknown },
  passes: GemmPass[],
): number {
  const R = cfg.rows,
    C = cfg.cols;
  let v = 0;
  for (const ps of passes) {
    const NT = ceil(ps.np, C);
    if (df === 'ws') {
      const KT = ceil(ps.kp, R);
      v += KT * ps.mp * R + NT * KT * R * C;
    } else {
      v += ceil(ps.mp, R) * ps.kp * R + NT * ps.kp * C;
    }
    if (ps.firstK && p.d !== undefined) v += NT * ps.mp * C;
    if (ps.lastK) v += NT * ps.mp * C;
    // The output stage's table: a scale and an offset per column of the pass.
    if (ps.lastK && p.requant !== undefined) v += 2 * ps.np;
  }
  return v;
}

export type GemmEnergyCounters = GemmCounters & { dramValues: number };

/** Accesses per energy level: a ws A row is R values, an os A row R values too; B and accumulator rows C. */
export function levels(cfg: Pick<GemmConfig, 'rows' | 'cols'>, c: GemmEnergyCounters): LevelAccesses {
  return {
    dram: c.dramValues,
    buffer: c.aReads * cfg.rows + (c.bReads + c.accReads + c.accWrites) * cfg.cols,
    array: c.arrayHops,
    rf: c.rfReads + c.rfWrites,
    mac: c.peSteps,
  };
}

export const gemmEnergy = (cfg: Pick<GemmConfig, 'rows' | 'cols'>, c: GemmEnergyCounters) =>
  normalizedEnergy(levels(cfg, c));
