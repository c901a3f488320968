// The convolution of ../shared/spec/numerics.md (`rs`):
// O[n][m][e][f] = wrap(bias[m] + sum_{c,r,s} Ipad[n][c][U e + r][U f + s] * F[m][c][r][s], AW),
// then ReLU if asked; with the output stage, requantized instead
// (numerics.md "Requantization", ReLU a clamp at the zero point). Independent
// of any mapping or folding.
import { relu as reluFn, wrap } from '../common/numerics.js';
import type { ConvShape } from '../common/conv-shape.js';
import type { RsMapping } from './contract.js';
import { requantize } from '../common/requant.js';

/** The output stage's work (config requant): per filter a float32 scale; the bias is the int32 offset. */
export interface RsRequant {
  scale: number[];
  zeroPoint: number;
  /** The output type (as `run`'s JSON names it). */
  output: 'int8' | 'uint8';
}

export interface ConvProblem {
  /** N x C x H x W signed dataWidth-bit values. */
  ifmap: number[][][][];
  /** M x C x R x S signed dataWidth-bit values. */
  filters: number[][][][];
  /** M accWidth-bit values. */
  bias?: bigint[];
  stride: number;
  padding: number;
  relu?: boolean;
  /** Requantize each value to 8 bits (then `bias` is present: the int32 offsets). */
  requant?: RsRequant;
  /** The mapping to run instead of the mapper's (the result does not depend on it; cycles and counters do). */
  mapping?: RsMapping;
}

/** The layer's sizes (golden/common/conv-shape.ts). */
export type { ConvShape };

export function convShape(p: ConvProblem): ConvShape {
  const N = p.ifmap.length,
    C = p.ifmap[0]!.length,
    H = p.ifmap[0]![0]!.length,
    W = p.ifmap[0]![0]![0]!.length;
  const M = p.filters.length,
    R = p.filters[0]![0]!.length,
    S = p.filters[0]![0]![0]!.length;
  const U = p.stride,
    P = p.padding;
  return { N, C, H, W, M, R, S, U, P, E: Math.floor((H + 2 * P - R) / U) + 1, F: Math.floor((W + 2 * P - S) / U) + 1 };
}

/** N x M x E x F outputs. */
export function conv(accWidth: number, p: ConvProblem): bigint[][][][] {
  const sh = convShape(p);
  const { N, C, H, W, M, R, S, U, P, E, F } = sh;
  // Products are below 2^30 and a sum of C*R*S of them stays exact in doubles
  // while that count is below 2^22 (1024 x 32 x 32 = 2^20 at most here).
  const out: bigint[][][][] = [];
  for (let n = 0; n < N; n++) {
    const om: bigint[][][] = [];
    for (let m = 0; m < M; m++) {
      const oe: bigint[][] = [];
      for (let e = 0; e < E; e++) {
        const of: bigint[] = [];
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let c = 0; c < C; c++) {
            const img = p.ifmap[n]![c]!,
              flt = p.filters[m]![c]!;
            for (let r = 0; r < R; r++) {
              const h = U * e + r - P;
              if (h < 0 || h >= H) continue;
              const row = img[h]!,
                fr = flt[r]!;
              for (let t = 0; t < S; t++) {
                const x = U * f + t - P;
                if (x >= 0 && x < W) s += row[x]! * fr[t]!;
              }
            }
          }
          const o = wrap(BigInt(s) + (p.bias?.[m] ?? 0n), accWidth);
          const q = p.requant;
          if (q)
            of.push(
              BigInt(
                requantize(o, {
                  scale: q.scale[m]!,
                  zeroPoint: q.zeroPoint,
                  signed: q.output === 'int8',
                  relu: p.relu,
                }),
              ),
            );
          else of.push(p.relu ? reluFn(o) : o);
        }
        oe.push(of);
      }
      om.push(oe);
    }
    out.push(om);
  }
  return out;
}
