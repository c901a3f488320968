// A native convolution's input as run and verify take it (golden/gemm/conv.ts
// has the layer itself): cli.md's convolution JSON checked against a ws or os
// configuration's numerics, and verify's random layers. Pure functions.
import { range } from '../common/numerics.js';
import { InputError } from '../common/errors.js';
import { show } from '../common/show.js';
import type { GemmNumerics } from '../common/gemm.js';
import type { Random } from '../common/random.js';
import type { ConvBudget, GemmConvProblem } from './conv.js';

interface Dims {
  rows: number;
  cols: number;
}

function tensor4(
  raw: unknown,
  name: string,
  fixed: (number | undefined)[],
  lim: { min: bigint; max: bigint },
  what: string,
  source: string,
): bigint[][][][] {
  const dims: (number | undefined)[] = [...fixed];
  const walk = (v: unknown, depth: number, path: string): unknown => {
    const at = `${source}: '${name}'${path}`;
    if (depth === 4) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        throw new InputError(`${at} is ${show(v)}; expected an integer`);
      if (BigInt(v) < lim.min || BigInt(v) > lim.max)
        throw new InputError(`${at} = ${v} is out of range; allowed ${what}: ${lim.min}..${lim.max}`);
      return BigInt(v);
    }
    if (!Array.isArray(v) || v.length === 0) throw new InputError(`${at} must be a non-empty array (${name} is 4-D)`);
    if (dims[depth] === undefined) dims[depth] = v.length;
    if (v.length !== dims[depth]) throw new InputError(`${at} has ${v.length} entries; expected ${dims[depth]}`);
    return v.map((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  return walk(raw, 0, '') as bigint[][][][];
}

/** cli.md's convolution input JSON (the same as rs's) against a ws or os configuration's numerics. */
export function parseGemmConvProblem(raw: unknown, cfg: GemmNumerics, source = 'input'): GemmConvProblem {
  const fail = (m: string): never => {
    throw new InputError(`${source}: ${m}`);
  };
  const o = raw as Record<string, unknown>;
  const keys = ['ifmap', 'filters', 'bias', 'stride', 'padding', 'relu', 'dataflow', 'buffers'];
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`unknown key '${k}'; allowed: ${keys.join(', ')}`);
  const what = `${cfg.signed ? 'signed' : 'unsigned'} ${cfg.dataWidth}-bit (dataWidth)`;
  const ifmap = tensor4(o.ifmap, 'ifmap', [], range(cfg.dataWidth, cfg.signed), what, source);
  const C = ifmap[0]!.length,
    H = ifmap[0]![0]!.length,
    W = ifmap[0]![0]![0]!.length;
  const filters = tensor4(o.filters, 'filters', [undefined, C], range(cfg.dataWidth, cfg.signed), what, source);
  const R = filters[0]![0]!.length,
    S = filters[0]![0]![0]!.length;
  const int = (k: string, v: unknown, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      fail(`'${k}' is ${show(v)}; allowed: an integer ${min}..${max}`);
    return v as number;
  };
  const stride = int('stride', o.stride, 1, 255);
  const padding = o.padding === undefined ? 0 : int('padding', o.padding, 0, 255);
  if (H + 2 * padding < R || W + 2 * padding < S)
    fail(`filters of ${R} x ${S} do not fit the ${H} x ${W} ifmap with padding ${padding}`);
  const p: GemmConvProblem = { ifmap, filters, stride, padding };
  if (o.bias !== undefined) {
    const lim = range(cfg.accWidth, cfg.signed);
    if (!Array.isArray(o.bias) || o.bias.length !== filters.length)
      fail(`'bias' must have ${filters.length} entries (one per filter)`);
    p.bias = (o.bias as unknown[]).map((v, i) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || BigInt(v) < lim.min || BigInt(v) > lim.max)
        fail(
          `'bias'[${i}] = ${show(v)} is out of range; allowed ${cfg.signed ? 'signed' : 'unsigned'} ${cfg.accWidth}-bit (accWidth): ${lim.min}..${lim.max}`,
        );
      return BigInt(v as number);
    });
  }
  if (o.relu !== undefined) {
    if (typeof o.relu !== 'boolean') fail(`'relu' is ${show(o.relu)}; expected true or false`);
    if (o.relu && !cfg.signed) fail(`'relu' needs a signed design (config signed is false)`);
    if (o.relu) p.relu = true;
  }
  if (o.buffers !== undefined) p.buffers = parseBudget(o.buffers, fail);
  return p;
}

/** `buffers`: {a?, b?, acc?}, rows of each buffer the host may use (the configuration's depths bound them: parseConv). */
function parseBudget(raw: unknown, fail: (m: string) => never): ConvBudget {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail(`'buffers' is ${show(raw)}; expected an object of buffer rows, e.g. {"a": 64, "b": 32, "acc": 16}`);
  const out: ConvBudget = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k !== 'a' && k !== 'b' && k !== 'acc') fail(`unknown key 'buffers.${k}'; allowed: a, b, acc`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      fail(`'buffers.${k}' is ${show(v)}; allowed: an integer of at least 1 (rows of the buffer)`);
    out[k] = v;
  }
  return out;
}

/**
 * A random layer for verify: small, with padding, strides past the filter,
 * channels past the rows; one in six is wide: a filter wider than the rows
 * (os: a step's positions start past a whole A row) and padding up to
 * rows x stride + 1 (os: tiles past the first still inside the left padding).
 */
export function randomGemmConvProblem(cfg: GemmNumerics & Dims, rng: Random): GemmConvProblem {
  const wide = rng.int(0, 5) === 0;
  const R = rng.int(1, 4),
    U = rng.int(1, 3),
    S = wide ? rng.int(cfg.rows + 1, 2 * cfg.rows + 2) : rng.int(1, 4),
    P = wide ? rng.int(0, Math.min(S - 1, cfg.rows * U + 1)) : rng.int(0, Math.min(2, R - 1, S - 1));
  const H = rng.int(Math.max(1, R - 2 * P), 9),
    W = rng.int(Math.max(1, S - 2 * P), wide ? S + 6 : 9);
  const N = rng.int(1, 2),
    C = rng.int(1, 2 * cfg.rows + 1),
    M = rng.int(1, 2 * cfg.cols + 1);
  const dl = range(cfg.dataWidth, cfg.signed);
  const t4 = (a: number, b: number, c: number, d: number) =>
    Array.from({ length: a }, () =>
      Array.from({ length: b }, () =>
        Array.from({ length: c }, () => Array.from({ length: d }, () => rng.bigintIn(dl.min, dl.max))),
      ),
    );
  const p: GemmConvProblem = { ifmap: t4(N, C, H, W), filters: t4(M, C, R, S), stride: U, padding: P };
  if (rng.bool()) {
    const al = range(cfg.accWidth, cfg.signed);
    p.bias = Array.from({ length: M }, () => rng.bigintIn(al.min, al.max));
  }
  if (cfg.signed && rng.bool()) p.relu = true;
  return p;
}
