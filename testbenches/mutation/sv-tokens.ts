// A small SystemVerilog tokenizer for the mutation operators: enough of the
// lexical grammar to find operators, literals and identifiers in a generated
// module's body with their byte offsets and lines, and to leave alone what a
// mutation must not touch (comments, strings, preprocessor lines and macro
// calls such as `AF_ASSERT(...)`, whose text is simulation-only checking).

export type TokenKind = 'id' | 'num' | 'op' | 'str';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the module text. */
  start: number;
  /** 1-based line. */
  line: number;
}

// Longest first: a prefix must never win over the operator it starts.
const ops = [
  '<<<=',
  '>>>=',
  '<<<',
  '>>>',
  '===',
  '!==',
  '<<=',
  '>>=',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<<',
  '>>',
  '->',
  '::',
  '++',
  '--',
  "'{",
].sort((a, b) => b.length - a.length);

const idStart = /[A-Za-z_$]/;
const idChar = /[A-Za-z0-9_$]/;
// A sized or based literal (8'hFF, 'd3, '0, 1'b1), or a plain decimal.
const number = /^(?:\d+)?'[sS]?[bBoOdDhH][0-9a-fA-FxXzZ_?]+|^'[01xXzZ]|^\d[\d_]*(?:\.\d+)?/;

/** The tokens of `text`; comments, strings' contents, `directive lines and `MACRO(...) calls are skipped. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (; i < to; i++) if (text[i] === '\n') line++;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      advance(i + 1);
      continue;
    }
    if (text.startsWith('//', i)) {
      const e = text.indexOf('\n', i);
      advance(e < 0 ? text.length : e);
      continue;
    }
    if (text.startsWith('/*', i)) {
      const e = text.indexOf('*/', i + 2);
      advance(e < 0 ? text.length : e + 2);
      continue;
    }
    if (c === '"') {
      let e = i + 1;
      while (e < text.length && text[e] !== '"') e += text[e] === '\\' ? 2 : 1;
      out.push({ kind: 'str', text: text.slice(i, e + 1), start: i, line });
      advance(e + 1);
      continue;
    }
    if (c === '`') {
      advance(skipMacro(text, i));
      continue;
    }
    const num = number.exec(text.slice(i, i + 80));
    if (num && (/\d/.test(c) || c === "'") && !(c === "'" && text[i + 1] === '{')) {
      out.push({ kind: 'num', text: num[0], start: i, line });
      advance(i + num[0].length);
      continue;
    }
    if (idStart.test(c)) {
      let e = i + 1;
      while (e < text.length && idChar.test(text[e]!)) e++;
      out.push({ kind: 'id', text: text.slice(i, e), start: i, line });
      advance(e);
      continue;
    }
    const op = ops.find((o) => text.startsWith(o, i)) ?? c;
    out.push({ kind: 'op', text: op, start: i, line });
    advance(i + op.length);
  }
  return out;
}

/** The end of a preprocessor item at `i`: a directive's whole line (with continuations) or a macro call with its arguments. */
function skipMacro(text: string, i: number): number {
  let e = i + 1;
  while (e < text.length && idChar.test(text[e]!)) e++;
  const name = text.slice(i + 1, e);
  const directive = /^(ifn?def|else|elsif|endif|define|undef|include|timescale|default_nettype|resetall)$/.test(name);
  if (directive) {
    // A `define runs to the end of its line, and on over backslash continuations.
    for (;;) {
      const nl = text.indexOf('\n', e);
      if (nl < 0) return text.length;
      if (name === 'define' && text[nl - 1] === '\\') {
        e = nl + 1;
        continue;
      }
      return nl;
    }
  }
  // A macro call: its balanced argument list, if one follows.
  let j = e;
  while (text[j] === ' ' || text[j] === '\t') j++;
  if (text[j] !== '(') return e;
  let depth = 0;
  for (; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')' && --depth === 0) return j + 1;
  }
  return text.length;
}
