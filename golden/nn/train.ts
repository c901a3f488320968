// Training in TypeScript: the two LeNets, softmax cross-entropy, Adam,
// seeded and deterministic (same seed, same bits). Training images are
// shifted by up to two pixels at random (seeded) for robustness; nothing
// else is augmented. Networks convert to and from the Graph of graph.ts in
// net-graph.ts.
import { Conv, Dense, Flatten, MaxPool2, Relu, type Layer, type Param } from './layers.js';
import { imageSize } from './mnist.js';

/** A fast seeded generator (mulberry32) for initialization and shuffling. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12),
      v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

export interface Net {
  name: string;
  /** Input shape per image (C, H, W). */
  inShape: number[];
  layers: Layer[];
}

export const builtinModels = ['lenet-300-100', 'lenet-5'] as const;
export type BuiltinModel = (typeof builtinModels)[number];

/** LeNet-300-100 (784-300-100-10, ReLU) and LeNet-5 (conv 5x5 x6, pool, conv 5x5 x16, pool, FC 120, FC 84, FC 10, ReLU). */
export function makeNet(name: BuiltinModel): Net {
  const inShape = [1, 28, 28];
  if (name === 'lenet-300-100') {
    return {
      name,
      inShape,
      layers: [
        new Flatten(),
        new Dense(784, 300, 'fc1'),
        new Relu(),
        new Dense(300, 100, 'fc2'),
        new Relu(),
        new Dense(100, 10, 'fc3'),
      ],
    };
  }
  return {
    name,
    inShape,
    layers: [
      new Conv(1, 6, 5, 'conv1'),
      new Relu(),
      new MaxPool2(),
      new Conv(6, 16, 5, 'conv2'),
      new Relu(),
      new MaxPool2(),
      new Flatten(),
      new Dense(256, 120, 'fc1'),
      new Relu(),
      new Dense(120, 84, 'fc2'),
      new Relu(),
      new Dense(84, 10, 'fc3'),
    ],
  };
}

export const params = (net: Net): Param[] => net.layers.flatMap((l) => l.params);

/** He initialization (seeded); biases zero. */
export function initNet(net: Net, seed: number): void {
  const rng = new Rng(seed);
  for (const l of net.layers) {
    if (l instanceof Dense || l instanceof Conv) {
      const fanIn = l instanceof Dense ? l.inF : l.cin * l.k * l.k;
      const sd = Math.sqrt(2 / fanIn);
      for (let i = 0; i < l.weight.w.length; i++) l.weight.w[i] = rng.normal() * sd;
      l.bias.w.fill(0);
    }
  }
}

/** Logits of a batch. */
export function netForward(net: Net, x: Float32Array, batch: number): Float32Array {
  let s = net.inShape,
    y = x;
  for (const l of net.layers) {
    y = l.forward(y, batch, s);
    s = l.outShape(s);
  }
  return y;
}

/** Softmax cross-entropy: mean loss and the gradient of the logits. */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: ArrayLike<number>,
  batch: number,
): { loss: number; grad: Float32Array } {
  const k = logits.length / batch;
  const grad = new Float32Array(logits.length);
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    let mx = -Infinity;
    for (let j = 0; j < k; j++) mx = Math.max(mx, logits[b * k + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits[b * k + j]! - mx);
    const y = labels[b]!;
    loss += -(logits[b * k + y]! - mx - Math.log(sum));
    for (let j = 0; j < k; j++) grad[b * k + j] = (Math.exp(logits[b * k + j]! - mx) / sum - (j === y ? 1 : 0)) / batch;
  }
  return { loss: loss / batch, grad };
}

function backward(net: Net, dy: Float32Array, batch: number): void {
  const shapes = [net.inShape];
  for (const l of net.layers) shapes.push(l.outShape(shapes.at(-1)!));
  // The first layer with parameters needs no input gradient.
  const first = net.layers.findIndex((l) => l.params.length > 0);
  let d = dy;
  for (let i = net.layers.length - 1; i >= first; i--) d = net.layers[i]!.backward(d, batch, shapes[i]!, i > first);
}

/** Adam state per parameter (or per centroid vector under weight sharing). */
export class Adam {
  private m = new Map<Param, { m: Float32Array; v: Float32Array }>();
  private t = 0;
  constructor(
    public lr: number,
    private b1 = 0.9,
    private b2 = 0.999,
    private eps = 1e-8,
  ) {}
  step(ps: Param[]): void {
    this.t++;
    const c1 = 1 - this.b1 ** this.t,
      c2 = 1 - this.b2 ** this.t;
    for (const p of ps) {
      // Weight sharing: the gradient of every weight of a cluster is summed into its centroid.
      const shared = p.cluster && p.centroids;
      const target = shared ? p.centroids! : p.w;
      let g = p.g;
      if (shared) {
        g = new Float32Array(p.centroids!.length);
        for (let i = 0; i < p.w.length; i++) g[p.cluster![i]!] = g[p.cluster![i]!]! + p.g[i]!;
        g[0] = 0; // cluster 0 is the pruned weights: fixed at zero
      } else if (p.mask) {
        for (let i = 0; i < g.length; i++) if (!p.mask[i]) g[i] = 0;
      }
      let st = this.m.get(p);
      if (!st || st.m.length !== target.length)
        this.m.set(p, (st = { m: new Float32Array(target.length), v: new Float32Array(target.length) }));
      for (let i = 0; i < target.length; i++) {
        const gi = g[i]!;
        st.m[i] = this.b1 * st.m[i]! + (1 - this.b1) * gi;
        st.v[i] = this.b2 * st.v[i]! + (1 - this.b2) * gi * gi;
        target[i] = target[i]! - (this.lr * (st.m[i]! / c1)) / (Math.sqrt(st.v[i]! / c2) + this.eps);
      }
      if (shared) {
        p.centroids![0] = 0;
        for (let i = 0; i < p.w.length; i++) p.w[i] = p.centroids![p.cluster![i]!]!;
      } else if (p.mask) {
        for (let i = 0; i < p.w.length; i++) if (!p.mask[i]) p.w[i] = 0;
      }
    }
  }
}

export interface TrainOptions {
  epochs: number;
  lr: number;
  batch?: number;
  seed: number;
  /** Halve the learning rate every this many epochs (default: never). */
  decayEvery?: number;
  /** Shift training images by up to this many pixels (default 2; 0: no augmentation). */
  shift?: number;
  /** Progress per epoch. */
  log?: (line: string) => void;
  /** Train only these parameters (e.g. the centroids during fine-tuning); default all. */
  only?: (p: Param) => boolean;
}

function shifted(src: Float32Array, dx: number, dy: number, out: Float32Array, at: number): void {
  for (let r = 0; r < 28; r++) {
    const sr = r - dy;
    for (let c = 0; c < 28; c++) {
      const sc = c - dx;
      out[at + r * 28 + c] = sr >= 0 && sr < 28 && sc >= 0 && sc < 28 ? src[sr * 28 + sc]! : 0;
    }
  }
}

/** Trains `net` on the given images (pixels of `ids` from `pixels`). */
export function trainNet(net: Net, pixels: Float32Array, labels: Uint8Array, ids: number[], o: TrainOptions): void {
  const rng = new Rng(o.seed ^ 0x5bd1e995);
  const batch = o.batch ?? 64;
  const maxShift = o.shift ?? 2;
  const opt = new Adam(o.lr);
  const ps = params(net).filter(o.only ?? (() => true));
  const x = new Float32Array(batch * imageSize);
  const y = new Uint8Array(batch);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    if (o.decayEvery && epoch > 0 && epoch % o.decayEvery === 0) opt.lr /= 2;
    const order = rng.shuffle([...ids]);
    let loss = 0,
      steps = 0;
    for (let s = 0; s + batch <= order.length; s += batch) {
      for (let b = 0; b < batch; b++) {
        const id = order[s + b]!;
        const src = pixels.subarray(id * imageSize, (id + 1) * imageSize);
        const dx = maxShift ? rng.int(2 * maxShift + 1) - maxShift : 0,
          dy = maxShift ? rng.int(2 * maxShift + 1) - maxShift : 0;
        shifted(src, dx, dy, x, b * imageSize);
        y[b] = labels[id]!;
      }
      for (const p of params(net)) p.g.fill(0);
      const out = softmaxCrossEntropy(netForward(net, x, batch), y, batch);
      backward(net, out.grad, batch);
      opt.step(ps);
      loss += out.loss;
      steps++;
    }
    o.log?.(`epoch ${epoch + 1}/${o.epochs}: loss ${(loss / Math.max(steps, 1)).toFixed(4)}`);
  }
}
