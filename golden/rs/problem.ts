// The rs problem: random convolution layers for verification (cli.md's rs
// input JSON is validated by parseRsProblem).
import { show } from '../common/show.js';
import type { RsConfig } from './config.js';
import { InputError } from '../common/errors.js';
import type { ConvProblem } from './golden.js';
import { Random } from '../common/random.js';
import { rsMappingFields, rsMaxStride, type RsMapping } from './contract.js';
import { parseRequant } from '../common/gemm.js';

export interface ConvSpec {
  N: number;
  C: number;
  H: number;
  W: number;
  M: number;
  R: number;
  S: number;
  stride: number;
  padding: number;
  bias?: boolean;
  relu?: boolean;
}

/** A layer of the given shape with uniform signed dataWidth-bit values. */
export function randomConvProblem(cfg: RsConfig, s: ConvSpec, rng: Random): ConvProblem {
  const lo = -(2 ** (cfg.dataWidth - 1)),
    hi = 2 ** (cfg.dataWidth - 1) - 1;
  const v = () => rng.int(lo, hi);
  const t4 = (a: number, b: number, c: number, d: number) =>
    Array.from({ length: a }, () =>
      Array.from({ length: b }, () => Array.from({ length: c }, () => Array.from({ length: d }, v))),
    );
  const bmax = 2n ** BigInt(cfg.accWidth - 1);
  return {
    ifmap: t4(s.N, s.C, s.H, s.W),
    filters: t4(s.M, s.C, s.R, s.S),
    bias: s.bias ? Array.from({ length: s.M }, () => rng.bigintIn(-bmax, bmax - 1n)) : undefined,
    stride: s.stride,
    padding: s.padding,
    relu: s.relu ?? false,
  };
}

/**
 * An output-stage case on a layer (drawn after it: other configs' cases stay
 * as they were): per-filter scales near 127 / (the typical sum) or exact powers
 * of two (ties), offsets as the bias (small, or anywhere: the sum wraps), any zero point.
 */
export function withRandomRequant(cfg: RsConfig, p: ConvProblem, rng: Random): void {
  const K = p.ifmap[0]!.length * p.filters[0]![0]!.length * p.filters[0]![0]![0]!.length;
  const typical = Math.sqrt(K) * 2 ** (2 * cfg.dataWidth - 2) + 1;
  const signed = rng.bool();
  const M = p.filters.length;
  const scale = () =>
    rng.bool(1 / 3) ? 2 ** -rng.int(0, 2 * cfg.dataWidth) : Math.fround((127 / typical) * 2 ** (rng.float() * 6 - 3));
  const perFilter = rng.bool();
  const s0 = scale();
  p.requant = {
    scale: Array.from({ length: M }, () => (perFilter ? scale() : s0)),
    zeroPoint: signed ? rng.int(-128, 127) : rng.int(0, 255),
    output: signed ? 'int8' : 'uint8',
  };
  const lim = rng.bool(1 / 8) ? 2 ** 31 : Math.min(Math.floor(typical), 2 ** 31);
  p.bias = Array.from({ length: M }, () => BigInt(rng.int(-lim, lim - 1)));
}

/** A 4-D integer array of the given leading shape (undefined = any, same throughout). */
function tensor4(
  raw: unknown,
  name: string,
  shape: (number | undefined)[],
  lo: number,
  hi: number,
  what: string,
  source: string,
): number[][][][] {
  const dims = [...shape];
  const walk = (v: unknown, depth: number, path: string): unknown => {
    const at = `${source}: '${name}'${path}`;
    if (depth === 4) {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new InputError(`${at} is ${show(v)}; expected an integer`);
      if (v < lo || v > hi) throw new InputError(`${at} = ${v} is out of range; allowed ${what}: ${lo}..${hi}`);
      return v;
    }
    if (!Array.isArray(v) || v.length === 0)
      throw new InputError(`${at} must be a non-empty array (${name} is ${['N', 'C', 'H', 'W'].length}-D)`);
    if (dims[depth] === undefined) dims[depth] = v.length;
    if (v.length !== dims[depth]) throw new InputError(`${at} has ${v.length} entries; expected ${dims[depth]}`);
    return v.map((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  return walk(raw, 0, '') as number[][][][];
}

/** Validates cli.md's rs input JSON against a config (a given mapping is checked against the layer by the rs plugin). */
export function parseRsProblem(raw: unknown, cfg: RsConfig, source = 'input'): ConvProblem {
  const fail = (m: string): never => {
    throw new InputError(`${source}: ${m}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('rs input must be a JSON object with keys ifmap, filters, bias?, stride, padding?, relu?, requant?, mapping?');
  const o = raw as Record<string, unknown>;
  const keys = ['ifmap', 'filters', 'bias', 'stride', 'padding', 'relu', 'requant', 'mapping'];
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`unknown key '${k}'; allowed: ${keys.join(', ')}`);
  const lo = -(2 ** (cfg.dataWidth - 1)),
    hi = 2 ** (cfg.dataWidth - 1) - 1;
  const what = `signed ${cfg.dataWidth}-bit (dataWidth)`;
  const ifmap = tensor4(o.ifmap, 'ifmap', [], lo, hi, what, source);
  const C = ifmap[0]!.length,
    H = ifmap[0]![0]!.length,
    W = ifmap[0]![0]![0]!.length;
  const filters = tensor4(o.filters, 'filters', [undefined, C], lo, hi, what, source);
  const M = filters.length,
    R = filters[0]![0]!.length,
    S = filters[0]![0]![0]!.length;
  const int = (k: string, v: unknown, min: number, max: number) => {
    if (v === undefined) fail(`'${k}' is missing; allowed: an integer ${min}..${max}`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      fail(`'${k}' = ${show(v)} is out of range; allowed: an integer ${min}..${max}`);
    return v as number;
  };
  const stride = int('stride', o.stride, 1, rsMaxStride);
  const padding = o.padding === undefined ? 0 : int('padding', o.padding, 0, 64);
  if (H + 2 * padding < R || W + 2 * padding < S)
    fail(`filters of ${R} x ${S} do not fit the ${H} x ${W} ifmap with padding ${padding}`);
  let bias: bigint[] | undefined;
  if (o.bias !== undefined) {
    if (!Array.isArray(o.bias) || o.bias.length !== M) fail(`'bias' must have ${M} entries (one per filter)`);
    const bmax = 2n ** BigInt(cfg.accWidth - 1);
    bias = (o.bias as unknown[]).map((v, i) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || BigInt(v) < -bmax || BigInt(v) >= bmax) {
        fail(
          `'bias'[${i}] = ${show(v)} is out of range; allowed signed ${cfg.accWidth}-bit (accWidth): ${-bmax}..${bmax - 1n}`,
        );
      }
      return BigInt(v as number);
    });
  }
  if (o.relu !== undefined && typeof o.relu !== 'boolean') fail("'relu' must be true or false");
  const p: ConvProblem = { ifmap, filters, bias, stride, padding, relu: o.relu === true };
  if (o.requant !== undefined) {
    if (!cfg.requant) fail("'requant' needs the output stage: config requant is false (e.g. rs-4x4-int8)");
    if (o.requant && typeof o.requant === 'object' && 'offset' in o.requant)
      fail("'requant.offset': rs adds its offsets as 'bias' (one int32 per filter)");
    const q = parseRequant(
      o.requant,
      { dataWidth: cfg.dataWidth, accWidth: cfg.accWidth, signed: true, quantDepth: M },
      M,
      source,
    );
    p.requant = { scale: q.scale, zeroPoint: q.zeroPoint, output: q.output };
    // The stage reads each filter's scale with its bias: a layer without one adds zeros.
    p.bias ??= Array.from({ length: M }, () => 0n);
  }
  if (o.mapping !== undefined) p.mapping = parseMapping(o.mapping, source);
  return p;
}

/**
 * `mapping`: every field of the rs mapping (rsMappingFields) as a
 * non-negative integer. Whether the engine can run it on this layer is the
 * descriptor contract's question (the rs plugin asks it before running).
 */
export function parseMapping(raw: unknown, source: string): RsMapping {
  const fields = rsMappingFields.join(', ');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError(`${source}: 'mapping' is ${show(raw)}; expected an object with ${fields}`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!(rsMappingFields as readonly string[]).includes(k))
      throw new InputError(`${source}: unknown key 'mapping.${k}'; allowed: ${fields}`);
  const m = {} as RsMapping;
  for (const k of rsMappingFields) {
    const v = o[k];
    if (v === undefined) throw new InputError(`${source}: 'mapping.${k}' is missing; the mapping names ${fields}`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1)
      throw new InputError(`${source}: 'mapping.${k}' = ${show(v)}; allowed: an integer 0..${2 ** 31 - 1}`);
    m[k] = v;
  }
  return m;
}
