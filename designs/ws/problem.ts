// The ws problem: validation of user input (cli.md `ws` input JSON) and
// random problems for verification.
import { show } from '../../core/show.js';
import { InputError } from '../../core/errors.js';
import type { WsConfig } from './config.js';
import type { GemmProblem } from './golden.js';
import { range } from '../../core/numerics.js';
import { Random } from '../../core/random.js';

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
      throw new InputError(`${where}[${i}] has ${row.length} entries; expected ${width} (all rows the same, non-zero length)`);
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

/** Validates cli.md's ws input JSON against a config. */
export function parseWsProblem(raw: unknown, cfg: WsConfig, source = 'input'): GemmProblem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError(`${source}: ws input must be a JSON object with keys a, b, d?, relu?`);
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['a', 'b', 'd', 'relu'].includes(k)) throw new InputError(`${source}: unknown key '${k}'; allowed: a, b, d, relu`);
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
    if (typeof o.relu !== 'boolean') throw new InputError(`${source}: 'relu' is ${show(o.relu)}; expected true or false`);
    if (o.relu && !cfg.signed) throw new InputError(`${source}: 'relu' needs a signed design (config signed is false)`);
    p.relu = o.relu;
  }
  return p;
}

export interface WsShape {
  m: number;
  k: number;
  n: number;
}

/** A random problem of the given shape with full-range data. */
export function randomWsProblem(cfg: WsConfig, shape: WsShape, rng: Random, opts: { d?: boolean; relu?: boolean } = {}): GemmProblem {
  const dl = range(cfg.dataWidth, cfg.signed);
  const al = range(cfg.accWidth, cfg.signed);
  const mat = (r: number, c: number, l: { min: bigint; max: bigint }) =>
    Array.from({ length: r }, () => Array.from({ length: c }, () => rng.bigintIn(l.min, l.max)));
  const p: GemmProblem = { a: mat(shape.m, shape.k, dl), b: mat(shape.k, shape.n, dl) };
  if (opts.d) p.d = mat(shape.m, shape.n, al);
  if (opts.relu && cfg.signed) p.relu = true;
  return p;
}
