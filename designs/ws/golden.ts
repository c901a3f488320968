import { wrap, relu } from '../../core/numerics.js';
import type { WsConfig } from './config.js';

export interface GemmProblem {
  a: bigint[][]; // M x K
  b: bigint[][]; // K x N
  d?: bigint[][]; // M x N
  relu?: boolean;
}

/** C = wrap(D + A x B, accWidth), then ReLU if asked (numerics.md, `ws`). */
export function gemm(
  cfg: Pick<WsConfig, 'accWidth' | 'signed' | 'dataWidth'>,
  p: GemmProblem,
): bigint[][] {
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
      if (p.relu && cfg.signed) v = relu(v);
      row.push(v);
    }
    out.push(row);
  }
  return out;
}
