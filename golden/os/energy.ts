// The os engine's accesses per energy level (core/energy.ts). DRAM is the
// host's traffic (the A, B and D values it loads, the C values it reads
// back; padding lanes included: they are moved), the buffer level the A, B
// and accumulator rows the engine reads and writes (in values), the array
// level the PE-to-PE hops, RF the PEs' sum registers, MAC the PE steps.
import type { GemmProblem } from '../common/gemm.js';
import { normalizedEnergy, type LevelAccesses } from '../common/energy.js';
import type { OsConfig } from './config.js';
import type { OsPass } from './mapper.js';
import type { OsCounters } from './interface.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

/** Values the host moves for a run (host.ts: A, B and D rows in, C rows out). */
export function osDramValues(cfg: OsConfig, p: Pick<GemmProblem, 'd'>, passes: OsPass[]): number {
  const R = cfg.rows,
    C = cfg.cols;
  let v = 0;
  for (const ps of passes) {
    const MT = ceil(ps.mp, R),
      NT = ceil(ps.np, C);
    v += MT * ps.kp * R + NT * ps.kp * C;
    if (ps.firstK && p.d !== undefined) v += NT * ps.mp * C;
    if (ps.lastK) v += NT * ps.mp * C;
  }
  return v;
}

export type OsEnergyCounters = OsCounters & { dramValues: number };

export function osLevels(cfg: Pick<OsConfig, 'rows' | 'cols'>, c: OsEnergyCounters): LevelAccesses {
  return {
    dram: c.dramValues,
    buffer: c.aReads * cfg.rows + (c.bReads + c.accReads + c.accWrites) * cfg.cols,
    array: c.arrayHops,
    rf: c.rfReads + c.rfWrites,
    mac: c.peSteps,
  };
}

export const osEnergy = (cfg: Pick<OsConfig, 'rows' | 'cols'>, c: OsEnergyCounters) =>
  normalizedEnergy(osLevels(cfg, c));
