// The ws access model: what the engine's counters (interface.ts) must read
// after a pass, from the pass shape alone (the tests hold the RTL to it),
// and the accesses per energy level (core/energy.ts): DRAM is the host's
// traffic (A, B, D in and C out, padding lanes included), the buffer level
// the A, B and accumulator rows in values, the array level the PE-to-PE
// hops, RF the PEs' weight registers, MAC the PE steps.
import type { GemmProblem } from '../common/gemm.js';
import { normalizedEnergy, type LevelAccesses } from '../common/energy.js';
import type { WsConfig } from './config.js';
import type { WsCounters } from './interface.js';
import type { WsPass } from './mapper.js';
import { wsPassCycles, wsTiles, type WsShape } from './cycles.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

interface Dims {
  rows: number;
  cols: number;
}

/**
 * Counters of one pass: T tiles of R x C weights, each streaming the pass's
 * M rows of A through every PE; `readsAcc` when the accumulator is read
 * (D, or a pass after the first in K); else only later K tiles read it.
 */
export function wsPassAccess(cfg: Dims, s: WsShape, readsAcc: boolean): WsCounters {
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

/** Values the host moves for a run (host.ts: A, B and D rows in, C rows out). */
export function wsDramValues(cfg: WsConfig, p: Pick<GemmProblem, 'd'>, passes: WsPass[]): number {
  const R = cfg.rows,
    C = cfg.cols;
  let v = 0;
  for (const ps of passes) {
    const KT = ceil(ps.kp, R),
      NT = ceil(ps.np, C);
    v += KT * ps.mp * R + NT * KT * R * C;
    if (ps.firstK && p.d !== undefined) v += NT * ps.mp * C;
    if (ps.lastK) v += NT * ps.mp * C;
  }
  return v;
}

export type WsEnergyCounters = WsCounters & { dramValues: number };

export function wsLevels(cfg: Dims, c: WsEnergyCounters): LevelAccesses {
  return {
    dram: c.dramValues,
    buffer: c.aReads * cfg.rows + c.bReads * cfg.cols + (c.accReads + c.accWrites) * cfg.cols,
    array: c.arrayHops,
    rf: c.rfReads + c.rfWrites,
    mac: c.peSteps,
  };
}

export const wsEnergy = (cfg: Dims, c: WsEnergyCounters) => normalizedEnergy(wsLevels(cfg, c));
