// The integer forward pass of a QOperator model (qonnx.ts), exactly as
// onnxruntime's CPU kernels compute it (docs/numerics.md, "Requantization"):
// QuantizeLinear y = sat(rne(fp32(x / scale)) + zp); QLinearConv and
// QLinearMatMul sum (x - x_zp)(w - w_zp) in int32 (padding contributes
// zero: the input zero point), add the int32 bias and requantize per output
// channel; MaxPool takes the largest 8-bit value (padding never wins);
// DequantizeLinear fp32((x - zp) * scale). Every tensor is kept, so a check
// can compare each layer, not only the output. Pure arithmetic.
import { outputRange, outputScale, requantize, roundHalfEven, type RequantParams } from '../common/requant.js';
import type { QGraph, QNode, QParams } from './qonnx.js';

export interface QValue {
  dims: number[];
  data: Float64Array;
  /** 'float' or the 8-bit type of its integers. */
  type: 'float' | 'int8' | 'uint8';
}

/** Sees each requantization of a QLinear node: its int32 accumulator and parameters (a checker's vectors). */
export type RequantTrace = (node: string, acc: number, q: RequantParams) => void;

const f32 = Math.fround;
const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const ch = (q: QParams, i: number) => (q.scale.length > 1 ? i : 0);

function quantize(v: QValue, q: QParams): QValue {
  const { lo, hi } = outputRange(q.type === 'int8');
  const s = f32(q.scale[0]!),
    zp = q.zeroPoint[0]!;
  const data = v.data.map((x) => {
    const p = Math.min(Math.max(f32(f32(x) / s), lo - zp), hi - zp);
    return roundHalfEven(p) + zp;
  });
  return { dims: v.dims, data, type: q.type };
}

const dequantize = (v: QValue, q: QParams): QValue => ({
  dims: v.dims,
  data: v.data.map((x) => f32((x - q.zeroPoint[0]!) * f32(q.scale[0]!))),
  type: 'float',
});

function conv(v: QValue, n: Extract<QNode, { op: 'QLinearConv' }>, trace?: RequantTrace): QValue {
  const [N, C, H, W] = v.dims as [number, number, number, number];
  const [M, , R, S] = n.w.dims as [number, number, number, number];
  const [pt, pl] = n.pads;
  const [u, uw] = n.strides as [number, number];
  const E = Math.floor((H + pt! + n.pads[2]! - R) / u) + 1,
    F = Math.floor((W + pl! + n.pads[3]! - S) / uw) + 1;
  const out = new Float64Array(N * M * E * F);
  const xz = n.x.zeroPoint[0]!;
  for (let b = 0; b < N; b++)
    for (let m = 0; m < M; m++) {
      const wz = n.w.q.zeroPoint[ch(n.w.q, m)]!;
      const scale = outputScale(n.x.scale[0]!, n.w.q.scale[ch(n.w.q, m)]!, n.y.scale[0]!);
      for (let e = 0; e < E; e++)
        for (let f = 0; f < F; f++) {
          let acc = n.bias?.[m] ?? 0;
          for (let c = 0; c < C; c++)
            for (let r = 0; r < R; r++) {
              const h = e * u + r - pt!;
              if (h < 0 || h >= H) continue;
              for (let s = 0; s < S; s++) {
                const w = f * uw + s - pl!;
                if (w < 0 || w >= W) continue;
                const x = v.data[((b * C + c) * H + h) * W + w]! - xz;
                acc += x * (n.w.data[((m * C + c) * R + r) * S + s]! - wz);
              }
            }
          const q = { scale, zeroPoint: n.y.zeroPoint[0]!, signed: n.y.type === 'int8' };
          trace?.(n.name, acc | 0, q);
          out[((b * M + m) * E + e) * F + f] = requantize(BigInt(acc | 0), q);
        }
    }
  return { dims: [N, M, E, F], data: out, type: n.y.type };
}

function matmul(v: QValue, n: Extract<QNode, { op: 'QLinearMatMul' }>, trace?: RequantTrace): QValue {
  const [K, Nc] = n.b.dims as [number, number];
  const M = size(v.dims) / K;
  const out = new Float64Array(M * Nc);
  const az = n.a.zeroPoint[0]!;
  const bz = (j: number) => n.b.q.zeroPoint[ch(n.b.q, j)]!;
  const scales = Array.from({ length: Nc }, (_, j) =>
    outputScale(n.a.scale[0]!, n.b.q.scale[ch(n.b.q, j)]!, n.y.scale[0]!),
  );
  // Row by row, so a trace sees the outputs in their order.
  for (let i = 0; i < M; i++)
    for (let j = 0; j < Nc; j++) {
      let acc = n.bias?.[j] ?? 0;
      for (let k = 0; k < K; k++) acc += (v.data[i * K + k]! - az) * (n.b.data[k * Nc + j]! - bz(j));
      const q = { scale: scales[j]!, zeroPoint: n.y.zeroPoint[0]!, signed: n.y.type === 'int8' };
      trace?.(n.name, acc | 0, q);
      out[i * Nc + j] = requantize(BigInt(acc | 0), q);
    }
  return { dims: [...v.dims.slice(0, -1), Nc], data: out, type: n.y.type };
}

function maxPool(v: QValue, n: Extract<QNode, { op: 'MaxPool' }>): QValue {
  const [N, C, H, W] = v.dims as [number, number, number, number];
  const [kh, kw] = n.kernel as [number, number];
  const [sh, sw] = n.strides as [number, number];
  const [pt, pl, pb, pr] = n.pads as [number, number, number, number];
  const E = Math.floor((H + pt + pb - kh) / sh) + 1,
    F = Math.floor((W + pl + pr - kw) / sw) + 1;
  const out = new Float64Array(N * C * E * F);
  for (let b = 0; b < N * C; b++)
    for (let e = 0; e < E; e++)
      for (let f = 0; f < F; f++) {
        let best = -Infinity;
        for (let r = 0; r < kh; r++)
          for (let s = 0; s < kw; s++) {
            const h = e * sh + r - pt,
              w = f * sw + s - pl;
            if (h >= 0 && h < H && w >= 0 && w < W) best = Math.max(best, v.data[(b * H + h) * W + w]!);
          }
        out[(b * E + e) * F + f] = best;
      }
  return { dims: [N, C, E, F], data: out, type: v.type };
}

function reshape(v: QValue, shape: number[]): QValue {
  if (!shape.length) return v; // an identity
  const known = shape.map((d, i) => (d === 0 ? v.dims[i]! : d));
  const rest = size(v.dims) / size(known.filter((d) => d !== -1));
  return { ...v, dims: known.map((d) => (d === -1 ? rest : d)) };
}

/** One node of the graph on its input value. */
export function qStep(v: QValue, n: QNode, trace?: RequantTrace): QValue {
  switch (n.op) {
    case 'QuantizeLinear':
      return quantize(v, n.q);
    case 'DequantizeLinear':
      return dequantize(v, n.q);
    case 'QLinearConv':
      return conv(v, n, trace);
    case 'QLinearMatMul':
      return matmul(v, n, trace);
    case 'MaxPool':
      return maxPool(v, n);
    case 'Flatten':
      return { ...v, dims: [size(v.dims.slice(0, n.axis)), size(v.dims.slice(n.axis))] };
    case 'Reshape':
      return reshape(v, n.shape);
  }
}

/** Runs the graph on an input batch (float, or integers for an 8-bit input); every tensor by name (the input included). */
export function qForward(
  g: QGraph,
  input: ArrayLike<number>,
  batch: number,
  trace?: RequantTrace,
): Map<string, QValue> {
  const values = new Map<string, QValue>();
  values.set(g.input.name, { dims: [batch, ...g.input.dims.slice(1)], data: Float64Array.from(input), type: 'float' });
  for (const n of g.nodes) {
    const v = values.get(n.input);
    if (!v) throw new Error(`node '${n.name}' reads '${n.input}', which no earlier node wrote`);
    values.set(n.output, qStep(v, n, trace));
  }
  return values;
}
