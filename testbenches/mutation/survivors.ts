// Survivors explained: a mutant that no verify case kills is either a gap in
// the checks (then it becomes a new bin or check) or a change that cannot
// alter what the engine computes or counts. The second kind is written down
// here, matched by design, module, kind and the mutated source line, with the
// reason; `mutate` prints the reason beside the survivor and the report lists
// it. An entry that matches nothing is harmless but is reported by the test.
import type { Mutation } from './operators.js';

export interface SurvivorReason {
  design: string;
  module: string;
  kind: Mutation['kind'];
  /** Matched against the mutated line of the unmutated source (trimmed). */
  line: RegExp;
  /** Matched against the mutation's `what`, when the line holds several mutations with different verdicts. */
  what?: RegExp;
  reason: string;
}

export const survivorReasons: SurvivorReason[] = [];

/** The written reason a surviving mutation cannot be caught, if any. */
export function explainSurvivor(design: string, m: Mutation, moduleText: string): string | undefined {
  const line = moduleText.split('\n')[m.line - 1]?.trim() ?? '';
  return survivorReasons.find(
    (s) =>
      (s.design === design || s.design === '*') &&
      s.module === m.module &&
      s.kind === m.kind &&
      s.line.test(line) &&
      (!s.what || s.what.test(m.what)),
  )?.reason;
}
