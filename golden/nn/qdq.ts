// The QDQ form of a quantized model, both ways. Writing: each QLinearConv
// of a QOperator node list becomes DequantizeLinear on its input, weight and
// bias, a float Conv, and QuantizeLinear on its output; MaxPool, Reshape and Flatten
// on 8-bit tensors get the same pair around them. Reading: the reverse
// fusion, which is what onnxruntime does to such a graph at its default
// optimization level (QDQ Conv, MatMul and Gemm into QLinear kernels, the
// pairs around MaxPool and Reshape dropped), so the integer semantics are
// those of the QOperator form. A QDQ pattern whose fusion would not be exact
// is refused naming the node: a bias whose scale is not the input scale
// times the weight scale, a pair around a data op whose scales differ, a
// Relu the output range does not already imply.
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { InputError } from '../common/errors.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
type NodeProto = OnnxTypes.INodeProto;
type TensorProto = OnnxTypes.ITensorProto;

const f32 = Math.fround;
const floatsOf = (t: TensorProto) => {
  const r = t.rawData!;
  return Array.from(new Float32Array(r.buffer.slice(r.byteOffset, r.byteOffset + r.byteLength)));
};

/** QOperator nodes (as qexport.ts writes them) rewritten in QDQ form; new initializers appended to `inits`. */
export function qoperatorToQdq(nodes: NodeProto[], inits: TensorProto[]): NodeProto[] {
  const byName = new Map(inits.map((t) => [t.name!, t]));
  const params = new Map<string, string[]>(); // an 8-bit tensor -> its scale and zero point
  const out: NodeProto[] = [];
  const dq = (q: string) => ({
    opType: 'DequantizeLinear',
    name: `${q}.dequantize`,
    input: [q, ...params.get(q)!],
    output: [`${q}.dq`],
  });
  const axis0 = [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }];
  for (const n of nodes) {
    const [x, xs, xz, w, ws, wz, ys, yz, bias] = n.input!;
    if (n.opType === 'QuantizeLinear') {
      params.set(n.output![0]!, [xs!, xz!]);
      out.push(n);
    } else if (n.opType === 'QLinearConv') {
      params.set(n.output![0]!, [ys!, yz!]);
      const wsT = byName.get(ws!)!;
      const perChannel = (wsT.dims ?? []).length > 0;
      const x0 = floatsOf(byName.get(xs!)!)[0]!;
      const bScale = floatsOf(wsT).map((v) => f32(x0 * v));
      inits.push({
        name: `${bias}.scale`,
        dataType: DT.FLOAT,
        dims: wsT.dims,
        rawData: new Uint8Array(new Float32Array(bScale).buffer),
      });
      inits.push({
        name: `${bias}.zero_point`,
        dataType: DT.INT32,
        dims: wsT.dims,
        rawData: new Uint8Array(new Int32Array(bScale.length).buffer),
      });
      const at = perChannel ? axis0 : [];
      out.push(dq(x!));
      out.push({
        opType: 'DequantizeLinear',
        name: `${w}.dequantize`,
        input: [w!, ws!, wz!],
        output: [`${w}.dq`],
        attribute: at,
      });
      out.push({
        opType: 'DequantizeLinear',
        name: `${bias}.dequantize`,
        input: [bias!, `${bias}.scale`, `${bias}.zero_point`],
        output: [`${bias}.dq`],
        attribute: at,
      });
      out.push({
        opType: 'Conv',
        name: n.name,
        input: [`${x}.dq`, `${w}.dq`, `${bias}.dq`],
        output: [`${n.output![0]}.f`],
        attribute: n.attribute,
      });
      out.push({
        opType: 'QuantizeLinear',
        name: `${n.name}.quantize`,
        input: [`${n.output![0]}.f`, ys!, yz!],
        output: [n.output![0]!],
      });
    } else if (n.opType === 'MaxPool' || n.opType === 'Reshape' || n.opType === 'Flatten') {
      const p = params.get(x!)!;
      params.set(n.output![0]!, p);
      out.push(dq(x!));
      out.push({ ...n, input: [`${x}.dq`, ...n.input!.slice(1)], output: [`${n.output![0]}.f`] });
      out.push({
        opType: 'QuantizeLinear',
        name: `${n.name}.quantize`,
        input: [`${n.output![0]}.f`, ...p],
        output: [n.output![0]!],
      });
    } else out.push(n);
  }
  return out;
}

const same = (a: TensorProto | undefined, b: TensorProto | undefined) =>
  !!a && !!b && a.dataType === b.dataType && Buffer.from(a.rawData ?? []).equals(Buffer.from(b.rawData ?? []));

/** Whether a graph is in QDQ form: a float compute node fed by DequantizeLinear. */
export function isQdq(nodes: NodeProto[]): boolean {
  const dqOut = new Set(nodes.filter((n) => n.opType === 'DequantizeLinear').map((n) => n.output![0]));
  return nodes.some((n) => ['Conv', 'MatMul', 'Gemm'].includes(n.opType ?? '') && dqOut.has(n.input![0]));
}

/** QDQ nodes fused into QOperator nodes (the reading side); refuses, by node, what would not be exact. */
export function fuseQdq(where: string, nodes: NodeProto[], inits: Map<string, TensorProto>): NodeProto[] {
  const dqOf = new Map(nodes.filter((n) => n.opType === 'DequantizeLinear').map((n) => [n.output![0]!, n]));
  const qOf = new Map(nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => [n.input![0]!, n]));
  const refuse = (n: NodeProto, what: string): never => {
    throw new InputError(`'${where}': node '${n.name}' (${n.opType}) ${what}`);
  };
  const consumed = new Set<NodeProto>();
  const fused = new Map<NodeProto, NodeProto>();
  const cx: Fusion = { dqOf, inits, refuse, consumed };
  const ops = ['Conv', 'MatMul', 'Gemm', 'MaxPool', 'Reshape', 'Flatten', 'Relu'];
  for (const n of nodes.filter((m) => ops.includes(m.opType ?? ''))) {
    const dx = dqOf.get(n.input![0]!);
    const q = qOf.get(n.output![0]!);
    if (!dx || !q)
      refuse(n, 'is not between DequantizeLinear and QuantizeLinear; a quantized model runs only quantized layers');
    consumed.add(dx!).add(q!);
    fused.set(n, fuseOne(n, dx!, q!, cx));
  }
  // In order: each op replaced by its fused node, the pairs it absorbed dropped.
  return nodes.flatMap((n) => (fused.has(n) ? [fused.get(n)!] : consumed.has(n) ? [] : [n]));
}

/** What a fusion reads and records: the DequantizeLinear nodes by output, the constants, the pairs absorbed. */
interface Fusion {
  dqOf: Map<string, NodeProto>;
  inits: Map<string, TensorProto>;
  refuse: (n: NodeProto, what: string) => never;
  consumed: Set<NodeProto>;
}

/** One op between its DequantizeLinear and QuantizeLinear, as the QOperator node onnxruntime fuses it into. */
function fuseOne(n: NodeProto, dx: NodeProto, q: NodeProto, cx: Fusion): NodeProto {
  const { inits } = cx;
  const op = n.opType ?? '';
  if (op === 'Conv' || op === 'MatMul' || op === 'Gemm') return fuseCompute(n, dx, q, cx);
  if (
    !same(inits.get(dx.input![1]!), inits.get(q.input![1]!)) ||
    !same(inits.get(dx.input![2]!), inits.get(q.input![2]!))
  )
    cx.refuse(
      n,
      `has a QuantizeLinear after it ('${q.name}') with another scale or zero point than its input's; supported: the same (the op then runs on the 8-bit values exactly)`,
    );
  if (op === 'Relu') {
    const zp = inits.get(dx.input![2]!);
    const lowest = zp?.dataType === DT.INT8 ? -128 : 0;
    if ((zp?.rawData?.[0] ?? 0) !== (lowest & 0xff))
      cx.refuse(
        n,
        `has an input zero point above its type's lowest value; supported: a ReLU the output range already implies (zero point ${lowest})`,
      );
    // The clamp at the lowest value already did it: an identity on the 8-bit values.
    return { opType: 'Identity', name: n.name, input: [dx.input![0]!], output: [q.output![0]!] };
  }
  return { ...n, input: [dx.input![0]!, ...n.input!.slice(1)], output: [q.output![0]!] };
}

function fuseCompute(n: NodeProto, dx: NodeProto, q: NodeProto, cx: Fusion): NodeProto {
  const { dqOf, inits, consumed } = cx;
  const dw = dqOf.get(n.input![1]!);
  if (!dw || !inits.has(dw.input![0]!))
    cx.refuse(n, `reads weights '${n.input![1]}' that are not DequantizeLinear of a constant`);
  consumed.add(dw);
  const inputs = [
    dx.input![0]!,
    dx.input![1]!,
    dx.input![2] ?? '',
    dw.input![0]!,
    dw.input![1]!,
    dw.input![2] ?? '',
    q.input![1]!,
    q.input![2] ?? '',
  ];
  const biasName = n.input![2];
  if (biasName) {
    const db = dqOf.get(biasName);
    if (!db || !inits.has(db.input![0]!))
      cx.refuse(n, `reads bias '${biasName}' that is not DequantizeLinear of an INT32 constant`);
    consumed.add(db);
    const xs = floatsOf(inits.get(dx.input![1]!)!)[0]!;
    const ws = floatsOf(inits.get(dw.input![1]!)!);
    const bs = floatsOf(inits.get(db.input![1]!)!);
    if (bs.length !== ws.length || bs.some((v, i) => v !== f32(xs * ws[i]!)))
      cx.refuse(
        n,
        `has bias scale '${db.input![1]}' that is not the input scale times the weight scale; supported: that product (the bias then adds to the int32 sum exactly)`,
      );
    inputs.push(db.input![0]!);
  }
  if (n.opType === 'Conv')
    return { opType: 'QLinearConv', name: n.name, input: inputs, output: [q.output![0]!], attribute: n.attribute };
  if (n.opType === 'Gemm') gemmAsMatMul(n, dw, inputs, cx);
  else matmulWeights(n, dw, cx, 1);
  // MatMul (onnxruntime: QLinearMatMul) and Gemm (its QGemm: the same sum with the int32 bias added
  // before requantizing, output scale fp32(fp32(alpha a_scale w_scale) / y_scale) with alpha 1).
  return { opType: 'QLinearMatMul', name: n.name, input: inputs, output: [q.output![0]!] };
}

const attr = (n: NodeProto, key: string, dflt: number) => {
  const a = (n.attribute ?? []).find((x) => x.name === key);
  return a ? (a.type === onnx.AttributeProto.AttributeType.FLOAT ? (a.f ?? 0) : Number(a.i ?? 0)) : dflt;
};

/** A per-channel weight scale must run along N: `axis` of the weight's DequantizeLinear. */
function matmulWeights(n: NodeProto, dw: NodeProto, cx: Fusion, nAxis: number) {
  const scale = cx.inits.get(dw.input![1]!);
  const perChannel = (scale?.dims ?? []).some((d) => Number(d) > 1);
  const axis = attr(dw, 'axis', 1);
  const rank = (cx.inits.get(dw.input![0]!)?.dims ?? []).length;
  if (perChannel && axis !== nAxis && axis !== nAxis - rank)
    cx.refuse(
      n,
      `has weight scales per channel along axis ${axis} of '${dw.input![0]}'; supported: per tensor, or per output column (axis ${nAxis})`,
    );
}

/**
 * A QDQ Gemm as onnxruntime fuses it (QGemm): transA 0, alpha 1, beta 1; a
 * transposed B (transB 1, as PyTorch exports Linear) becomes a K x N constant.
 */
function gemmAsMatMul(n: NodeProto, dw: NodeProto, inputs: string[], cx: Fusion) {
  for (const [key, want] of [
    ['transA', 0],
    ['alpha', 1],
    ['beta', 1],
  ] as const)
    if (attr(n, key, key === 'transA' ? 0 : 1) !== want)
      cx.refuse(n, `has ${key} = ${attr(n, key, 0)}; supported: ${key} ${want} (as onnxruntime's QGemm fuses exactly)`);
  const transB = attr(n, 'transB', 0);
  matmulWeights(n, dw, cx, transB ? 0 : 1);
  if (!transB) return;
  const w = cx.inits.get(dw.input![0]!)!;
  const [N, K] = (w.dims ?? []).map(Number) as [number, number];
  const raw = w.rawData ?? new Uint8Array();
  if (raw.length !== N * K)
    cx.refuse(
      n,
      `reads weights '${dw.input![0]}' not stored as N x K raw 8-bit data; supported: raw_data (as exporters write)`,
    );
  const t = new Uint8Array(N * K);
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) t[k * N + j] = raw[j * K + k]!;
  const name = `${dw.input![0]}.transposed`;
  cx.inits.set(name, { name, dataType: w.dataType, dims: [K, N], rawData: t });
  inputs[3] = name;
}
