// How a GEMM of any size is split into passes that fit a systolic engine's
// buffers (the host side then lays each pass out). Loops: m outer, n, k
// inner: the accumulator keeps partial sums across K passes.
import { InputError } from '../common/errors.js';
import type { Dataflow, GemmConfig } from './config.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

export interface GemmPass {
  m0: number;
  mp: number;
  n0: number;
  np: number;
  k0: number;
  kp: number;
  firstK: boolean;
  lastK: boolean;
  /** The output stage requantizes the pass's C after it (the problem's last pass in K). */
  requant?: boolean;
}

type Buffers = Pick<GemmConfig, 'rows' | 'cols' | 'aDepth' | 'bDepth' | 'accDepth'> & { quantDepth?: number };

/** Column tiles a pass may hold: with the output stage, its table's entries (quantDepth a multiple of cols). */
const stageTiles = (cfg: Buffers, requant: boolean) =>
  requant && cfg.quantDepth ? Math.floor(cfg.quantDepth / cfg.cols) : Infinity;

function passesOf(m: number, k: number, n: number, mp: number, np: number, kp: number, requant: boolean): GemmPass[] {
  const passes: GemmPass[] = [];
  for (let m0 = 0; m0 < m; m0 += mp) {
    for (let n0 = 0; n0 < n; n0 += np) {
      for (let k0 = 0; k0 < k; k0 += kp) {
        passes.push({
          m0,
          mp: Math.min(mp, m - m0),
          n0,
          np: Math.min(np, n - n0),
          k0,
          kp: Math.min(kp, k - k0),
          firstK: k0 === 0,
          lastK: k0 + kp >= k,
          ...(requant && k0 + kp >= k ? { requant: true } : {}),
        });
      }
    }
  }
  return passes;
}

/**
 * ws: k-tiles per pass bounded by the B buffer (R rows each) and A, n-tiles by
 * B and the accumulators, rows of A by the A buffer and the accumulators.
 */
export function planWsPasses(cfg: Buffers, m: number, k: number, n: number, requant = false): GemmPass[] {
  const R = cfg.rows,
    C = cfg.cols;
  const kt = Math.min(ceil(k, R), Math.floor(cfg.bDepth / R), cfg.aDepth);
  const nt = Math.min(ceil(n, C), Math.floor(cfg.bDepth / (kt * R)), cfg.accDepth, stageTiles(cfg, requant));
  const mp = Math.min(m, Math.floor(cfg.aDepth / kt), Math.floor(cfg.accDepth / nt));
  if (kt < 1 || nt < 1 || mp < 1) {
    throw new InputError(
      `ws buffers too small for any pass: bDepth ${cfg.bDepth} must hold ${R} rows (one weight tile); aDepth ${cfg.aDepth} and accDepth ${cfg.accDepth} at least 1`,
    );
  }
  return passesOf(m, k, n, mp, nt * C, kt * R, requant);
}

/**
 * os: a pass holds ceil(mp / R) tile row groups and ceil(np / C) tile column
 * groups of kp reduction steps each (A and B rows), and np x mp accumulator
 * entries; as long in K as the buffers allow.
 */
export function planOsPasses(cfg: Buffers, m: number, k: number, n: number, requant = false): GemmPass[] {
  const R = cfg.rows,
    C = cfg.cols;
  const kp = Math.min(k, cfg.aDepth, cfg.bDepth);
  const mp0 = Math.min(m, Math.floor(cfg.aDepth / kp) * R);
  const nt = Math.min(ceil(Math.min(n, Math.floor(cfg.bDepth / kp) * C), C), cfg.accDepth, stageTiles(cfg, requant));
  const mp = Math.min(mp0, Math.floor(cfg.accDepth / nt));
  return passesOf(m, k, n, mp, nt * C, kp, requant);
}

export const planPasses = (cfg: Buffers, df: Dataflow, m: number, k: number, n: number, requant = false) =>
  df === 'ws' ? planWsPasses(cfg, m, k, n, requant) : planOsPasses(cfg, m, k, n, requant);

/** Whether a pass ends with the output stage. */
export const requants = (ps: GemmPass) => ps.requant === true;

/** Whether a pass accumulates onto the accumulator buffer (D, or a pass after the first in K). */
export const accumulates = (p: { d?: unknown }, ps: GemmPass) => !ps.firstK || p.d !== undefined;
