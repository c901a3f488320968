// The float forward pass of a Graph, batched (the reference the integer
// model and onnxruntime are compared with). Plain loops over Float32Array;
// accumulation in float64 so the result does not depend on loop order more
// than float32 rounding of the stored tensors.
import { InputError } from '../common/errors.js';
import { attrInt, attrInts, size, tensor, type Graph, type Node, type Tensor } from './graph.js';

/** C = A (m x k) x B (k x n), B given row-major or (transB) as n x k. */
export function matmul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transB = false,
): Float32Array {
  const c = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    const ai = i * k;
    if (transB) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        const bj = j * k;
        for (let kk = 0; kk < k; kk++) s += a[ai + kk]! * b[bj + kk]!;
        acc[j] = s;
      }
    } else {
      for (let kk = 0; kk < k; kk++) {
        const av = a[ai + kk]!;
        if (av === 0) continue;
        const bk = kk * n;
        for (let j = 0; j < n; j++) acc[j] = acc[j]! + av * b[bk + j]!;
      }
    }
    for (let j = 0; j < n; j++) c[i * n + j] = acc[j]!;
  }
  return c;
}

export interface ConvGeometry {
  N: number;
  C: number;
  H: number;
  W: number;
  M: number;
  R: number;
  S: number;
  strideH: number;
  strideW: number;
  padT: number;
  padL: number;
  padB: number;
  padR: number;
  E: number;
  F: number;
}

export function convGeometry(x: number[], w: number[], n: Node): ConvGeometry {
  const [N, C, H, W] = x as [number, number, number, number];
  const [M, Cw, R, S] = w as [number, number, number, number];
  if (Cw !== C) throw new InputError(`node '${n.name}' (Conv): weight has ${Cw} input channels; the input has ${C}`);
  const [strideH, strideW] = attrInts(n, 'strides', [1, 1]) as [number, number];
  const [padT, padL, padB, padR] = attrInts(n, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
  const E = Math.floor((H + padT + padB - R) / strideH) + 1;
  const F = Math.floor((W + padL + padR - S) / strideW) + 1;
  return { N, C, H, W, M, R, S, strideH, strideW, padT, padL, padB, padR, E, F };
}

/** im2col: rows (n, e, f), columns (c, r, s); zero padding. Data movement only. */
export function im2col(x: Float32Array, g: ConvGeometry): Float32Array {
  const K = g.C * g.R * g.S;
  const out = new Float32Array(g.N * g.E * g.F * K);
  let o = 0;
  for (let n = 0; n < g.N; n++) {
    for (let e = 0; e < g.E; e++) {
      for (let f = 0; f < g.F; f++) {
        for (let c = 0; c < g.C; c++) {
          for (let r = 0; r < g.R; r++) {
            const h = e * g.strideH + r - g.padT;
            for (let s = 0; s < g.S; s++) {
              const w = f * g.strideW + s - g.padL;
              out[o++] = h >= 0 && h < g.H && w >= 0 && w < g.W ? x[((n * g.C + c) * g.H + h) * g.W + w]! : 0;
            }
          }
        }
      }
    }
  }
  return out;
}

/** Rows (n, e, f) x M back to NCHW. */
export function colsToNchw(y: Float32Array, N: number, M: number, E: number, F: number): Float32Array {
  const out = new Float32Array(N * M * E * F);
  for (let n = 0; n < N; n++)
    for (let e = 0; e < E; e++)
      for (let f = 0; f < F; f++)
        for (let m = 0; m < M; m++) out[((n * M + m) * E + e) * F + f] = y[((n * E + e) * F + f) * M + m]!;
  return out;
}

function conv(x: Tensor, w: Tensor, b: Tensor | undefined, n: Node): Tensor {
  const g = convGeometry(x.dims, w.dims, n);
  const cols = im2col(x.data, g);
  const y = matmul(cols, w.data, g.N * g.E * g.F, g.C * g.R * g.S, g.M, true);
  if (b) for (let i = 0; i < y.length; i++) y[i] = y[i]! + b.data[i % g.M]!;
  return { dims: [g.N, g.M, g.E, g.F], data: colsToNchw(y, g.N, g.M, g.E, g.F) };
}

export function pool(x: Tensor, n: Node, kind: 'max' | 'avg'): Tensor {
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const [kh, kw] = attrInts(n, 'kernel_shape', [2, 2]) as [number, number];
  const [sh, sw] = attrInts(n, 'strides', [kh, kw]) as [number, number];
  const [pt, pl, pb, pr] = attrInts(n, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
  const E = Math.floor((H + pt + pb - kh) / sh) + 1,
    F = Math.floor((W + pl + pr - kw) / sw) + 1;
  const countPad = attrInt(n, 'count_include_pad', 0) === 1;
  const out = tensor([N, C, E, F]);
  for (let b = 0; b < N * C; b++) {
    for (let e = 0; e < E; e++) {
      for (let f = 0; f < F; f++) {
        let best = -Infinity,
          sum = 0,
          cnt = 0;
        for (let r = 0; r < kh; r++) {
          for (let s = 0; s < kw; s++) {
            const h = e * sh + r - pt,
              w = f * sw + s - pl;
            if (h < 0 || h >= H || w < 0 || w >= W) continue;
            const v = x.data[(b * H + h) * W + w]!;
            best = Math.max(best, v);
            sum += v;
            cnt++;
          }
        }
        out.data[(b * E + e) * F + f] = kind === 'max' ? best : sum / (countPad ? kh * kw : cnt);
      }
    }
  }
  return out;
}

function flatten(x: Tensor, axis: number): Tensor {
  const a = axis < 0 ? x.dims.length + axis : axis;
  return { dims: [size(x.dims.slice(0, a)), size(x.dims.slice(a))], data: x.data };
}

function reshape(x: Tensor, shape: Tensor, n: Node): Tensor {
  const want = Array.from(shape.data, (v, i) => (v === 0 ? x.dims[i]! : v));
  const known = want.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
  const dims = want.map((v) => (v === -1 ? x.data.length / known : v));
  if (size(dims) !== x.data.length)
    throw new InputError(`node '${n.name}' (Reshape): cannot reshape [${x.dims}] to [${want}]`);
  return { dims, data: x.data };
}

/** Evaluates one node. */
export function evalNode(n: Node, get: (name: string) => Tensor): Tensor {
  const x = get(n.inputs[0]!);
  switch (n.op) {
    case 'Gemm': {
      const w = get(n.inputs[1]!),
        transB = attrInt(n, 'transB', 0) === 1;
      if (attrInt(n, 'transA', 0) !== 0) throw new InputError(`node '${n.name}' (Gemm): transA = 1 is not supported`);
      const [m, k] = x.dims as [number, number];
      const nOut = transB ? w.dims[0]! : w.dims[1]!;
      const y = matmul(x.data, w.data, m, k, nOut, transB);
      const alpha = (n.attrs.alpha as number | undefined) ?? 1,
        beta = (n.attrs.beta as number | undefined) ?? 1;
      if (alpha !== 1) for (let i = 0; i < y.length; i++) y[i] = y[i]! * alpha;
      if (n.inputs[2]) {
        const b = get(n.inputs[2]);
        for (let i = 0; i < y.length; i++) y[i] = y[i]! + beta * b.data[b.data.length === 1 ? 0 : i % nOut]!;
      }
      return { dims: [m, nOut], data: y };
    }
    case 'MatMul': {
      const w = get(n.inputs[1]!);
      const k = x.dims.at(-1)!,
        m = x.data.length / k;
      return { dims: [...x.dims.slice(0, -1), w.dims[1]!], data: matmul(x.data, w.data, m, k, w.dims[1]!) };
    }
    case 'Add': {
      const b = get(n.inputs[1]!);
      const y = new Float32Array(x.data.length);
      for (let i = 0; i < y.length; i++) y[i] = x.data[i]! + b.data[i % b.data.length]!;
      return { dims: x.dims, data: y };
    }
    case 'Conv':
      return conv(x, get(n.inputs[1]!), n.inputs[2] ? get(n.inputs[2]) : undefined, n);
    case 'Relu':
      return { dims: x.dims, data: x.data.map((v) => (v > 0 ? v : 0)) };
    case 'MaxPool':
      return pool(x, n, 'max');
    case 'AveragePool':
      return pool(x, n, 'avg');
    case 'Flatten':
      return flatten(x, attrInt(n, 'axis', 1));
    case 'Reshape':
      return reshape(x, get(n.inputs[1]!), n);
  }
}

/** Runs the graph on a batch (input dims with the batch as dim 0); returns every value by name. */
export function forwardAll(g: Graph, input: Float32Array, batch: number): Map<string, Tensor> {
  const values = new Map<string, Tensor>(g.initializers);
  values.set(g.input.name, { dims: [batch, ...g.input.dims.slice(1)], data: input });
  const get = (name: string) => {
    const t = values.get(name);
    if (!t)
      throw new InputError(
        `graph '${g.name}': value '${name}' is used before it is computed (the nodes are not in topological order)`,
      );
    return t;
  };
  for (const n of g.nodes) values.set(n.outputs[0]!, evalNode(n, get));
  return values;
}

/** The graph's output (logits) for a batch. */
export function forward(g: Graph, input: Float32Array, batch: number): Tensor {
  return forwardAll(g, input, batch).get(g.output)!;
}

/** Index of the largest value of each row. */
export function argmaxRows(data: ArrayLike<number>, rows: number): number[] {
  const cols = data.length / rows;
  return Array.from({ length: rows }, (_, i) => {
    let best = 0;
    for (let j = 1; j < cols; j++) if (data[i * cols + j]! > data[i * cols + best]!) best = j;
    return best;
  });
}
