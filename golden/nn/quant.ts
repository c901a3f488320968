// Post-training integer quantization of a chain network (docs/models.md):
//  - the graph becomes compute layers (Conv, Gemm / MatMul [+ Add]) with a
//    following Relu fused, and host operations between them (max / average
//    pooling, flatten, a lone Relu);
//  - symmetric per-layer activation scales calibrated on training images
//    (max |x|), per-output-channel weight scales (max |w|), both to
//    q = min(dataWidth, floor((accWidth - 1 - ceil(log2(K + 1))) / 2)) bits,
//    so that no sum of K products and the bias can wrap the accumulator;
//  - bias at accumulator precision: round(b / (s_in s_w[m]));
//  - requantization on the host side between layers:
//      q = clamp(asr(acc * mult[m] + 2^(shift - 1), shift), -qmax, qmax)
//    with mult[m] / 2^shift = s_in s_w[m] / s_out (mult < 2^31);
//  - the last layer's accumulators are the logits (argmax, no requantization).
import { InputError } from '../common/errors.js';
import { attrInt, attrInts, size, type Graph, type Node, type Tensor } from './graph.js';
import { hostOutDims, planChain, type HostOp } from './chain.js';

import { forwardAll } from './forward.js';
import type { ConvGeom } from '../common/conv-shape.js';

/** The layer's sizes (golden/common/conv-shape.ts). */
export type { ConvGeom };

export interface QLayer {
  name: string;
  /** ONNX node names this layer was made from. */
  nodes: string[];
  op: 'fc' | 'conv';
  /** Input and output shape per image (fc: [K] / [M]; conv: [C, H, W] / [M, E, F]). */
  inDims: number[];
  outDims: number[];
  K: number;
  M: number;
  conv?: ConvGeom;
  /** Integer weights: fc M x K, conv M x C x R x S (row-major). */
  w: Int32Array;
  bias: bigint[];
  relu: boolean;
  /** Bits of the quantized activations and weights (<= dataWidth). */
  bits: number;
  inScale: number;
  wScale: Float64Array;
  /** Scale of the requantized output (the next layer's input); undefined for the last layer. */
  outScale?: number;
  requant?: { mult: bigint[]; shift: number };
  /** Host operations on the requantized output, before the next layer. */
  post: HostOp[];
  /** The float reference's value name at this layer's output (after fused Relu). */
  floatOut: string;
}

export interface QNet {
  name: string;
  /** Per image input dims (e.g. [1, 28, 28]). */
  inDims: number[];
  inputScale: number;
  inputBits: number;
  /** Host operations on the quantized input, before the first layer. */
  pre: HostOp[];
  layers: QLayer[];
}

export interface QuantTarget {
  dataWidth: number;
  accWidth: number;
}

const log2ceil = (n: number) => Math.ceil(Math.log2(Math.max(n, 2)));

/** mult / 2^shift ~ ratio with mult < 2^31 (ratio > 0). */
export function fixedMultiplier(ratio: number, shift = 31): bigint {
  return BigInt(Math.min(Math.round(ratio * 2 ** shift), 2 ** 31 - 1));
}

/** Requantization of one accumulator (documented in docs/models.md). */
export function requant(acc: bigint, mult: bigint, shift: number, qmax: number): number {
  const v = (acc * mult + (1n << BigInt(shift - 1))) >> BigInt(shift);
  const q = v > BigInt(qmax) ? qmax : v < BigInt(-qmax) ? -qmax : Number(v);
  return q;
}

/** A compute node's float weights as M x K (a row per output) and its geometry, checked against its input dims. */
function layerWeights(
  g: Graph,
  n: Node,
  d: number[],
): { op: 'fc' | 'conv'; K: number; M: number; conv?: ConvGeom; wf: Float32Array } {
  const w = g.initializers.get(n.inputs[1]!)!;
  if (n.op === 'Conv') {
    const [Mw, Cw, R, S] = w.dims as [number, number, number, number];
    const [C, H, W] = d as [number, number, number];
    if (Cw !== C)
      throw new InputError(`model '${g.name}': node '${n.name}' (Conv) expects ${Cw} channels; it receives ${C}`);
    const st = attrInts(n, 'strides', [1, 1]),
      pads = attrInts(n, 'pads', [0, 0, 0, 0]);
    if (st[0] !== st[1])
      throw new InputError(
        `model '${g.name}': node '${n.name}' (Conv) has strides [${st}]; accelforge runs equal vertical and horizontal strides`,
      );
    if (pads.some((p) => p !== pads[0]))
      throw new InputError(
        `model '${g.name}': node '${n.name}' (Conv) has pads [${pads}]; accelforge runs the same padding on every side`,
      );
    const U = st[0]!,
      P = pads[0]!;
    const conv = {
      C,
      H,
      W,
      M: Mw,
      R,
      S,
      U,
      P,
      E: Math.floor((H + 2 * P - R) / U) + 1,
      F: Math.floor((W + 2 * P - S) / U) + 1,
    };
    return { op: 'conv', K: C * R * S, M: Mw, conv, wf: w.data };
  }
  const K = size(d);
  const transB = n.op === 'Gemm' && attrInt(n, 'transB', 0) === 1;
  const M = transB ? w.dims[0]! : w.dims[1]!;
  const kw = transB ? w.dims[1]! : w.dims[0]!;
  if (kw !== K)
    throw new InputError(
      `model '${g.name}': node '${n.name}' (${n.op}) expects ${kw} inputs; it receives ${K} (shape [${d}])`,
    );
  const wf = new Float32Array(M * K);
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++) wf[m * K + k] = transB ? w.data[m * K + k]! : w.data[k * M + m]!;
  return { op: 'fc', K, M, wf };
}

/** Per-output-channel symmetric weights: scale max |w| / qmax per row of the M x K matrix. */
function quantizeWeights(
  wf: Float32Array,
  M: number,
  K: number,
  qmax: number,
): { wq: Int32Array; wScale: Float64Array } {
  const wScale = new Float64Array(M);
  const wq = new Int32Array(M * K);
  for (let m = 0; m < M; m++) {
    let mx = 0;
    for (let k = 0; k < K; k++) mx = Math.max(mx, Math.abs(wf[m * K + k]!));
    wScale[m] = (mx || 1) / qmax;
    for (let k = 0; k < K; k++) wq[m * K + k] = Math.round(wf[m * K + k]! / wScale[m]!);
  }
  return { wq, wScale };
}

/** The bias at accumulator precision, round(b / (s_in s_w[m])), clamped to the accumulator. */
function quantizeBias(
  biasT: Tensor | undefined,
  M: number,
  sIn: number,
  wScale: Float64Array,
  accWidth: number,
): bigint[] {
  const accLim = 2 ** (accWidth - 1) - 1;
  return Array.from({ length: M }, (_, m) => {
    const b = biasT ? Math.round(biasT.data[biasT.data.length === 1 ? 0 : m]! / (sIn * wScale[m]!)) : 0;
    return BigInt(Math.max(-accLim, Math.min(accLim, b)));
  });
}

/**
 * Quantizes a chain graph for a design's numerics, calibrated on `calib`
 * (images x input size, float). `bitsCap` bounds the bits (e.g. 8).
 */
export function quantize(g: Graph, t: QuantTarget, calib: Float32Array, calibCount: number): QNet {
  const plan = planChain(g);
  const values = forwardAll(g, calib, calibCount);
  const maxAbs = (name: string) => {
    const d = values.get(name)!.data;
    let m = 0;
    for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(d[i]!));
    return m || 1;
  };
  const bitsFor = (K: number) => {
    const b = Math.min(t.dataWidth, Math.floor((t.accWidth - 1 - log2ceil(K + 1)) / 2));
    if (b < 2)
      throw new InputError(
        `accWidth ${t.accWidth} is too narrow for a sum of ${K} products of ${t.dataWidth}-bit values (needs at least 2-bit operands)`,
      );
    return b;
  };
  const layers: QLayer[] = [];
  // The first layer's K sets the input bits; the input is an activation like any other.
  let inName = g.input.name;
  const inDims = g.input.dims.slice(1);
  let inScale = 0;
  let inBits = 0;
  for (let dims = inDims, i = 0; i < plan.pre.length; i++) dims = hostOutDims(plan.pre[i]!, dims);
  plan.layers.forEach((pl, li) => {
    const n = pl.compute;
    // Input dims of this layer after the host ops before it.
    const hostBefore = li === 0 ? plan.pre : plan.layers[li - 1]!.post;
    let d = li === 0 ? inDims : layers[li - 1]!.outDims;
    for (const h of hostBefore) d = hostOutDims(h, d);
    const { op, K, M, conv, wf } = layerWeights(g, n, d);
    const bits = bitsFor(K);
    const qmax = 2 ** (bits - 1) - 1;
    if (li === 0) {
      inBits = bits;
      inScale = maxAbs(inName) / qmax;
    } else {
      // The previous layer's output is requantized to this layer's bits.
      const prev = layers[li - 1]!;
      prev.outScale = maxAbs(plan.layers[li - 1]!.out) / qmax;
    }
    const sIn = li === 0 ? inScale : layers[li - 1]!.outScale!;
    const { wq, wScale } = quantizeWeights(wf, M, K, qmax);
    const biasT =
      n.op === 'Gemm' || n.op === 'Conv'
        ? n.inputs[2]
          ? g.initializers.get(n.inputs[2])
          : undefined
        : pl.add
          ? g.initializers.get(pl.add.inputs[1]!)
          : undefined;
    const bias = quantizeBias(biasT, M, sIn, wScale, t.accWidth);
    const outDims = op === 'conv' ? [M, conv!.E, conv!.F] : [M];
    layers.push({
      name: n.name,
      nodes: pl.nodes.map((x) => x.name),
      op,
      inDims: d,
      outDims,
      K,
      M,
      conv,
      w: wq,
      bias,
      relu: !!pl.relu,
      bits,
      inScale: sIn,
      wScale,
      post: pl.post,
      floatOut: pl.out,
    });
    inName = pl.out;
  });
  // Requantization factors: s_in s_w[m] / s_out, as mult / 2^shift.
  for (const l of layers) {
    if (l.outScale === undefined) continue;
    const ratios = Array.from(l.wScale, (ws) => (l.inScale * ws) / l.outScale!);
    const maxRatio = Math.max(...ratios);
    const shift = Math.max(1, Math.min(62, 30 - Math.ceil(Math.log2(maxRatio))));
    l.requant = { mult: ratios.map((r) => fixedMultiplier(r, shift)), shift };
  }
  return { name: g.name, inDims: g.input.dims.slice(1), inputScale: inScale, inputBits: inBits, pre: plan.pre, layers };
}

/** Quantizes float input images to the first layer's integers. */
export function quantizeInput(q: QNet, x: Float32Array): Int32Array {
  const qmax = 2 ** (q.inputBits - 1) - 1;
  return Int32Array.from(x, (v) => Math.max(-qmax, Math.min(qmax, Math.round(v / q.inputScale))));
}

/** The float value a layer's output stands for, for checks (acc x s_in x s_w). */
export function dequantAcc(l: QLayer, acc: bigint, m: number): number {
  return Number(acc) * l.inScale * l.wScale[m]!;
}
