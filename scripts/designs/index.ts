// Per-design run/verify behind the CLI's generic verbs.
import type { ConfigByDesign, Design } from '../../generators/config/index.js';
import { InputError } from '../../generators/errors.js';
import { runWsProblem, verifyWs, type RunFlags } from './ws.js';
import { runEieProblem, verifyEie } from './eie.js';
import { runRsProblem, verifyRs } from './rs.js';

export type { RunFlags };

export interface RunSummary {
  cycles: number;
  [k: string]: unknown;
}

interface DesignOps<C> {
  run(cfg: C, raw: unknown, source: string, flags: RunFlags): Promise<RunSummary>;
  verify(cfg: C, configArg: string, seed: number, cases: number, log: (l: string) => void): Promise<number>;
}

const ops: { [D in Design]?: DesignOps<ConfigByDesign[D]> } = {
  ws: { run: runWsProblem, verify: verifyWs },
  eie: { run: runEieProblem, verify: verifyEie },
  rs: { run: runRsProblem, verify: verifyRs },
};

export function designOps<D extends Design>(d: D): DesignOps<ConfigByDesign[D]> {
  const o = ops[d] as DesignOps<ConfigByDesign[D]> | undefined;
  if (!o) throw new InputError(`design '${d}' has no run/verify yet`);
  return o;
}
