// The ws mapping: how a GEMM of any size is split into passes that fit the
// engine's buffers (the host side then lays each pass out, host.ts).
import type { WsConfig } from './config.js';
import { InputError } from '../common/errors.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

export interface WsPass {
  m0: number;
  mp: number;
  n0: number;
  np: number;
  k0: number;
  kp: number;
  firstK: boolean;
  lastK: boolean;
}

/**
 * Splits M x K x N into passes that fit the buffers: k-tiles per pass bounded
 * by the B buffer, n-tiles by B and the accumulators, rows of A by the A
 * buffer and the accumulators. Loops: m outer, n, k inner (the accumulator
 * keeps partial sums across K passes).
 */
export function planWsPasses(cfg: WsConfig, m: number, k: number, n: number): WsPass[] {
  const R = cfg.rows,
    C = cfg.cols;
  const kt = Math.min(ceil(k, R), Math.floor(cfg.bDepth / R), cfg.aDepth);
  const nt = Math.min(ceil(n, C), Math.floor(cfg.bDepth / (kt * R)), cfg.accDepth);
  const mp = Math.min(m, Math.floor(cfg.aDepth / kt), Math.floor(cfg.accDepth / nt));
  if (kt < 1 || nt < 1 || mp < 1) {
    throw new InputError(
      `ws buffers too small for any pass: bDepth ${cfg.bDepth} must hold ${R} rows (one weight tile); ` +
        `aDepth ${cfg.aDepth} and accDepth ${cfg.accDepth} at least 1`,
    );
  }
  const passes: WsPass[] = [];
  for (let m0 = 0; m0 < m; m0 += mp) {
    for (let n0 = 0; n0 < n; n0 += nt * C) {
      for (let k0 = 0; k0 < k; k0 += kt * R) {
        passes.push({
          m0,
          mp: Math.min(mp, m - m0),
          n0,
          np: Math.min(nt * C, n - n0),
          k0,
          kp: Math.min(kt * R, k - k0),
          firstK: k0 === 0,
          lastK: k0 + kt * R >= k,
        });
      }
    }
  }
  return passes;
}
