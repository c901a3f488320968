// The QDQ cells of the int8 conformance matrix: a single-node QOperator cell
// (int8-cells.ts) rewritten as the QDQ pattern a quantization tool writes:
// DequantizeLinear on the input, the weights and the bias, a float Conv,
// MatMul or Gemm (transB 1 and a bias, as PyTorch exports Linear), and
// QuantizeLinear on the output. onnxruntime fuses each into its QLinear
// kernel (QLinearConv, QLinearMatMul, QGemm); accelforge reads it the same
// way (golden/nn/qdq.ts).
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { Random } from '../../golden/common/random.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
type Tensor = OnnxTypes.ITensorProto;

export type QdqOp = 'Conv' | 'MatMul' | 'Gemm';

const f32s = (t: Tensor) => {
  const r = t.rawData!;
  return Array.from(new Float32Array(r.buffer.slice(r.byteOffset, r.byteOffset + r.byteLength)));
};
const raw = {
  f32: (v: number[]) => new Uint8Array(new Float32Array(v).buffer),
  i32: (v: number[]) => new Uint8Array(new Int32Array(v).buffer),
};

/** The QDQ form of a QLinearConv (op Conv) or QLinearMatMul (op MatMul or Gemm) cell model. */
export function toQdqCell(model: Uint8Array, op: QdqOp, rng: Random): Uint8Array {
  const m = onnx.ModelProto.decode(model);
  const g = m.graph!;
  const q = g.node![0]!;
  const [x, xs, xz, w, ws, wz, ys, yz, bias] = q.input!;
  const inits = new Map((g.initializer ?? []).map((t) => [t.name!, t]));
  const wT = inits.get(w!)!;
  const wScale = inits.get(ws!)!;
  const perChannel = (wScale.dims ?? []).length > 0;
  const axisAttr = (axis: number) =>
    perChannel ? [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: axis }] : [];
  const nodes: OnnxTypes.INodeProto[] = [
    { opType: 'DequantizeLinear', name: 'x.dq', input: [x!, xs!, xz!], output: ['x.f'] },
  ];
  let weight = w!;
  let wAxis = op === 'MatMul' ? 1 : 0;
  if (op === 'Gemm') {
    // B as N x K (transB 1).
    const [K, N] = (wT.dims ?? []).map(Number) as [number, number];
    const t = new Uint8Array(N * K);
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) t[j * K + k] = wT.rawData![k * N + j]!;
    weight = 'w_t';
    g.initializer!.push({ name: weight, dataType: wT.dataType, dims: [N, K], rawData: t });
    wAxis = 0;
  }
  nodes.push({
    opType: 'DequantizeLinear',
    name: 'w.dq',
    input: [weight, ws!, wz!],
    output: ['w.f'],
    attribute: axisAttr(wAxis),
  });
  // The bias: the cell's (Conv) or a new one (Gemm), at scale x_scale * w_scale, zero point 0.
  let biasName = bias;
  if (op === 'Gemm') {
    const n = wT.dims![1] as number;
    biasName = 'bias';
    g.initializer!.push({
      name: biasName,
      dataType: DT.INT32,
      dims: [n],
      rawData: raw.i32(Array.from({ length: n }, () => rng.int(-3000, 3000))),
    });
  }
  const opInputs = ['x.f', 'w.f'];
  if (biasName && op !== 'MatMul') {
    const x0 = f32s(inits.get(xs!)!)[0]!;
    const bs = f32s(wScale).map((v) => Math.fround(x0 * v));
    g.initializer!.push(
      { name: 'bias.s', dataType: DT.FLOAT, dims: wScale.dims, rawData: raw.f32(bs) },
      { name: 'bias.z', dataType: DT.INT32, dims: wScale.dims, rawData: raw.i32(bs.map(() => 0)) },
    );
    nodes.push({
      opType: 'DequantizeLinear',
      name: 'bias.dq',
      input: [biasName, 'bias.s', 'bias.z'],
      output: ['bias.f'],
      attribute: axisAttr(0),
    });
    opInputs.push('bias.f');
  }
  const attribute =
    op === 'Conv'
      ? q.attribute
      : op === 'Gemm'
        ? [{ name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]
        : [];
  nodes.push({ opType: op, name: op.toLowerCase(), input: opInputs, output: ['y.f'], attribute });
  nodes.push({ opType: 'QuantizeLinear', name: 'y.q', input: ['y.f', ys!, yz!], output: [q.output![0]!] });
  g.node = nodes;
  return onnx.ModelProto.encode(m).finish();
}
