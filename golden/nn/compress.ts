// Deep Compression (Han, Mao, Dally, ICLR 2016) on a trained network, in
// TypeScript, seeded and deterministic:
//  1. iterative magnitude pruning with retraining: each step prunes every
//     layer to the next density of a geometric schedule towards its target
//     (exactly round(density x weights) kept, largest |w| first, ties by
//     position), then retrains with the mask;
//  2. trained quantization: per-layer 1-D k-means with linear initialization
//     over [min, max] of the surviving weights into 2^bits - 1 centroids,
//     code 0 reserved for pruned weights (as EIE needs), then centroid
//     fine-tuning: the gradient of every weight of a cluster is summed into
//     its centroid (nn/train.ts Adam under weight sharing); centroids and
//     biases are then rounded to float16, the precision they are stored in;
//  3. relative-index storage (the numerics.md padding rule) and canonical
//     Huffman coding of the codes and of the relative indices (container.ts).
import { kmeans1d } from './deep-compression.js';
import { Conv, Dense, type Param } from './layers.js';
import { netForward, trainNet, type Net } from './train.js';
import { gather, loadMnist } from './mnist.js';
import { compressSplit } from './splits.js';
import { argmaxRows } from './forward.js';

export { compressRecipes } from './compress-recipes.js';

export interface CompressRecipe {
  /** Target density per layer (by layer name, e.g. fc1); others use defaultDensity. */
  densities: Record<string, number>;
  /** Conv layers and other FC layers without an entry. */
  defaultConvDensity: number;
  defaultFcDensity: number;
  /** Pruning steps (geometric schedule from 1 to the target). */
  steps: number;
  epochsPerStep: number;
  lr: number;
  /** Extra retraining at the target densities (learning rate halved every 2 epochs). */
  finalEpochs: number;
  /** Codebook bits of the shared weights (4 for EIE). */
  bits: number;
  finetuneEpochs: number;
  finetuneLr: number;
  /** Fine-tuning epochs of each other bit width in the accuracy-versus-bits table. */
  tableEpochs: number;
  /** Relative row index bits of the stored entries. */
  indexBits: number;
  seed: number;
}

/** For a user's model: conv layers to half, FC layers to a tenth, the last to a quarter. */
export function defaultRecipe(): CompressRecipe {
  return {
    densities: {},
    defaultConvDensity: 0.5,
    defaultFcDensity: 0.1,
    steps: 4,
    epochsPerStep: 2,
    lr: 5e-4,
    finalEpochs: 2,
    bits: 4,
    finetuneEpochs: 2,
    finetuneLr: 2e-4,
    tableEpochs: 1,
    indexBits: 4,
    seed: 1,
  };
}

export interface LayerRef {
  name: string;
  op: 'fc' | 'conv';
  weight: Param;
  bias: Param;
}

/** The compute layers of a network in order, named by their parameters (fc1, conv2, ...). */
export function weightLayers(net: Net): LayerRef[] {
  return net.layers.flatMap((l) =>
    l instanceof Dense || l instanceof Conv
      ? [
          {
            name: l.weight.name.replace(/\.weight$/, ''),
            op: l instanceof Dense ? ('fc' as const) : ('conv' as const),
            weight: l.weight,
            bias: l.bias,
          },
        ]
      : [],
  );
}

export function targetDensity(r: CompressRecipe, l: LayerRef, last: boolean): number {
  return (
    r.densities[l.name] ??
    (l.op === 'conv' ? r.defaultConvDensity : last ? Math.max(r.defaultFcDensity, 0.25) : r.defaultFcDensity)
  );
}

/** Keeps exactly round(density x n) weights of largest magnitude (ties by position); sets the mask. */
export function pruneParam(p: Param, density: number): number {
  const n = p.w.length;
  const keep = Math.round(density * n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(p.w[b]!) - Math.abs(p.w[a]!) || a - b);
  const mask = new Uint8Array(n);
  for (let i = 0; i < keep; i++) mask[order[i]!] = 1;
  for (let i = 0; i < n; i++) if (!mask[i]) p.w[i] = 0;
  p.mask = mask;
  return keep;
}

/** The nearest IEEE half-precision value (the stored codebooks and biases are float16). */
export function toHalf(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const a = Math.abs(v);
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const step = 2 ** (e - 10);
  const h = Math.min(Math.round(a / step) * step, 65504);
  return Math.sign(v) * h;
}

/** Rounds a shared layer's centroids and its bias to float16, as they are stored. */
export function roundToStored(l: LayerRef): void {
  const c = l.weight.centroids!;
  for (let i = 1; i < c.length; i++) c[i] = toHalf(c[i]!);
  for (let i = 0; i < l.weight.w.length; i++) l.weight.w[i] = c[l.weight.cluster![i]!]!;
  for (let i = 0; i < l.bias.w.length; i++) l.bias.w[i] = toHalf(l.bias.w[i]!);
}

/** Weight sharing of one layer: k-means over its surviving weights; code 0 = pruned. */
export function shareParam(p: Param, bits: number): void {
  const idx: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < p.w.length; i++) {
    if (p.mask ? p.mask[i] : p.w[i] !== 0) {
      idx.push(i);
      vals.push(p.w[i]!);
    }
  }
  const k = Math.max(1, Math.min((1 << bits) - 1, vals.length));
  const km = kmeans1d(vals, k);
  const centroids = new Float32Array(1 << bits);
  km.centroids.forEach((c, j) => (centroids[j + 1] = c));
  const cluster = new Uint8Array(p.w.length);
  idx.forEach((i, j) => (cluster[i] = km.labels[j]! + 1));
  p.cluster = cluster;
  p.centroids = centroids;
  for (let i = 0; i < p.w.length; i++) p.w[i] = centroids[cluster[i]!]!;
}

/** Accuracy of `net` on the given images (the test split unless told). */
export function testAccuracy(net: Net, ids = compressSplit().test): number {
  const m = loadMnist();
  const pred = argmaxRows(netForward(net, gather(ids, m), ids.length), ids.length);
  return pred.filter((p, i) => p === m.labels[ids[i]!]).length / ids.length;
}

/** A deep copy of a network's parameters (for the bits table). */
export function snapshot(net: Net): Float32Array[] {
  return weightLayers(net).flatMap((l) => [l.weight.w.slice(), l.bias.w.slice()]);
}

export function restore(net: Net, s: Float32Array[], masks: (Uint8Array | undefined)[]): void {
  weightLayers(net).forEach((l, i) => {
    l.weight.w.set(s[2 * i]!);
    l.bias.w.set(s[2 * i + 1]!);
    l.weight.mask = masks[i];
    delete l.weight.cluster;
    delete l.weight.centroids;
  });
}

export interface CompressLog {
  densities: { name: string; weights: number; kept: number; density: number }[];
  /** Validation accuracy (1,000 images never trained on, splits.ts) at each stage. */
  validation: { float: number; pruned: number; quantized: number };
  /** Test accuracy (2,000 images), scored once at the end; absent when the run was told not to look (a recipe search). */
  test?: { float: number; quantized: number };
  /** Validation accuracy after sharing + fine-tuning at other codebook widths (from the same pruned network). */
  bitsTable: { bits: number; accuracy: number }[];
  seconds: number;
}

/**
 * Prunes, retrains, shares and fine-tunes `net` in place; returns what
 * happened. Trains on the fit split only; every choice along the way is
 * scored on validation; the test split is scored once at the end (never
 * with `test: false`, as a recipe search runs).
 */
export function deepCompress(
  net: Net,
  r: CompressRecipe,
  o: { bitsTable?: number[]; log?: (l: string) => void; test?: boolean } = {},
): CompressLog {
  const t0 = performance.now();
  const m = loadMnist();
  const split = compressSplit(m.count);
  const train = split.fit;
  const val = () => testAccuracy(net, split.validation);
  const pct = (a: number) => `${(100 * a).toFixed(2)} %`;
  const layers = weightLayers(net);
  const floatTest = o.test === false ? undefined : testAccuracy(net, split.test);
  const floatVal = val();
  o.log?.(`float validation accuracy ${pct(floatVal)}`);
  for (let step = 1; step <= r.steps; step++) {
    for (const [i, l] of layers.entries()) {
      const target = targetDensity(r, l, i === layers.length - 1);
      pruneParam(l.weight, target ** (step / r.steps));
    }
    trainNet(net, m.pixels, m.labels, train, { epochs: r.epochsPerStep, lr: r.lr, seed: r.seed + step, shift: 1 });
    o.log?.(`pruning step ${step}/${r.steps}: validation accuracy ${pct(val())}`);
  }
  if (r.finalEpochs) {
    trainNet(net, m.pixels, m.labels, train, {
      epochs: r.finalEpochs,
      lr: r.lr,
      decayEvery: Math.max(2, Math.ceil(r.finalEpochs / 4)),
      seed: r.seed + 50,
      shift: 1,
    });
  }
  const densities = layers.map((l) => {
    const kept = l.weight.mask!.reduce((a, b) => a + b, 0);
    return { name: l.name, weights: l.weight.w.length, kept, density: kept / l.weight.w.length };
  });
  const prunedVal = val();
  o.log?.(`retrained at the target densities: validation accuracy ${pct(prunedVal)}`);
  const pruned = snapshot(net);
  const masks = layers.map((l) => l.weight.mask);
  const share = (bits: number, epochs = r.finetuneEpochs) => {
    for (const l of layers) shareParam(l.weight, bits);
    // Centroids and biases train; the structure (mask, clusters) stays.
    trainNet(net, m.pixels, m.labels, train, { epochs, lr: r.finetuneLr, seed: r.seed + 100 + bits, shift: 1 });
    for (const l of layers) roundToStored(l);
    return val();
  };
  const bitsTable: { bits: number; accuracy: number }[] = [];
  for (const b of (o.bitsTable ?? []).filter((b) => b !== r.bits)) {
    restore(net, pruned, masks);
    bitsTable.push({ bits: b, accuracy: share(b, r.tableEpochs) });
    o.log?.(`shared weights, ${b} bits: validation accuracy ${pct(bitsTable.at(-1)!.accuracy)}`);
  }
  restore(net, pruned, masks);
  const quantizedVal = share(r.bits);
  o.log?.(`shared weights, ${r.bits} bits (kept): validation accuracy ${pct(quantizedVal)}`);
  if (o.bitsTable?.includes(r.bits)) bitsTable.push({ bits: r.bits, accuracy: quantizedVal });
  bitsTable.sort((a, b) => a.bits - b.bits);
  let test: CompressLog['test'];
  if (floatTest !== undefined) {
    test = { float: floatTest, quantized: testAccuracy(net, split.test) };
    o.log?.(`test accuracy (scored once): float ${pct(test.float)}, compressed ${pct(test.quantized)}`);
  }
  return {
    densities,
    validation: { float: floatVal, pruned: prunedVal, quantized: quantizedVal },
    test,
    bitsTable,
    seconds: (performance.now() - t0) / 1000,
  };
}
