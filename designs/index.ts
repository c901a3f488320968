// Per-design run/verify behind the CLI's generic verbs.
import type { ConfigByDesign, Design } from './config-registry.js';
import { InputError } from '../core/errors.js';
import type { PeGrid } from '../core/fault.js';
import { runWsProblem, verifyWs, type RunFlags } from './ws/verbs.js';
import { runEieProblem, verifyEie } from './eie/verbs.js';
import { runRsProblem, verifyRs } from './rs/verbs.js';
import type { CheckOptions } from './failure.js';

export type { RunFlags, CheckOptions };

export interface RunSummary {
  cycles: number;
  [k: string]: unknown;
}

interface DesignOps<C> {
  run(cfg: C, raw: unknown, source: string, flags: RunFlags): Promise<RunSummary>;
  verify(cfg: C, configArg: string, seed: number, cases: number, log: (l: string) => void, o: CheckOptions): Promise<number>;
  /** The PE grid a fault can be injected into. */
  grid(cfg: C): PeGrid;
}

const ops: { [D in Design]?: DesignOps<ConfigByDesign[D]> } = {
  ws: { run: runWsProblem, verify: verifyWs, grid: (c) => ({ dims: [c.rows, c.cols], names: ['row', 'column'], productBits: 2 * c.dataWidth }) },
  eie: { run: runEieProblem, verify: verifyEie, grid: (c) => ({ dims: [c.pes], names: ['PE'], productBits: 32 }) },
  rs: { run: runRsProblem, verify: verifyRs, grid: (c) => ({ dims: [c.peRows, c.peCols], names: ['row', 'column'], productBits: 2 * c.dataWidth }) },
};

export function designOps<D extends Design>(d: D): DesignOps<ConfigByDesign[D]> {
  const o = ops[d] as DesignOps<ConfigByDesign[D]> | undefined;
  if (!o) throw new InputError(`design '${d}' has no run/verify yet`);
  return o;
}
