// Post-training quantization written as a standard QOperator (or QDQ) ONNX
// model (what `accelforge quantize` writes and onnxruntime loads): activations
// uint8 or int8 with scales and zero points from the ranges the float model
// reaches on calibration images (training images only), weights int8
// symmetric per output channel (or per tensor), bias int32 at the input scale
// times the weight scale. A ReLU is the output range starting at zero: the
// zero point is the type's lowest value, so requantization's clamp is the
// ReLU (docs/numerics.md). Conv layers become QLinearConv; a fully connected
// layer becomes a 1 x 1 QLinearConv (standard ONNX has no QLinear op with a
// bias for it), the activations reshaped to N x K x 1 x 1. Pure: a Graph and
// calibration images in, ONNX bytes out.
import onnxProto from 'onnx-proto';
import { InputError } from '../common/errors.js';
import { roundHalfEven } from '../common/requant.js';
import { forwardAll } from './forward.js';
import type { Graph, Node } from './graph.js';
import type { QType } from './qonnx.js';
import { qoperatorToQdq } from './qdq.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const INTS = onnx.AttributeProto.AttributeType.INTS;
const f32 = Math.fround;

export interface QuantizeOptions {
  perChannel: boolean;
  activations: QType;
  /** QOperator nodes (default), or the QDQ form: float ops between DequantizeLinear and QuantizeLinear (qdq.ts). */
  format?: 'qoperator' | 'qdq';
}

interface Act {
  scale: number;
  zp: number;
}

/** Scale and zero point covering [min, max] (and 0) in the activation type. */
function actParams(min: number, max: number, type: QType): Act {
  const lo = Math.min(0, min),
    hi = Math.max(0, max);
  const scale = f32(hi > lo ? (hi - lo) / 255 : 1);
  const qmin = type === 'int8' ? -128 : 0;
  const zp = Math.min(qmin + 255, Math.max(qmin, roundHalfEven(qmin - lo / scale)));
  return { scale, zp };
}

const bytesOf = {
  f32: (v: number[]) => new Uint8Array(new Float32Array(v).buffer),
  i8: (v: number[]) => new Uint8Array(new Int8Array(v).buffer),
  u8: (v: number[]) => new Uint8Array(v),
  i32: (v: number[]) => new Uint8Array(new Int32Array(v).buffer),
  i64: (v: number[]) => new Uint8Array(new BigInt64Array(v.map(BigInt)).buffer),
};

/** The layers the exporter reads: Conv or Gemm (each with its ReLU, if any), MaxPool, Flatten. */
function layersOf(g: Graph): { node: Node; relu?: Node }[] {
  const out: { node: Node; relu?: Node }[] = [];
  for (let i = 0; i < g.nodes.length; i++) {
    const n = g.nodes[i]!;
    if (!['Conv', 'Gemm', 'MaxPool', 'Flatten'].includes(n.op))
      throw new InputError(
        `'${g.name}': node '${n.name}' (${n.op}) cannot be written as a QOperator layer; quantize takes Conv and Gemm (with ReLU), MaxPool and Flatten`,
      );
    if (n.op === 'Gemm' && (n.attrs.transB ?? 0) !== 1)
      throw new InputError(`'${g.name}': node '${n.name}' (Gemm) needs transB = 1 (weights as N x K)`);
    const next = g.nodes[i + 1];
    if ((n.op === 'Conv' || n.op === 'Gemm') && next?.op === 'Relu') out.push({ node: n, relu: g.nodes[++i]! });
    else out.push({ node: n });
  }
  return out;
}

/** The initializers and nodes of the model being written. */
class Builder {
  readonly inits: object[] = [];
  readonly nodes: object[] = [];
  readonly tensors: string[] = [];
  readonly act: number;
  private readonly actBytes: (v: number[]) => Uint8Array;

  constructor(readonly o: QuantizeOptions) {
    this.act = o.activations === 'int8' ? DT.INT8 : DT.UINT8;
    this.actBytes = o.activations === 'int8' ? bytesOf.i8 : bytesOf.u8;
  }

  add(name: string, type: number, dims: number[], raw: Uint8Array): string {
    this.inits.push({ name, dataType: type, dims, rawData: raw });
    return name;
  }

  params(name: string, a: Act): string[] {
    return [
      this.add(`${name}.scale`, DT.FLOAT, [], bytesOf.f32([a.scale])),
      this.add(`${name}.zero_point`, this.act, [], this.actBytes([a.zp])),
    ];
  }
}

/** A Conv or Gemm layer (its ReLU in the output range) as a QLinearConv. */
function computeLayer(b: Builder, g: Graph, n: Node, input: string, x: Act, out: string, y: Act): void {
  const w = g.initializers.get(n.inputs[1]!)!,
    bias = g.initializers.get(n.inputs[2]!);
  const M = w.dims[0]!,
    per = w.data.length / M,
    pc = b.o.perChannel;
  const wScale = Array.from({ length: pc ? M : 1 }, (_, m) => {
    let mx = 0;
    for (let i = 0; i < (pc ? per : w.data.length); i++) mx = Math.max(mx, Math.abs(w.data[(pc ? m * per : 0) + i]!));
    return f32(mx > 0 ? mx / 127 : 1);
  });
  const ws = (m: number) => wScale[pc ? m : 0]!;
  const wq = Array.from(w.data, (v, i) =>
    Math.max(-127, Math.min(127, roundHalfEven(f32(v / ws(Math.floor(i / per)))))),
  );
  const bq = Array.from({ length: M }, (_, m) => roundHalfEven((bias?.data[m] ?? 0) / f32(x.scale * ws(m))));
  const attribute = ['kernel_shape', 'strides', 'pads']
    .filter((k) => n.op === 'Conv' && n.attrs[k] !== undefined)
    .map((k) => ({ name: k, type: INTS, ints: n.attrs[k] as number[] }));
  b.nodes.push({
    opType: 'QLinearConv',
    name: n.name,
    input: [
      input,
      ...b.params(`${n.name}.x`, x),
      b.add(`${n.name}.weight_q`, DT.INT8, n.op === 'Conv' ? w.dims : [M, w.dims[1]!, 1, 1], bytesOf.i8(wq)),
      b.add(`${n.name}.weight_scale`, DT.FLOAT, pc ? [M] : [], bytesOf.f32(wScale)),
      b.add(`${n.name}.weight_zero_point`, DT.INT8, pc ? [M] : [], bytesOf.i8(wScale.map(() => 0))),
      ...b.params(`${n.name}.y`, y),
      b.add(`${n.name}.bias_q`, DT.INT32, [M], bytesOf.i32(bq)),
    ],
    output: [out],
    attribute,
  });
}

/** MaxPool on 8-bit values, or Flatten as the reshape to N x K x 1 x 1 the 1 x 1 convolutions read. */
function dataLayer(b: Builder, n: Node, input: string, out: string): void {
  if (n.op === 'Flatten') {
    const shape = b.add(`${out}.shape`, DT.INT64, [4], bytesOf.i64([0, -1, 1, 1]));
    b.nodes.push({ opType: 'Reshape', name: n.name, input: [input, shape], output: [out] });
    return;
  }
  const attribute = ['kernel_shape', 'strides', 'pads']
    .filter((k) => n.attrs[k] !== undefined)
    .map((k) => ({ name: k, type: INTS, ints: n.attrs[k] as number[] }));
  b.nodes.push({ opType: 'MaxPool', name: n.name, input: [input], output: [out], attribute });
}

function valueInfo(name: string, type: number, dims?: (number | string)[]) {
  const shape = dims
    ? { shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } }
    : {};
  return { name, type: { tensorType: { elemType: type, ...shape } } };
}

/** The quantized model as ONNX bytes; `intermediates` also makes every quantized tensor a graph output. */
export function quantizeToQOperator(
  g: Graph,
  calibration: Float32Array,
  batch: number,
  o: QuantizeOptions,
  intermediates = false,
): { bytes: Uint8Array; tensors: string[] } {
  const values = forwardAll(g, calibration, batch);
  const range = (name: string): Act => {
    let lo = Infinity,
      hi = -Infinity;
    for (const v of values.get(name)!.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return actParams(lo, hi, o.activations);
  };
  const b = new Builder(o);
  let cur = 'input.q';
  let curAct = range(g.input.name);
  b.nodes.push({
    opType: 'QuantizeLinear',
    name: 'quantize',
    input: [g.input.name, ...b.params(cur, curAct)],
    output: [cur],
  });
  b.tensors.push(cur);
  let flat = false; // after a Flatten: fully connected layers run as 1 x 1 convolutions on N x K x 1 x 1
  for (const { node: n, relu } of layersOf(g)) {
    const fout = relu ? relu.outputs[0]! : n.outputs[0]!; // the float tensor (its range)
    const out = `${fout}.q`;
    if (n.op === 'MaxPool' || n.op === 'Flatten') {
      dataLayer(b, n, cur, out);
      flat ||= n.op === 'Flatten';
    } else {
      if (!flat && n.op === 'Gemm') throw new InputError(`'${g.name}': node '${n.name}' (Gemm) before any Flatten`);
      const y = range(fout);
      computeLayer(b, g, n, cur, curAct, out, y);
      curAct = y;
    }
    cur = out;
    b.tensors.push(cur);
  }
  const shape = b.add('output.shape', DT.INT64, [2], bytesOf.i64([0, -1]));
  b.nodes.push({ opType: 'Reshape', name: 'output_reshape', input: [cur, shape], output: ['output.q'] });
  b.nodes.push({
    opType: 'DequantizeLinear',
    name: 'dequantize',
    input: ['output.q', ...b.params('output.dq', curAct)],
    output: [g.output],
  });
  b.tensors.push('output.q');
  const nodes = o.format === 'qdq' ? qoperatorToQdq(b.nodes, b.inits) : b.nodes;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'accelforge',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: `${g.name}-int8`,
      node: nodes,
      initializer: b.inits,
      input: [valueInfo(g.input.name, DT.FLOAT, ['N', ...g.input.dims.slice(1)])],
      output: [valueInfo(g.output, DT.FLOAT), ...(intermediates ? b.tensors.map((t) => valueInfo(t, b.act)) : [])],
    },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), tensors: b.tensors };
}
