// Deep Compression (Han, Mao, Dally, ICLR 2016) steps from a float matrix to
// the codebook and index matrix that EIE reads: magnitude pruning, per-layer
// 1-D k-means weight sharing with linear initialization (codebook entry 0
// reserved for pruned weights), and fixed-point quantization of the codebook.

/** Keeps the largest-magnitude fraction `density` of weights; the rest become 0. */
export function pruneByMagnitude(w: number[][], density: number): number[][] {
  if (!(density >= 0 && density <= 1)) throw new RangeError(`density must be in [0, 1], got ${density}`);
  const flat = w.flatMap((row, i) => row.map((v, j) => ({ v, i, j })));
  const keep = Math.round(density * flat.length);
  // Largest |v| first; ties broken by position so the result is deterministic.
  const order = flat.filter((e) => e.v !== 0).sort((x, y) => Math.abs(y.v) - Math.abs(x.v) || x.i - y.i || x.j - y.j);
  const out = w.map((row) => row.map(() => 0));
  for (const e of order.slice(0, keep)) out[e.i]![e.j] = e.v;
  return out;
}

export interface KMeans {
  centroids: number[];
  labels: number[];
  iterations: number;
}

/**
 * 1-D k-means with linear initialization: k centroids evenly spaced over
 * [min, max], then Lloyd iterations until assignments stop changing. An
 * empty cluster keeps its centroid.
 */
export function kmeans1d(values: number[], k: number, maxIter = 100): KMeans {
  if (values.length === 0) return { centroids: [], labels: [], iterations: 0 };
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const centroids = Array.from({ length: k }, (_, c) => (k === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * c) / (k - 1)));
  let labels = values.map(() => -1);
  let it = 0;
  for (; it < maxIter; it++) {
    const next = values.map((v) => nearest(centroids, v));
    const changed = next.some((l, i) => l !== labels[i]);
    labels = next;
    if (!changed) break;
    const sum = Array(k).fill(0),
      cnt = Array(k).fill(0);
    values.forEach((v, i) => {
      sum[labels[i]!] += v;
      cnt[labels[i]!]++;
    });
    for (let c = 0; c < k; c++) if (cnt[c] > 0) centroids[c] = sum[c] / cnt[c];
  }
  return { centroids, labels, iterations: it };
}

function nearest(centroids: number[], v: number): number {
  let best = 0;
  for (let c = 1; c < centroids.length; c++) {
    if (Math.abs(v - centroids[c]!) < Math.abs(v - centroids[best]!)) best = c;
  }
  return best;
}

export interface SharedWeights {
  /** Float codebook; entry 0 is 0 (pruned). */
  codebook: number[];
  /** Codebook index per weight; 0 where pruned. */
  index: number[][];
}

/** Weight sharing for one layer: k-means over the surviving (nonzero) weights. */
export function shareWeights(pruned: number[][], codebookBits: number): SharedWeights {
  const nz = pruned.flatMap((row) => row.filter((v) => v !== 0));
  const k = Math.min((1 << codebookBits) - 1, new Set(nz).size);
  const km = kmeans1d(nz, Math.max(k, 1));
  let n = 0;
  const index = pruned.map((row) => row.map((v) => (v === 0 ? 0 : km.labels[n++]! + 1)));
  const codebook = [0, ...km.centroids];
  while (codebook.length < 1 << codebookBits) codebook.push(0);
  return { codebook, index };
}

/**
 * Quantizes a float codebook to signed 16-bit fixed point with `shift`
 * fraction bits (round to nearest, saturated). Entry 0 stays 0.
 */
export function quantizeCodebook(codebook: number[], shift: number): bigint[] {
  return codebook.map((c, i) => {
    if (i === 0) return 0n;
    const q = Math.round(c * 2 ** shift);
    return BigInt(Math.max(-32768, Math.min(32767, q)));
  });
}

/** The largest shift (0..15) at which every codebook entry fits 16 bits. */
export function chooseShift(codebook: number[]): number {
  const m = Math.max(...codebook.map(Math.abs), 1e-30);
  for (let s = 15; s > 0; s--) if (Math.round(m * 2 ** s) <= 32767) return s;
  return 0;
}
