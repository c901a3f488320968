// The EIE arithmetic of ../shared/spec/numerics.md: a sparse, weight-shared
// matrix-vector product per layer, layers chained.
import { relu as reluFn, sat, wrap } from '../common/numerics.js';

export interface EieLayer {
  /** 2^codebookBits signed 16-bit entries, entry 0 = 0. */
  codebook: bigint[];
  /** rows x cols codebook indices (0 = pruned); rows may be typed arrays. */
  index: ArrayLike<number>[];
  /** Optional signed 16-bit bias per row. */
  bias?: bigint[];
  /** Fraction bits of the codebook, 0..15. */
  shift: number;
  relu?: boolean;
}

/**
 * One layer: acc[i] = bias[i] + sum_j asr(cb[X[i][j]] * a[j], s) in accWidth
 * bits with wrap; b[i] = sat(wrap(acc), 16), then ReLU if asked.
 */
export function eieLayer(accWidth: number, layer: EieLayer, a: bigint[]): bigint[] {
  const cb = layer.codebook.map(Number);
  const act = a.map(Number);
  const div = 2 ** layer.shift;
  return Array.from(layer.index, (row, i) => {
    // Products are at most 2^30 in magnitude and floor(p / 2^s) is exact in
    // doubles; a sum of up to 2^22 of them stays below 2^53.
    let s = 0;
    for (let j = 0; j < row.length; j++) {
      const v = row[j]!;
      if (v === 0 || act[j] === 0) continue;
      s += Math.floor((cb[v]! * act[j]!) / div);
    }
    let acc = BigInt(s) + (layer.bias?.[i] ?? 0n);
    acc = wrap(acc, accWidth);
    const b = sat(acc, 16);
    return layer.relu ? reluFn(b) : b;
  });
}

/** Runs layers back to back; returns every layer's output vector. */
export function eieChain(accWidth: number, activations: bigint[], layers: EieLayer[]): bigint[][] {
  const outs: bigint[][] = [];
  let a = activations;
  for (const l of layers) {
    a = eieLayer(accWidth, l, a);
    outs.push(a);
  }
  return outs;
}
