// A QLinear node as one convolution of the rs engine with its output stage:
// the input as it is (a matrix's rows as 1 x 1 images of K channels), the
// filters less their zero point, the bias the int32 offsets, per filter the
// float32 scale (the weight side shared with the GEMM form, golden/nn/qlower.ts).
import type { QValue } from '../nn/qonnx-forward.js';
import { qLinearWeights, type QLinearNode } from '../nn/qlower.js';
import type { ConvProblem } from './golden.js';

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);

/**
 * Why a node cannot run as one convolution of a row-stationary engine (one
 * stride and one padding for both axes; padding generated on chip as zeros,
 * so only with input zero point 0), or undefined.
 */
export function convRefusal(n: QLinearNode): string | undefined {
  if (n.op !== 'QLinearConv') return undefined;
  const [pt, pl, pb, pr] = n.pads as [number, number, number, number];
  const [u, uw] = n.strides as [number, number];
  if (pt !== pl || pt !== pb || pt !== pr || u !== uw)
    return `node '${n.name}' (QLinearConv) has pads [${n.pads}] and strides [${n.strides}]; supported: the same on every side and axis`;
  if (pt > 0 && n.x.zeroPoint[0] !== 0)
    return `node '${n.name}' (QLinearConv) pads with input zero point ${n.x.zeroPoint[0]}; the engine pads with zeros (supported: padding 0, or input zero point 0)`;
  return undefined;
}

/**
 * A QLinear node as one convolution with the output stage (rs): the input
 * as it is (a matrix's rows as 1 x 1 images of K channels), the filters less
 * their zero point, the bias the int32 offsets (bias - x_zp sum of the
 * filter), per filter the float32 scale.
 */
export function qLinearConv(
  n: QLinearNode,
  x: QValue,
): { problem: ConvProblem; outDims: number[]; raise(o: bigint[][][][]): Float64Array } {
  const { K, N: M, b, requant: q } = qLinearWeights(n);
  const base = {
    bias: q.offset.map(BigInt),
    relu: false,
    requant: { scale: q.scale, zeroPoint: q.zeroPoint, output: q.output },
  };
  const raise = (o: bigint[][][][]) => Float64Array.from(o.flat(3), Number);
  if (n.op === 'QLinearMatMul') {
    const rows = size(x.dims) / K;
    const ifmap = Array.from({ length: rows }, (_, i) => Array.from({ length: K }, (_, k) => [[x.data[i * K + k]!]]));
    const filters = Array.from({ length: M }, (_, m) => Array.from({ length: K }, (_, k) => [[Number(b[k]![m]!)]]));
    return { problem: { ifmap, filters, stride: 1, padding: 0, ...base }, outDims: [...x.dims.slice(0, -1), M], raise };
  }
  const [B, C, H, W] = x.dims as [number, number, number, number];
  const [, , R, S] = n.w.dims as [number, number, number, number];
  const ifmap = Array.from({ length: B }, (_, b) =>
    Array.from({ length: C }, (_, c) =>
      Array.from({ length: H }, (_, h) => Array.from({ length: W }, (_, w) => x.data[((b * C + c) * H + h) * W + w]!)),
    ),
  );
  const filters = Array.from({ length: M }, (_, m) =>
    Array.from({ length: C }, (_, c) =>
      Array.from({ length: R }, (_, r) => Array.from({ length: S }, (_, s) => Number(b[(c * R + r) * S + s]![m]!))),
    ),
  );
  const U = n.strides[0]!,
    P = n.pads[0]!;
  const outDims = [B, M, Math.floor((H + 2 * P - R) / U) + 1, Math.floor((W + 2 * P - S) / U) + 1];
  return { problem: { ifmap, filters, stride: U, padding: P, ...base }, outDims, raise };
}
