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
  const assigns = new RegExp(`(^|[;\\s])${reg}(\\[[^\\]]*\\])?\\s*<=`);
  // The lines of the block a `begin` line opens (up to its `end` at the same indentation).
  const block = (i: number) => {
    const indent = /^\s*/.exec(lines[i]!)![0].length;
    const out: number[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!;
      if (/^\s*end\b/.test(l) && /^\s*/.exec(l)![0].length === indent) break;
      out.push(j);
    }
    return out;
  };
  // The start branch follows the reset branch: `end else if (start_i) begin` ... up to the next `end else`;
  // or the reset branch's `end else begin` opens a block whose `if (start_i) begin` loads it.
  for (let i = m.line; i < lines.length && i < m.line + 60; i++) {
    if (/^\s*end else if \(start(_i)?\) begin/.test(lines[i]!)) {
      for (let j = i + 1; j < lines.length && !/^\s*end( else|$)/.test(lines[j]!); j++)
        if (assigns.test(lines[j]!)) return j + 1;
      return undefined;
    }
    if (/^\s*end else begin/.test(lines[i]!)) {
      const body = block(i);
      const at = body.find((j) => /^\s*if \(start(_i)?\) begin/.test(lines[j]!));
      // Only a block that assigns the register nowhere before its start branch.
      if (at === undefined || body.some((j) => j < at && assigns.test(lines[j]!))) return undefined;
      const hit = block(at).find((j) => assigns.test(lines[j]!));
      return hit === undefined ? undefined : hit + 1;
    }
    if (/^\s*end else\b/.test(lines[i]!)) return undefined;
  }
  return undefined;
}

/**
 * The register a reset-value mutation changes, written unconditionally on
 * every clock edge out of reset (a top-level statement of the reset
 * branch's `else` block): that line. Its reset value lasts one cycle.
 */
export function writtenEveryCycle(moduleText: string, m: Pick<Mutation, 'line' | 'kind' | 'what'>): number | undefined {
  if (m.kind !== 'reset') return undefined;
  const reg = /^reset value of (\w+)/.exec(m.what)?.[1];
  if (!reg) return undefined;
  const lines = moduleText.split('\n');
  const assigns = new RegExp(`^\\s*${reg}\\s*<=`);
  for (let i = m.line; i < lines.length && i < m.line + 60; i++) {
    if (!/^\s*end else begin/.test(lines[i]!)) continue;
    const indent = /^\s*/.exec(lines[i]!)![0].length;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!;
      const at = /^\s*/.exec(l)![0].length;
      if (/^\s*end\b/.test(l) && at === indent) return undefined;
      if (at === indent + 2 && assigns.test(l)) return j + 1;
    }
    return undefined;
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
  const every = writtenEveryCycle(moduleText, m);
  if (every)
    return `the register is written on every clock edge out of reset (line ${every}): its reset value lasts the first cycle after reset, while the engine is idle`;
  return undefined;
}

/** The value of a parameter of the generated module: `parameter int X = 4`, or a localparam `32'(X)` of one. */
function paramValue(moduleText: string, name: string, depth = 0): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const d = new RegExp(`\\b(?:parameter|localparam)\\b[^=;]*\\b${name}\\s*=\\s*([^,;\\n]+)`)
    .exec(moduleText)?.[1]
    ?.trim();
  if (d === undefined || depth > 3) return undefined;
  const lit = /^(?:\d+'d)?(\d+)$/.exec(d);
  if (lit) return Number(lit[1]);
  const cast = /^(?:\d+)'\((\w+)\)$/.exec(d);
  return cast ? paramValue(moduleText, cast[1]!, depth + 1) : undefined;
}

/**
 * A proof that bit 0 of a register is always 0, so holding it at 0 changes
 * nothing: every assignment to it (reset, loads, steps) is a zero literal or
 * the register plus an even parameter of this configuration (a column or
 * row count stepping a tile base, for example). By induction over its
 * assignments, every value it ever takes is even.
 */
export function alwaysEven(moduleText: string, m: Pick<Mutation, 'kind' | 'what'>): string | undefined {
  if (m.kind !== 'stuck-at') return undefined;
  const reg = /^bit 0 of (\w+) stuck at 0$/.exec(m.what)?.[1];
  if (!reg) return undefined;
  // Only whole-register nonblocking assignments are understood: a bit select or a blocking write voids the proof.
  if (new RegExp(`\\b${reg}\\s*\\[[^\\]]*\\]\\s*<=|\\b${reg}\\s*=[^=]`).test(moduleText)) return undefined;
  const rhs = [...moduleText.matchAll(new RegExp(`(?:^|[;\\s])${reg}\\s*<=\\s*([^;]+);`, 'gm'))].map((x) =>
    x[1]!.trim(),
  );
  if (!rhs.length) return undefined;
  const steps: string[] = [];
  for (const e of rhs) {
    if (/^(?:'0|\d+'[dhb]0|0)$/.test(e)) continue;
    const step = new RegExp(`^${reg}\\s*\\+\\s*(\\w+)$`).exec(e)?.[1];
    const v = step === undefined ? undefined : paramValue(moduleText, step);
    if (v === undefined || v % 2 !== 0) return undefined;
    steps.push(`${step} = ${v}`);
  }
  return `every value ${reg} takes is even: it is only set to 0 or stepped by ${[...new Set(steps)].join(', ')} in this configuration, so bit 0 is always 0`;
}
