// A QLinearMatMul or QLinearConv node as the GEMM a systolic engine's output
// stage finishes (docs/numerics.md "Requantization"): A holds the node's 8-bit
// input as it is (a convolution's windows in im2col order, padding holding the
// input zero point, so it contributes nothing), B the weights less their zero
// point, and per output column n the stage adds offset[n] = bias[n] - x_zp
// sum_k B[k][n] and scales by fp32(fp32(x_scale w_scale[n]) / y_scale).
// Then sum_k A[i][k] B[k][n] + offset[n] = bias[n] + sum_k (x - x_zp)(w - w_zp),
// the int32 onnxruntime requantizes (modulo 2^32, as both wrap). The weight
// side (B, offsets, scales) is a constant of the model, formed once; the
// activations are moved, never changed. Pure.
import type { GemmProblem } from '../common/gemm.js';
import { outputScale } from '../common/requant.js';
import type { QNode, QParams } from './qonnx.js';
import type { QValue } from './qonnx-forward.js';

export type QLinearNode = Extract<QNode, { op: 'QLinearConv' | 'QLinearMatMul' }>;

export interface QLinearGemm {
  problem: GemmProblem & { requant: NonNullable<GemmProblem['requant']> };
  /** The output tensor's dims. */
  outDims: number[];
  /** The GEMM's result (8-bit values) as the node's output tensor. */
  raise(c: bigint[][]): Float64Array;
}

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const ch = (q: QParams, i: number) => (q.scale.length > 1 ? i : 0);
const wrap32 = (v: number) => v | 0;

/** The weights as B (K x N, less their zero points), the per-column offsets and scales. */
function weightSide(
  n: QLinearNode,
  K: number,
  N: number,
  w: (k: number, j: number) => number,
  bias: (j: number) => number,
) {
  const x = n.op === 'QLinearConv' ? n.x : n.a;
  const wq = n.op === 'QLinearConv' ? n.w.q : n.b.q;
  const b: bigint[][] = Array.from({ length: K }, () => new Array<bigint>(N));
  const offset: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < N; j++) {
    const wz = wq.zeroPoint[ch(wq, j)]!;
    let colSum = 0;
    for (let k = 0; k < K; k++) {
      const v = w(k, j) - wz;
      b[k]![j] = BigInt(v);
      colSum += v;
    }
    offset.push(wrap32(bias(j) - x.zeroPoint[0]! * colSum));
    scale.push(outputScale(x.scale[0]!, wq.scale[ch(wq, j)]!, n.y.scale[0]!));
  }
  const requant = { scale, offset, zeroPoint: n.y.zeroPoint[0]!, output: n.y.type };
  return { b, requant };
}

function matmul(n: Extract<QNode, { op: 'QLinearMatMul' }>, x: QValue): QLinearGemm {
  const [K, N] = n.b.dims as [number, number];
  const M = size(x.dims) / K;
  const a = Array.from({ length: M }, (_, i) => Array.from({ length: K }, (_, k) => BigInt(x.data[i * K + k]!)));
  const { b, requant } = weightSide(
    n,
    K,
    N,
    (k, j) => n.b.data[k * N + j]!,
    (j) => n.bias?.[j] ?? 0,
  );
  return {
    problem: { a, b, requant },
    outDims: [...x.dims.slice(0, -1), N],
    raise: (c) => Float64Array.from(c.flat(), Number),
  };
}

function conv(n: Extract<QNode, { op: 'QLinearConv' }>, x: QValue): QLinearGemm {
  const [B, C, H, W] = x.dims as [number, number, number, number];
  const [M, , R, S] = n.w.dims as [number, number, number, number];
  const [pt, pl, pb, pr] = n.pads as [number, number, number, number];
  const [u, uw] = n.strides as [number, number];
  const E = Math.floor((H + pt + pb - R) / u) + 1,
    F = Math.floor((W + pl + pr - S) / uw) + 1;
  const K = C * R * S;
  const xz = BigInt(n.x.zeroPoint[0]!);
  // im2col: row (b, e, f), column (c, r, s) as the weights are laid out.
  const a: bigint[][] = [];
  for (let bi = 0; bi < B; bi++)
    for (let e = 0; e < E; e++)
      for (let f = 0; f < F; f++) {
        const row = new Array<bigint>(K);
        for (let c = 0; c < C; c++)
          for (let r = 0; r < R; r++)
            for (let s = 0; s < S; s++) {
              const h = e * u + r - pt,
                w = f * uw + s - pl;
              const inside = h >= 0 && h < H && w >= 0 && w < W;
              row[(c * R + r) * S + s] = inside ? BigInt(x.data[((bi * C + c) * H + h) * W + w]!) : xz;
            }
        a.push(row);
      }
  const { b, requant } = weightSide(
    n,
    K,
    M,
    (k, j) => n.w.data[j * K + k]!,
    (j) => n.bias?.[j] ?? 0,
  );
  return {
    problem: { a, b, requant },
    outDims: [B, M, E, F],
    raise: (cm) => {
      const out = new Float64Array(B * M * E * F);
      for (let bi = 0; bi < B; bi++)
        for (let p = 0; p < E * F; p++)
          for (let m = 0; m < M; m++) out[(bi * M + m) * E * F + p] = Number(cm[bi * E * F + p]![m]!);
      return out;
    },
  };
}

/** The weight side of a node: B (K x N, less the zero points), offsets and scales. */
export function qLinearWeights(n: QLinearNode) {
  if (n.op === 'QLinearConv') {
    const N = n.w.dims[0]!,
      K = n.w.data.length / N;
    return {
      K,
      N,
      ...weightSide(
        n,
        K,
        N,
        (k, j) => n.w.data[j * K + k]!,
        (j) => n.bias?.[j] ?? 0,
      ),
    };
  }
  const [K, N] = n.b.dims as [number, number];
  return {
    K,
    N,
    ...weightSide(
      n,
      K,
      N,
      (k, j) => n.b.data[k * N + j]!,
      (j) => n.bias?.[j] ?? 0,
    ),
  };
}

/** The GEMM of a QLinear node on its input tensor. */
export const qLinearGemm = (n: QLinearNode, x: QValue): QLinearGemm =>
  n.op === 'QLinearConv' ? conv(n, x) : matmul(n, x);

/** The value ranges of A and B the node's GEMM needs (a signed dataWidth must hold both). */
export function qLinearOperands(n: QLinearNode): { a: [number, number]; b: [number, number] } {
  const x = n.op === 'QLinearConv' ? n.x : n.a;
  const w = n.op === 'QLinearConv' ? n.w : n.b;
  const perCol =
    n.op === 'QLinearConv'
      ? (i: number) => Math.floor(i / (w.data.length / w.dims[0]!))
      : (i: number) => i % w.dims[1]!;
  let lo = 0,
    hi = 0;
  w.data.forEach((v, i) => {
    const d = v - w.q.zeroPoint[ch(w.q, perCol(i))]!;
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  });
  return { a: x.type === 'int8' ? [-128, 127] : [0, 255], b: [lo, hi] };
}

/** The quantization parameters of a QLinear node, as `model --json` reports them. */
export function qLinearParams(n: QLinearNode) {
  const x = n.op === 'QLinearConv' ? n.x : n.a;
  const w = n.op === 'QLinearConv' ? n.w.q : n.b.q;
  return {
    input: { type: x.type, scale: x.scale[0]!, zeroPoint: x.zeroPoint[0]! },
    weights: {
      type: w.type,
      granularity: w.scale.length > 1 ? ('per-channel' as const) : ('per-tensor' as const),
      scale: w.scale,
      zeroPoint: w.zeroPoint,
    },
    output: { type: n.y.type, scale: n.y.scale[0]!, zeroPoint: n.y.zeroPoint[0]! },
    bias: n.op === 'QLinearConv' && n.bias !== undefined,
  };
}

/** Why a node's operands do not fit signed `dataWidth`-bit values, naming the node and the key; or undefined. */
export function operandRefusal(n: QLinearNode, dataWidth: number, suggest: string): string | undefined {
  const lim = 2 ** (dataWidth - 1);
  const r = qLinearOperands(n);
  const x = n.op === 'QLinearConv' ? n.x : n.a;
  for (const [what, [lo, hi]] of [
    [`its ${x.type} input`, r.a],
    ['its weights less their zero point', r.b],
  ] as const)
    if (lo < -lim || hi > lim - 1)
      return `node '${n.name}' (${n.op}): ${what} span ${lo} .. ${hi}, which config key 'dataWidth' ${dataWidth} (signed ${-lim} .. ${lim - 1}) cannot hold; use dataWidth >= ${Math.ceil(Math.log2(Math.max(hi + 1, -lo))) + 1} (e.g. ${suggest})`;
  return undefined;
}
