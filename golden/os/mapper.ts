// The os mapping: a GEMM of any size split into passes that fit the
// buffers. A pass holds ceil(mp / R) tile row groups and ceil(np / C) tile
// column groups of kp reduction steps each (A and B rows), and np x mp
// accumulator entries; passes over K after the first accumulate onto the
// accumulator buffer (the PE sums start from zero each pass).
import type { OsConfig } from './config.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

export interface OsPass {
  m0: number;
  mp: number;
  n0: number;
  np: number;
  k0: number;
  kp: number;
  firstK: boolean;
  lastK: boolean;
}

/** Loops: m outer, n, k inner; each pass as long in K as the buffers allow. */
export function planOsPasses(cfg: OsConfig, m: number, k: number, n: number): OsPass[] {
  const R = cfg.rows,
    C = cfg.cols;
  const kp = Math.min(k, cfg.aDepth, cfg.bDepth);
  const mp0 = Math.min(m, Math.floor(cfg.aDepth / kp) * R);
  const nt = Math.min(ceil(Math.min(n, Math.floor(cfg.bDepth / kp) * C), C), cfg.accDepth);
  const mp = Math.min(mp0, Math.floor(cfg.accDepth / nt));
  const np = nt * C;
  const passes: OsPass[] = [];
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
        });
      }
    }
  }
  return passes;
}
