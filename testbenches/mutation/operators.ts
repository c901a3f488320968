// The mutation operators: every single, realistic RTL mutation of a
// generated module, as one text edit each. The kinds are those a designer's
// slip makes: an operator swapped, an off-by-one in a bound, a stuck-at bit
// in a register, a dropped enable, a swapped mux input, a changed reset value.
// Only logic is mutated: continuous assignments, always blocks and instance
// port connections. Declarations, parameters, generate conditions and the
// assertion macros are left alone (a mutation there changes the
// configuration, not the logic, or mutates the checker).
import { tokenize, type Token } from './sv-tokens.js';

export type MutationKind = 'operator' | 'bound' | 'stuck-at' | 'enable' | 'mux' | 'reset';
export const mutationKinds: readonly MutationKind[] = ['operator', 'bound', 'stuck-at', 'enable', 'mux', 'reset'];

export interface Mutation {
  module: string;
  /** 1-based line of the edit in the module's text. */
  line: number;
  kind: MutationKind;
  /** What changed, e.g. "`+` -> `-`" or "bit 0 of acc_q stuck at 1". */
  what: string;
  /** The edit: text[start, end) becomes `text`. */
  start: number;
  end: number;
  text: string;
}

/** The module text with one mutation applied. */
export function applyMutation(moduleText: string, m: Pick<Mutation, 'start' | 'end' | 'text'>): string {
  return moduleText.slice(0, m.start) + m.text + moduleText.slice(m.end);
}

const swaps: Record<string, string> = {
  '+': '-',
  '-': '+',
  '*': '+',
  '&': '|',
  '|': '&',
  '^': '|',
  '&&': '||',
  '||': '&&',
  '==': '!=',
  '!=': '==',
  '<<': '>>',
  '>>': '<<',
  '>>>': '>>',
};
const bounds: Record<string, string> = { '<': '<=', '<=': '<', '>': '>=', '>=': '>' };
const closers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** True when the token before `i` ends an operand (so the operator at `i` is binary). */
function afterOperand(t: Token[], i: number): boolean {
  const p = t[i - 1];
  return !!p && (p.kind === 'id' || p.kind === 'num' || p.text === ')' || p.text === ']' || p.text === '}');
}

/** Index of the token closing the group opened at `i` (a bracket, or begin/end, case/endcase). */
function closing(t: Token[], i: number): number {
  const open = t[i]!.text;
  const close = closers[open] ?? (open === 'begin' ? 'end' : open === 'case' ? 'endcase' : undefined);
  if (!close) return i;
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    if (t[j]!.text === open || (open === 'case' && /^case[zx]?$/.test(t[j]!.text))) depth++;
    else if (t[j]!.text === close && --depth === 0) return j;
  }
  return t.length - 1;
}

interface Ctx {
  module: string;
  text: string;
  t: Token[];
  out: Mutation[];
}

function push(c: Ctx, at: Token, kind: MutationKind, what: string, start: number, end: number, text: string) {
  c.out.push({ module: c.module, line: at.line, kind, what, start, end, text });
}

/** The offset just past token `j`. */
const endOf = (t: Token[], j: number) => t[j]!.start + t[j]!.text.length;

/**
 * Expression mutations of tokens [from, to): operators, bounds, negations and
 * muxes. `nba`: the indices of `<=` tokens that are non-blocking assignments.
 */
function expressionMutations(c: Ctx, from: number, to: number, nba: Set<number>) {
  const { t } = c;
  let bracket = 0;
  for (let i = from; i < to; i++) {
    const k = t[i]!;
    // $clog2(...) and $bits(...) are elaboration-time widths, not logic.
    if ((k.text === '$clog2' || k.text === '$bits') && t[i + 1]?.text === '(') {
      i = closing(t, i + 1);
      continue;
    }
    // A cast's width, (W+1)'(x), is elaboration-time too.
    if (k.text === '(') {
      const e = closing(t, i);
      if (t[e + 1]?.text === "'" && t[e + 1]!.start === endOf(t, e)) {
        i = e;
        continue;
      }
    }
    if (k.text === '[') bracket++;
    if (k.text === ']') bracket--;
    // In a select, `W-1` -> `W+1` widens past the vector (truncated at the port): the bound mutation `W-2` is the slip.
    if (bracket > 0 && (k.text === '-' || k.text === '+') && t[i + 1]?.text === '1' && t[i + 2]?.text !== "'") {
      pushBound(c, t, i + 1);
      i++;
      continue;
    }
    if (t[i - 1]?.text === '+' || t[i - 1]?.text === '-') pushBound(c, t, i);
    if (k.kind !== 'op') continue;
    const binary = afterOperand(t, i);
    if (binary && swaps[k.text] && !nba.has(i))
      push(c, k, 'operator', `\`${k.text}\` -> \`${swaps[k.text]}\``, k.start, endOf(t, i), swaps[k.text]!);
    if (binary && bounds[k.text] && !nba.has(i))
      push(c, k, 'bound', `\`${k.text}\` -> \`${bounds[k.text]}\``, k.start, endOf(t, i), bounds[k.text]!);
    if (!binary && (k.text === '!' || k.text === '~'))
      push(c, k, 'operator', `\`${k.text}\` dropped`, k.start, endOf(t, i), '');
    if (k.text === '?') muxSwap(c, i, to);
  }
}

/** A literal added or subtracted at `i` (not a cast's width: 32'(x)), one more: `x - 1` -> `x - 2`. */
function pushBound(c: Ctx, t: Token[], i: number) {
  const k = t[i]!;
  const cast = t[i + 1]?.text === "'" && t[i + 1]!.start === endOf(t, i);
  if (k.kind !== 'num' || !/^\d+$/.test(k.text) || cast || !afterOperand(t, i - 1)) return;
  const op = t[i - 1]!.text;
  push(
    c,
    k,
    'bound',
    `\`${op} ${k.text}\` -> \`${op} ${Number(k.text) + 1}\``,
    k.start,
    endOf(t, i),
    String(Number(k.text) + 1),
  );
}

/** `c ? a : b` -> `c ? b : a` for the ternary at `q`. */
function muxSwap(c: Ctx, q: number, to: number) {
  const { t } = c;
  let colon = -1;
  let nest = 0;
  let j = q + 1;
  for (; j < to; j++) {
    const x = t[j]!.text;
    if (closers[x]) j = closing(t, j);
    else if (x === '?') nest++;
    else if (x === ':' && nest-- === 0) {
      colon = j;
      break;
    }
  }
  if (colon < 0) return;
  let e = colon + 1;
  for (; e < to; e++) {
    const x = t[e]!.text;
    if (closers[x]) e = closing(t, e);
    else if (x === ';' || x === ',' || x === ')' || x === ']' || x === '}') break;
  }
  if (e === colon + 1) return;
  const a = c.text.slice(t[q + 1]!.start, t[colon]!.start).trim();
  const b = c.text.slice(t[colon + 1]!.start, endOf(t, e - 1)).trim();
  push(c, t[q]!, 'mux', 'mux inputs swapped', t[q + 1]!.start, endOf(t, e - 1), `${b} : ${a}`);
}

/** Procedural statements of an always block [from, to]: non-blocking assignments, enables, reset values. */
function alwaysMutations(c: Ctx, from: number, to: number, ff: boolean) {
  const { t } = c;
  const nba = new Set<number>();
  const reset: [number, number][] = [];
  const decls: [number, number][] = [];
  let stmt = true;
  for (let i = from; i <= to; i++) {
    const x = t[i]!.text;
    if (x === 'begin') {
      if (t[i + 1]?.text === ':') i += 2;
      stmt = true;
      continue;
    }
    if (x === 'if' || x === 'for' || x === 'case' || x === 'casez' || x === 'while') {
      const close = closing(t, i + 1);
      if (x === 'if' && ff) {
        const cond = c.text.slice(endOf(t, i + 1), t[close]!.start).trim();
        if (/^!\s*rst_ni$/.test(cond)) {
          const body = t[close + 1]?.text === 'begin' ? closing(t, close + 1) : statementEnd(t, close + 1);
          reset.push([close + 1, body]);
        } else
          push(c, t[i]!, 'enable', `enable \`${cond}\` dropped (always on)`, endOf(t, i + 1), t[close]!.start, "1'b1");
      }
      i = close;
      stmt = true;
      continue;
    }
    if (x === ';' || x === 'end' || x === 'else' || x === 'endcase' || x === 'default') {
      stmt = true;
      continue;
    }
    if (x === ':' && stmt) continue;
    if (!stmt) continue;
    // A declaration inside the block (`logic [W-1:0] t;`) is not logic: skip it.
    if (/^(logic|int|bit|integer|automatic)$/.test(x)) {
      const e = statementEnd(t, i);
      decls.push([i, e]);
      i = e;
      continue;
    }
    // A statement: find its `<=` (an assignment) at depth 0.
    const e = statementEnd(t, i);
    let asg = -1;
    for (let j = i; j < e; j++) {
      if (closers[t[j]!.text]) j = closing(t, j);
      else if (t[j]!.text === '<=' || t[j]!.text === '=') {
        asg = j;
        break;
      } else if (t[j]!.text === ':') break; // a case label
    }
    if (asg >= 0 && t[asg]!.text === '<=') {
      nba.add(asg);
      const lhs = t[i]!;
      const rhs = c.text.slice(endOf(t, asg), t[e]!.start).trim();
      const inReset = reset.some(([a, b]) => asg > a && asg < b);
      if (inReset) resetValue(c, lhs, asg + 1, e);
      else if (ff && lhs.kind === 'id' && /_q$/.test(lhs.text)) {
        const [s, en] = [t[asg + 1]!.start, t[e]!.start];
        // A constant's bit already at the stuck value is no mutation.
        if (!/^(?:\d*'[sS]?[bdhoBDHO]0+|'0|0)$/.test(rhs))
          push(c, lhs, 'stuck-at', `bit 0 of ${lhs.text} stuck at 0`, s, en, `(${rhs}) & ~1`);
        if (!/^(?:'1|1'[bB]1)$/.test(rhs))
          push(c, lhs, 'stuck-at', `bit 0 of ${lhs.text} stuck at 1`, s, en, `(${rhs}) | 1`);
      }
    }
    if (asg >= 0) {
      i = asg;
      stmt = false;
    } else if (t[e]?.text === ':') i = e - 1;
  }
  // Expressions outside the declarations.
  let at = from;
  for (const [a, b] of decls) {
    expressionMutations(c, at, a, nba);
    at = b + 1;
  }
  expressionMutations(c, at, to + 1, nba);
}

/** The index of the `;` (or case-label `:`) ending the statement that starts at `i`. */
function statementEnd(t: Token[], i: number): number {
  let nest = 0;
  for (let j = i; j < t.length; j++) {
    const x = t[j]!.text;
    if (closers[x]) j = closing(t, j);
    else if (x === '?') nest++;
    else if (x === ':' && nest > 0) nest--;
    else if (x === ';' || (x === ':' && nest === 0)) return j;
  }
  return t.length - 1;
}

/** A reset branch's `x <= CONST`: the constant inverted ('0 <-> '1, 0 -> all ones). */
function resetValue(c: Ctx, lhs: Token, from: number, to: number) {
  const { t } = c;
  if (to !== from + 1 || t[from]!.kind !== 'num') return;
  const v = t[from]!.text;
  const zero = /^(?:\d*'[sS]?[bdhoBDHO]0+|'0|0)$/.test(v);
  const one = /^1'[bB]1$/.test(v);
  const next = v === "'1" ? "'0" : one ? "1'b0" : /^1'[bB]0$/.test(v) ? "1'b1" : zero ? "'1" : "'0";
  push(c, lhs, 'reset', `reset value of ${lhs.text}: ${v} -> ${next}`, t[from]!.start, endOf(t, from), next);
}

/** Every mutation of a module's logic. */
export function mutationPoints(module: string, text: string): Mutation[] {
  const t = tokenize(text);
  const c: Ctx = { module, text, t, out: [] };
  const m = t.findIndex((k) => k.text === 'module');
  if (m < 0) return [];
  // The body starts after the header's `;` (parameter and port lists are not logic).
  let i = m + 1;
  for (; i < t.length && t[i]!.text !== ';'; i++) if (closers[t[i]!.text]) i = closing(t, i);
  for (i++; i < t.length && t[i]!.text !== 'endmodule'; i++) {
    const x = t[i]!.text;
    if (x === 'assign') {
      const e = statementEnd(t, i);
      expressionMutations(c, i + 1, e, new Set());
      i = e;
    } else if (/^always(_ff|_comb|_latch)?$/.test(x)) {
      let s = i + 1;
      if (t[s]?.text === '@') s = closing(t, s + 1) + 1;
      const e = t[s]?.text === 'begin' ? closing(t, s) : statementEnd(t, s);
      alwaysMutations(c, s, e, x === 'always_ff');
      i = e;
    } else if (x === '#' && t[i + 1]?.text === '(') {
      i = closing(t, i + 1); // parameter overrides
    } else if (x === '.' && t[i + 1]?.kind === 'id' && t[i + 2]?.text === '(') {
      const e = closing(t, i + 2);
      expressionMutations(c, i + 3, e, new Set());
      i = e;
    } else if (/^(localparam|parameter|typedef|import|genvar|logic|wire|reg|bit|int)$/.test(x)) {
      i = statementEnd(t, i);
    }
  }
  return c.out;
}
