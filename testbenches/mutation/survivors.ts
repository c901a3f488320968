// Survivors explained: a mutant that no verify case kills is either a gap in
// the checks (then it becomes a new bin or check) or a change the interface
// contract cannot see. The second kind is written down here with its reason,
// matched by module, kind and the mutated source line; and one reason is
// found in the source itself: a reset value that the run's start branch
// reloads before anything reads it. `mutate` prints the reason beside the
// survivor; a survivor with none is listed as not explained.
import type { Mutation } from './operators.js';

export interface SurvivorReason {
  design: string;
  module: string;
  kind: Mutation['kind'];
  /** Matched against the mutated line of the unmutated source (trimmed). */
  line: RegExp;
  reason: string;
}

const rspOnly =
  'host_rsp_rdata_o is defined only in the cycle host_rsp_valid_o is high (the datasheet), and in that cycle the register holds the same value either way';

export const survivorReasons: SurvivorReason[] = [
  { design: '*', module: 'af_host_port', kind: 'enable', line: /if \(read_o\) rdata_q <= rdata_i;/, reason: rspOnly },
  { design: '*', module: 'af_host_port', kind: 'reset', line: /^(rdata_q|late_q)\s*<= /, reason: rspOnly },
];

/** The register a reset-value mutation changes, reloaded in the same block's `else if (start...)` branch: that line. */
export function reloadedOnStart(moduleText: string, m: Pick<Mutation, 'line' | 'kind' | 'what'>): number | undefined {
  if (m.kind !== 'reset') return undefined;
  const reg = /^reset value of (\w+)/.exec(m.what)?.[1];
  if (!reg) return undefined;
  const lines = moduleText.split('\n');
  // The start branch follows the reset branch: `end else if (start_i) begin` ... up to the next `end else`.
  for (let i = m.line; i < lines.length && i < m.line + 60; i++) {
    if (/^\s*end else if \(start(_i)?\) begin/.test(lines[i]!)) {
      for (let j = i + 1; j < lines.length && !/^\s*end( else|$)/.test(lines[j]!); j++)
        if (new RegExp(`(^|[;\\s])${reg}(\\[[^\\]]*\\])?\\s*<=`).test(lines[j]!)) return j + 1;
      return undefined;
    }
    if (/^\s*end else\b/.test(lines[i]!)) return undefined;
  }
  return undefined;
}

/** The reason a surviving mutation cannot be caught, if one is known. */
export function explainSurvivor(design: string, m: Mutation, moduleText: string): string | undefined {
  const line = moduleText.split('\n')[m.line - 1]?.trim() ?? '';
  const written = survivorReasons.find(
    (s) => (s.design === design || s.design === '*') && s.module === m.module && s.kind === m.kind && s.line.test(line),
  )?.reason;
  if (written) return written;
  const at = reloadedOnStart(moduleText, m);
  if (at)
    return `the register is reloaded when a run starts (line ${at}), before the run reads it; its reset value is seen only while the engine is idle`;
  return undefined;
}
