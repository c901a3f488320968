// Trainable layers on Float32Array (no native ML framework): dense,
// convolution (im2col), ReLU, 2x2 max pooling, flatten; forward and
// backward for a batch. Parameters carry their gradient and, for Deep
// Compression, an optional pruning mask and weight-sharing clusters.

/** A trainable tensor: values, gradient, optional mask (1 keep, 0 pruned). */
export interface Param {
  name: string;
  dims: number[];
  w: Float32Array;
  g: Float32Array;
  mask?: Uint8Array;
  /** Weight sharing: cluster of each weight (0 = pruned, fixed at zero) and the centroids. */
  cluster?: Uint8Array;
  centroids?: Float32Array;
}

export function param(name: string, dims: number[]): Param {
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dims, w: new Float32Array(n), g: new Float32Array(n) };
}

export interface Layer {
  kind: 'dense' | 'conv' | 'relu' | 'maxpool' | 'avgpool' | 'flatten';
  params: Param[];
  /** Output shape per image from the input shape per image. */
  outShape(inShape: number[]): number[];
  forward(x: Float32Array, batch: number, inShape: number[]): Float32Array;
  /** Accumulates parameter gradients; returns the input gradient unless needDx is false. */
  backward(dy: Float32Array, batch: number, inShape: number[], needDx?: boolean): Float32Array;
}

/** y[b][o] = sum_i x[b][i] w[o][i] + bias[o] (w as out x in, like ONNX Gemm transB = 1). */
export class Dense implements Layer {
  readonly kind = 'dense';
  readonly weight: Param;
  readonly bias: Param;
  private x: Float32Array = new Float32Array(0);
  constructor(
    readonly inF: number,
    readonly outF: number,
    name: string,
  ) {
    this.weight = param(`${name}.weight`, [outF, inF]);
    this.bias = param(`${name}.bias`, [outF]);
  }
  get params() {
    return [this.weight, this.bias];
  }
  outShape() {
    return [this.outF];
  }
  forward(x: Float32Array, batch: number): Float32Array {
    this.x = x;
    return denseForward(x, this.weight.w, this.bias.w, batch, this.inF, this.outF);
  }
  backward(dy: Float32Array, batch: number, _s: number[], needDx = true): Float32Array {
    return denseBackward(this.x, dy, this.weight, this.bias, batch, this.inF, this.outF, needDx);
  }
}

function denseForward(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  rows: number,
  inF: number,
  outF: number,
): Float32Array {
  const y = new Float32Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    const xo = r * inF;
    for (let o = 0; o < outF; o++) {
      const wo = o * inF;
      let s = b[o]!;
      for (let i = 0; i < inF; i++) s += x[xo + i]! * w[wo + i]!;
      y[r * outF + o] = s;
    }
  }
  return y;
}

function denseBackward(
  x: Float32Array,
  dy: Float32Array,
  W: Param,
  B: Param,
  rows: number,
  inF: number,
  outF: number,
  needDx: boolean,
): Float32Array {
  const dx = new Float32Array(needDx ? rows * inF : 0);
  const w = W.w,
    gw = W.g,
    gb = B.g;
  for (let r = 0; r < rows; r++) {
    const xo = r * inF;
    for (let o = 0; o < outF; o++) {
      const d = dy[r * outF + o]!;
      if (d === 0) continue;
      gb[o] = gb[o]! + d;
      const wo = o * inF;
      for (let i = 0; i < inF; i++) gw[wo + i] = gw[wo + i]! + d * x[xo + i]!;
      if (needDx) for (let i = 0; i < inF; i++) dx[xo + i] = dx[xo + i]! + d * w[wo + i]!;
    }
  }
  return dx;
}

/** Square k x k convolution, stride 1, no padding, NCHW; weight M x C x k x k. */
export class Conv implements Layer {
  readonly kind = 'conv';
  readonly weight: Param;
  readonly bias: Param;
  private cols: Float32Array = new Float32Array(0);
  constructor(
    readonly cin: number,
    readonly cout: number,
    readonly k: number,
    name: string,
    readonly pad = 0,
  ) {
    this.weight = param(`${name}.weight`, [cout, cin, k, k]);
    this.bias = param(`${name}.bias`, [cout]);
  }
  get params() {
    return [this.weight, this.bias];
  }
  outShape(s: number[]) {
    return [this.cout, s[1]! + 2 * this.pad - this.k + 1, s[2]! + 2 * this.pad - this.k + 1];
  }
  forward(x: Float32Array, batch: number, s: number[]): Float32Array {
    const [C, H, W] = s as [number, number, number];
    const [, E, F] = this.outShape(s) as [number, number, number];
    const K = C * this.k * this.k;
    this.cols = im2colBatch(x, batch, C, H, W, this.k, this.pad, E, F);
    const y = denseForward(this.cols, this.weight.w, this.bias.w, batch * E * F, K, this.cout);
    // rows (b, e, f) x M -> (b, m, e, f)
    const out = new Float32Array(batch * this.cout * E * F);
    for (let b = 0; b < batch; b++)
      for (let p = 0; p < E * F; p++)
        for (let m = 0; m < this.cout; m++) out[(b * this.cout + m) * E * F + p] = y[(b * E * F + p) * this.cout + m]!;
    return out;
  }
  backward(dy: Float32Array, batch: number, s: number[], needDx = true): Float32Array {
    const [C, H, W] = s as [number, number, number];
    const [, E, F] = this.outShape(s) as [number, number, number];
    const K = C * this.k * this.k;
    const dyc = new Float32Array(batch * E * F * this.cout);
    for (let b = 0; b < batch; b++)
      for (let m = 0; m < this.cout; m++)
        for (let p = 0; p < E * F; p++) dyc[(b * E * F + p) * this.cout + m] = dy[(b * this.cout + m) * E * F + p]!;
    const dcols = denseBackward(this.cols, dyc, this.weight, this.bias, batch * E * F, K, this.cout, needDx);
    return needDx ? col2imBatch(dcols, batch, C, H, W, this.k, this.pad, E, F) : dcols;
  }
}

function im2colBatch(
  x: Float32Array,
  batch: number,
  C: number,
  H: number,
  W: number,
  k: number,
  pad: number,
  E: number,
  F: number,
): Float32Array {
  const K = C * k * k;
  const out = new Float32Array(batch * E * F * K);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let e = 0; e < E; e++) {
      for (let f = 0; f < F; f++) {
        for (let c = 0; c < C; c++) {
          const base = (b * C + c) * H;
          for (let r = 0; r < k; r++) {
            const h = e + r - pad;
            for (let s = 0; s < k; s++) {
              const w = f + s - pad;
              out[o++] = h >= 0 && h < H && w >= 0 && w < W ? x[(base + h) * W + w]! : 0;
            }
          }
        }
      }
    }
  }
  return out;
}

function col2imBatch(
  cols: Float32Array,
  batch: number,
  C: number,
  H: number,
  W: number,
  k: number,
  pad: number,
  E: number,
  F: number,
): Float32Array {
  const dx = new Float32Array(batch * C * H * W);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (let e = 0; e < E; e++) {
      for (let f = 0; f < F; f++) {
        for (let c = 0; c < C; c++) {
          const base = (b * C + c) * H;
          for (let r = 0; r < k; r++) {
            const h = e + r - pad;
            for (let s = 0; s < k; s++) {
              const w = f + s - pad;
              if (h >= 0 && h < H && w >= 0 && w < W) dx[(base + h) * W + w] = dx[(base + h) * W + w]! + cols[o]!;
              o++;
            }
          }
        }
      }
    }
  }
  return dx;
}

export class Relu implements Layer {
  readonly kind = 'relu';
  readonly params: Param[] = [];
  private y: Float32Array = new Float32Array(0);
  outShape(s: number[]) {
    return s;
  }
  forward(x: Float32Array): Float32Array {
    this.y = x.map((v) => (v > 0 ? v : 0));
    return this.y;
  }
  backward(dy: Float32Array): Float32Array {
    const y = this.y;
    return dy.map((d, i) => (y[i]! > 0 ? d : 0));
  }
}

/** 2 x 2 max pooling, stride 2. */
export class MaxPool2 implements Layer {
  readonly kind = 'maxpool';
  readonly params: Param[] = [];
  private arg = new Int32Array(0);
  outShape(s: number[]) {
    return [s[0]!, Math.floor(s[1]! / 2), Math.floor(s[2]! / 2)];
  }
  forward(x: Float32Array, batch: number, s: number[]): Float32Array {
    const [C, H, W] = s as [number, number, number];
    const E = Math.floor(H / 2),
      F = Math.floor(W / 2);
    const y = new Float32Array(batch * C * E * F);
    this.arg = new Int32Array(y.length);
    let o = 0;
    for (let bc = 0; bc < batch * C; bc++) {
      for (let e = 0; e < E; e++) {
        for (let f = 0; f < F; f++) {
          let best = -Infinity,
            at = 0;
          for (let r = 0; r < 2; r++)
            for (let t = 0; t < 2; t++) {
              const i = (bc * H + 2 * e + r) * W + 2 * f + t;
              if (x[i]! > best) {
                best = x[i]!;
                at = i;
              }
            }
          y[o] = best;
          this.arg[o++] = at;
        }
      }
    }
    return y;
  }
  backward(dy: Float32Array, batch: number, s: number[]): Float32Array {
    const dx = new Float32Array(batch * s[0]! * s[1]! * s[2]!);
    for (let i = 0; i < dy.length; i++) dx[this.arg[i]!] = dx[this.arg[i]!]! + dy[i]!;
    return dx;
  }
}

/** 2 x 2 average pooling, stride 2. */
export class AvgPool2 implements Layer {
  readonly kind = 'avgpool';
  readonly params: Param[] = [];
  outShape(s: number[]) {
    return [s[0]!, Math.floor(s[1]! / 2), Math.floor(s[2]! / 2)];
  }
  forward(x: Float32Array, batch: number, s: number[]): Float32Array {
    const [C, H, W] = s as [number, number, number];
    const E = Math.floor(H / 2),
      F = Math.floor(W / 2);
    const y = new Float32Array(batch * C * E * F);
    let o = 0;
    for (let bc = 0; bc < batch * C; bc++)
      for (let e = 0; e < E; e++)
        for (let f = 0; f < F; f++) {
          const i = (bc * H + 2 * e) * W + 2 * f;
          y[o++] = (x[i]! + x[i + 1]! + x[i + W]! + x[i + W + 1]!) / 4;
        }
    return y;
  }
  backward(dy: Float32Array, batch: number, s: number[]): Float32Array {
    const [C, H, W] = s as [number, number, number];
    const E = Math.floor(H / 2),
      F = Math.floor(W / 2);
    const dx = new Float32Array(batch * C * H * W);
    let o = 0;
    for (let bc = 0; bc < batch * C; bc++)
      for (let e = 0; e < E; e++)
        for (let f = 0; f < F; f++) {
          const i = (bc * H + 2 * e) * W + 2 * f,
            d = dy[o++]! / 4;
          dx[i] = d;
          dx[i + 1] = d;
          dx[i + W] = d;
          dx[i + W + 1] = d;
        }
    return dx;
  }
}

export class Flatten implements Layer {
  readonly kind = 'flatten';
  readonly params: Param[] = [];
  outShape(s: number[]) {
    return [s.reduce((a, b) => a * b, 1)];
  }
  forward(x: Float32Array): Float32Array {
    return x;
  }
  backward(dy: Float32Array): Float32Array {
    return dy;
  }
}
