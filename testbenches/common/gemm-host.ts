// Reading back a GEMM engine's answers (ws, os): the host program's reads
// decoded into C, the cycle each element left, and the counters per pass.
import { SimError } from '../../golden/common/errors.js';
import type { GemmNumerics } from '../../golden/common/gemm.js';
import { parseHostOutput, unpackRow } from './host-program.js';

/** A GEMM engine pass as the read-back sees it. */
export interface GemmPassRows {
  m0: number;
  mp: number;
  n0: number;
  np: number;
  lastK: boolean;
}

/**
 * A GEMM engine's answers (ws, os host programs): per pass the counters
 * named by `counterNames`, then after a last K pass its accumulator rows
 * nt * mp + m, Cols results each. Also the cycle each element left (its read).
 */
export function decodeGemmOutput<K extends string>(
  cfg: GemmNumerics & { cols: number },
  design: string,
  counterNames: readonly K[],
  text: string,
  m: number,
  n: number,
  passes: GemmPassRows[],
) {
  const { reads, readCycles, marks, cycles: total } = parseHostOutput(text);
  const c: bigint[][] = Array.from({ length: m }, () => Array<bigint>(n).fill(0n));
  const cCycle: number[][] = Array.from({ length: m }, () => Array<number>(n).fill(-1));
  const perPass: Record<K, number>[] = [];
  const C = cfg.cols;
  let i = 0;
  const next = () => {
    const v = reads[i++];
    if (v === undefined) throw new SimError(`${design} engine harness returned ${reads.length} reads; expected more`);
    return v;
  };
  for (const ps of passes) {
    const cnt = {} as Record<K, number>;
    for (const name of counterNames) cnt[name] = Number(next());
    perPass.push(cnt);
    if (!ps.lastK) continue;
    for (let nt = 0; nt < Math.ceil(ps.np / C); nt++) {
      for (let mm = 0; mm < ps.mp; mm++) {
        const row = unpackRow(next(), C, cfg.accWidth, cfg.signed);
        const at = readCycles[i - 1]!;
        for (let cc = 0; cc < C && nt * C + cc < ps.np; cc++) {
          c[ps.m0 + mm]![ps.n0 + nt * C + cc] = row[cc]!;
          cCycle[ps.m0 + mm]![ps.n0 + nt * C + cc] = at;
        }
      }
    }
  }
  const counters = {} as Record<K, number>;
  for (const name of counterNames) counters[name] = perPass.reduce((sum: number, x) => sum + x[name], 0);
  return { c, cCycle, marks, perPass, counters, totalCycles: total };
}
