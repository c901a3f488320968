// The results of a mutation run: one record per mutant, the summary by kind,
// the score, and the line `mutate` prints per mutant.
import { mutationKinds, type MutationKind } from './operators.js';

export const mutateSchema = 'accelforge.mutate/1';

export type MutantStatus = 'killed' | 'survived' | 'equivalent' | 'stillborn';

export interface MutantResult {
  id: number;
  module: string;
  line: number;
  kind: MutationKind;
  what: string;
  /** The changed lines, `-` before and `+` after. */
  diff: string;
  status: MutantStatus;
  /** Killed: what failed first ("mismatch", "cycles", "assertion", "timeout", "error") and in which case. */
  killedBy?: {
    check: 'mismatch' | 'cycles' | 'counters' | 'assertion' | 'timeout' | 'error';
    case: number;
    seed: number;
    message: string;
  };
  /** Stillborn: the simulator's compile error. */
  error?: string;
  /** Equivalent: why (the optimized netlist equals the original's). */
  equivalentBy?: string;
  /** Survived: the reason it is not caught, when one is written down (survivors.ts). */
  explained?: string;
  /** Cases run. */
  cases: number;
}

export interface MutationReport {
  schema: string;
  design: string;
  config: string;
  configHash: string;
  sim: 'verilator' | 'icarus';
  seed: number;
  casesPerMutant: number;
  /** Every mutation of the logic of the mutated modules. */
  candidates: number;
  /** Candidates on lines this configuration does not elaborate: equivalent by construction (not run). */
  notElaborated: number;
  unmutatedModules: Record<string, string>;
  mutants: number;
  killed: number;
  survived: number;
  stillborn: number;
  /** Survivors proved equivalent (equivalentReason). */
  equivalent: number;
  /** killed / (killed + survived): stillborn and equivalent mutants do not count. */
  score: number;
  byKind: Record<string, { mutants: number; killed: number; survived: number }>;
  results: MutantResult[];
  seconds: number;
  /** Set when the run stopped early: why (the results are those finished). */
  incomplete?: string;
}

export function resultLine(r: MutantResult): string {
  const head = `mutant ${r.id} ${r.module}.sv:${r.line} ${r.kind} ${r.what}`;
  if (r.status === 'killed')
    return `KILLED ${head}: ${r.killedBy!.check} in case ${r.killedBy!.case} (${r.killedBy!.message})`;
  if (r.status === 'stillborn') return `STILLBORN ${head}: does not compile`;
  if (r.status === 'equivalent') return `EQUIVALENT ${head}: ${r.equivalentBy}`;
  return `SURVIVED ${head}${r.explained ? ` (explained: ${r.explained})` : ''}`;
}

export function summarize(
  design: string,
  o: { configArg: string; sim: 'verilator' | 'icarus'; seed: number; cases: number },
  unmutatedModules: Record<string, string>,
  configHash: string,
  candidates: number,
  notElaborated: number,
  results: MutantResult[],
  seconds: number,
): MutationReport {
  const count = (s: MutantStatus, k?: MutationKind) =>
    results.filter((r) => r.status === s && (!k || r.kind === k)).length;
  const killed = count('killed'),
    survived = count('survived');
  return {
    schema: mutateSchema,
    design,
    config: o.configArg,
    configHash,
    sim: o.sim,
    seed: o.seed,
    casesPerMutant: o.cases,
    candidates,
    notElaborated,
    unmutatedModules,
    mutants: results.length,
    killed,
    survived,
    stillborn: count('stillborn'),
    equivalent: count('equivalent'),
    score: killed + survived ? killed / (killed + survived) : 1,
    byKind: Object.fromEntries(
      mutationKinds.map((k) => [
        k,
        {
          mutants: results.filter((r) => r.kind === k).length,
          killed: count('killed', k),
          survived: count('survived', k),
        },
      ]),
    ),
    results,
    seconds,
  };
}
