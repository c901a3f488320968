// GEMM problems as the host-port GEMM engines (ws, os) take them: the
// problem, its golden result (numerics.md `ws`), cli.md's input JSON,
// random problems and the first wrong element of a result. Pure functions.
import { wrap, relu, range } from './numerics.js';
import { show } from './show.js';
import { InputError } from './errors.js';
import { Random } from './random.js';
import { checkRequant, requantize } from './requant.js';

/** The numerics of a GEMM engine. */
export interface GemmNumerics {
  dataWidth: number;
  accWidth: number;
  signed: boolean;
  /** Output-stage table entries (ws, os; 0 or absent: no output stage). */
  quantDepth?: number;
}

/**
 * The output stage's work on a run (numerics.md "Requantization"): each C
 * value plus its column's int32 offset, requantized with its column's
 * float32 scale to an 8-bit output; ReLU (the problem's) clamps at the zero point.
 */
export interface GemmRequant {
  /** Per output column: the float32 multiplier. */
  scale: number[];
  /** Per output column: the int32 offset (bias and zero-point corrections). */
  offset: number[];
  zeroPoint: number;
  /** The output type (as `run`'s JSON names it). */
  output: 'int8' | 'uint8';
}

export interface GemmProblem {
  a: bigint[][]; // M x K
  b: bigint[][]; // K x N
  d?: bigint[][]; // M x N
  relu?: boolean;
  /** Requantize C to 8-bit outputs in the output stage (a config with quantDepth > 0). */
  requant?: GemmRequant;
  /**
   * Where the host places the rows in each buffer, as a fraction of the rows
   * left free (random cases draw it, so the engines' base registers and the
   * buffers' high address bits are exercised); absent: from row 0.
   */
  placement?: { a: number; b: number; acc: number };
}

/** C = wrap(D + A x B, accWidth), then ReLU if asked (numerics.md, `ws` and `os`). */
export function gemm(cfg: GemmNumerics, p: GemmProblem): bigint[][] {
  const m = p.a.length;
  const k = p.b.length;
  const n = p.b[0]?.length ?? 0;
  // Exact in doubles while K * 2^(2 DW) stays below 2^53; D is added as BigInt.
  const fast = Math.log2(Math.max(k, 1)) + 2 * cfg.dataWidth < 52;
  const aNum = fast ? p.a.map((r) => r.map(Number)) : [];
  const bT: number[][] = [];
  if (fast) for (let j = 0; j < n; j++) bT.push(p.b.map((r) => Number(r[j]!)));
  const out: bigint[][] = [];
  for (let i = 0; i < m; i++) {
    const row: bigint[] = [];
    for (let j = 0; j < n; j++) {
      let acc = p.d?.[i]?.[j] ?? 0n;
      if (fast) {
        const ai = aNum[i]!;
        const bj = bT[j]!;
        let s = 0;
        for (let kk = 0; kk < k; kk++) s += ai[kk]! * bj[kk]!;
        acc += BigInt(s);
      } else {
        const ai = p.a[i]!;
        for (let kk = 0; kk < k; kk++) acc += ai[kk]! * p.b[kk]![j]!;
      }
      let v = wrap(acc, cfg.accWidth, cfg.signed);
      if (p.requant) v = requantValue(v, j, p.requant, p.relu === true);
      else if (p.relu && cfg.signed) v = relu(v);
      row.push(v);
    }
    out.push(row);
  }
  return out;
}

/** One C value through the output stage: int32(v + offset[j]), requantized with scale[j]. */
export function requantValue(v: bigint, j: number, q: GemmRequant, relu: boolean): bigint {
  const acc = BigInt.asIntN(32, BigInt.asIntN(32, v) + BigInt(q.offset[j]!));
  return BigInt(requantize(acc, { scale: q.scale[j]!, zeroPoint: q.zeroPoint, signed: q.output === 'int8', relu }));
}

function matrix(
  raw: unknown,
  name: string,
  rows: number | undefined,
  cols: number | undefined,
  lim: { min: bigint; max: bigint },
  what: string,
  source: string,
): bigint[][] {
  const where = `${source}: '${name}'`;
  if (!Array.isArray(raw) || raw.length === 0) throw new InputError(`${where} must be a non-empty array of rows`);
  if (rows !== undefined && raw.length !== rows) {
    throw new InputError(`${where} has ${raw.length} rows; expected ${rows}`);
  }
  const width = cols ?? (Array.isArray(raw[0]) ? raw[0].length : 0);
  return raw.map((row: unknown, i) => {
    if (!Array.isArray(row)) throw new InputError(`${where}[${i}] must be an array`);
    if (row.length === 0) throw new InputError(`${where}[${i}] is empty; every row needs at least one entry`);
    if (row.length !== width || width === 0) {
      throw new InputError(
        `${where}[${i}] has ${row.length} entries; expected ${width} (all rows the same, non-zero length)`,
      );
    }
    return row.map((v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw new InputError(`${where}[${i}][${j}] is ${show(v)}; expected an integer`);
      }
      const b = BigInt(v);
      if (b < lim.min || b > lim.max) {
        throw new InputError(`${where}[${i}][${j}] = ${v} is out of range; allowed ${what}: ${lim.min}..${lim.max}`);
      }
      return b;
    });
  });
}

/** Validates cli.md's GEMM input JSON (ws, os) against a design's numerics. */
export function parseGemmProblem(raw: unknown, cfg: GemmNumerics, source = 'input', design = 'ws'): GemmProblem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError(`${source}: ${design} input must be a JSON object with keys a, b, d?, relu?, placement?`);
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['a', 'b', 'd', 'relu', 'requant', 'placement'].includes(k))
      throw new InputError(`${source}: unknown key '${k}'; allowed: a, b, d, relu, requant, placement`);
  }
  const dl = range(cfg.dataWidth, cfg.signed);
  const dw = `${cfg.signed ? 'signed' : 'unsigned'} ${cfg.dataWidth}-bit (dataWidth)`;
  const a = matrix(o.a, 'a', undefined, undefined, dl, dw, source);
  const k = a[0]!.length;
  const b = matrix(o.b, 'b', k, undefined, dl, dw, source);
  const n = b[0]!.length;
  const p: GemmProblem = { a, b };
  if (o.d !== undefined) {
    const aw = `${cfg.signed ? 'signed' : 'unsigned'} ${cfg.accWidth}-bit (accWidth)`;
    p.d = matrix(o.d, 'd', a.length, n, range(cfg.accWidth, cfg.signed), aw, source);
  }
  if (o.relu !== undefined) {
    if (typeof o.relu !== 'boolean')
      throw new InputError(`${source}: 'relu' is ${show(o.relu)}; expected true or false`);
    if (o.relu && !cfg.signed) throw new InputError(`${source}: 'relu' needs a signed design (config signed is false)`);
    p.relu = o.relu;
  }
  if (o.requant !== undefined) p.requant = parseRequant(o.requant, cfg, n, source);
  if (o.placement !== undefined) p.placement = parsePlacement(o.placement, source);
  return p;
}

/**
 * `requant`: { scale: number | number[N] (rounded to float32), offset?:
 * int32[N] (default 0), zeroPoint: integer, output: 'int8' | 'uint8' }.
 */
export function parseRequant(v: unknown, cfg: GemmNumerics, n: number, source: string): GemmRequant {
  const where = `${source}: 'requant'`;
  if (!cfg.quantDepth)
    throw new InputError(
      `${where} needs an output stage: config quantDepth is 0 (allowed: a multiple of cols, e.g. ws-16x16)`,
    );
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InputError(`${where} is ${show(v)}; expected an object { scale, offset?, zeroPoint, output }`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['scale', 'offset', 'zeroPoint', 'output'].includes(k))
      throw new InputError(`${source}: unknown key 'requant.${k}'; allowed: scale, offset, zeroPoint, output`);
  if (o.output !== 'int8' && o.output !== 'uint8')
    throw new InputError(`${source}: 'requant.output' is ${show(o.output)}; allowed: 'int8', 'uint8'`);
  const signed = o.output === 'int8';
  const perColumn = (x: unknown, key: string): unknown[] => {
    if (!Array.isArray(x)) return Array.from({ length: n }, () => x);
    if (x.length !== n)
      throw new InputError(
        `${source}: 'requant.${key}' has ${x.length} entries; expected ${n} (one per column of b) or one number`,
      );
    return x;
  };
  const zeroPoint = o.zeroPoint;
  if (typeof zeroPoint !== 'number')
    throw new InputError(`${source}: 'requant.zeroPoint' is ${show(zeroPoint)}; expected an integer`);
  const scale = perColumn(o.scale, 'scale').map((x, j) => {
    const s = typeof x === 'number' ? Math.fround(x) : NaN;
    checkRequant({ scale: s, zeroPoint, signed }, `${source}: 'requant' column ${j}`);
    return s;
  });
  const offset = perColumn(o.offset ?? 0, 'offset').map((x, j) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31)
      throw new InputError(`${source}: 'requant.offset'[${j}] is ${show(x)}; allowed: an int32 integer`);
    return x;
  });
  return { scale, offset, zeroPoint, output: o.output };
}

/** `placement`: { a, b, acc }, each a fraction in [0, 1) of the rows a buffer leaves free. */
function parsePlacement(v: unknown, source: string): { a: number; b: number; acc: number } {
  const keys = ['a', 'b', 'acc'] as const;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InputError(
      `${source}: 'placement' is ${show(v)}; expected an object { a, b, acc } of fractions in [0, 1)`,
    );
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!(keys as readonly string[]).includes(k))
      throw new InputError(`${source}: unknown key 'placement.${k}'; allowed: a, b, acc`);
  for (const k of keys) {
    const x = o[k];
    if (typeof x !== 'number' || !(x >= 0 && x < 1))
      throw new InputError(`${source}: 'placement.${k}' is ${show(x)}; expected a number in [0, 1)`);
  }
  return { a: o.a as number, b: o.b as number, acc: o.acc as number };
}

export interface GemmShape {
  m: number;
  k: number;
  n: number;
}

/** A random problem of the given shape with full-range data. */
export function randomGemmProblem(
  cfg: GemmNumerics,
  shape: GemmShape,
  rng: Random,
  opts: { d?: boolean; relu?: boolean } = {},
): GemmProblem {
  const dl = range(cfg.dataWidth, cfg.signed);
  const al = range(cfg.accWidth, cfg.signed);
  const mat = (r: number, c: number, l: { min: bigint; max: bigint }) =>
    Array.from({ length: r }, () => Array.from({ length: c }, () => rng.bigintIn(l.min, l.max)));
  const p: GemmProblem = { a: mat(shape.m, shape.k, dl), b: mat(shape.k, shape.n, dl) };
  if (opts.d) p.d = mat(shape.m, shape.n, al);
  if (opts.relu && cfg.signed) p.relu = true;
  return p;
}

/**
 * The wrong element that left the RTL first (by `cycles`, the trace cycle of
 * each element's read; row-major without them), or undefined.
 */
export function firstGemmMismatch(expected: bigint[][], actual: bigint[][], cycles?: number[][]) {
  let best: { element: string; expected: bigint; actual: bigint; i: number; j: number; cycle?: number } | undefined;
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < expected[i]!.length; j++) {
      const e = expected[i]![j]!,
        a = actual[i]?.[j];
      const cycle = cycles?.[i]?.[j];
      // Without cycles every element counts as 0: the first in row-major order wins.
      if (a !== e && (!best || (cycle ?? 0) < (best.cycle ?? 0)))
        best = { element: `c[${i}][${j}]`, expected: e, actual: a ?? 0n, i, j, cycle };
    }
  }
  return best;
}
