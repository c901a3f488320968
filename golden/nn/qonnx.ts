// Standard int8 ONNX models in QOperator form (QuantizeLinear, QLinearConv,
// QLinearMatMul, DequantizeLinear, with MaxPool on 8-bit values, Flatten and
// Reshape between them): decoded into a QGraph whose every quantization
// parameter is checked first. Anything accelforge cannot run exactly is
// refused naming the node, the tensor and what is supported: other types
// (int16, 4-bit, float8), block-wise or non-constant scales, scales that are
// 0, negative or not finite, zero points out of their type's range,
// per-channel lengths that do not match. Bytes in, a QGraph out; the integer
// forward pass is qonnx-forward.ts.
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { InputError } from '../common/errors.js';
import { fuseQdq, isQdq } from './qdq.js';
import { decodeModelProto } from './onnx.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

export type QType = 'int8' | 'uint8';

/** A quantized tensor's parameters: one scale and zero point, or one per channel (axis 0 of a weight, N of a MatMul's B). */
export interface QParams {
  scale: number[];
  zeroPoint: number[];
  type: QType;
}

/** A constant: its values as integers (8-bit types, int32 bias) or floats, with its shape. */
export interface QConst {
  dims: number[];
  data: number[];
  type: QType | 'int32' | 'float' | 'int64';
}

interface Base {
  name: string;
  input: string;
  output: string;
}
export type QNode =
  | (Base & { op: 'QuantizeLinear' | 'DequantizeLinear'; q: QParams })
  | (Base & {
      op: 'QLinearConv';
      x: QParams;
      w: QConst & { q: QParams };
      y: QParams;
      bias?: number[];
      pads: number[];
      strides: number[];
    })
  | (Base & {
      op: 'QLinearMatMul';
      a: QParams;
      b: QConst & { q: QParams };
      y: QParams;
      /** int32 per column: a fused QDQ Gemm's bias (onnxruntime's QGemm); standard QLinearMatMul has none. */
      bias?: number[];
    })
  | (Base & { op: 'MaxPool'; kernel: number[]; strides: number[]; pads: number[] })
  | (Base & { op: 'Flatten'; axis: number })
  | (Base & { op: 'Reshape'; shape: number[] });

export interface QGraph {
  name: string;
  input: { name: string; dims: number[] };
  output: string;
  nodes: QNode[];
}

export const qOperators = [
  'QuantizeLinear',
  'DequantizeLinear',
  'QLinearConv',
  'QLinearMatMul',
  'MaxPool',
  'Flatten',
  'Reshape',
] as const;

const num = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();

const typeNames: Record<number, string> = Object.fromEntries(
  Object.entries(DT as unknown as Record<string, number>).map(([k, v]) => [v, k]),
);

function constOf(t: OnnxTypes.ITensorProto): QConst {
  const dims = (t.dims ?? []).map(num);
  const n = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const dv = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const read = (bytes: number, get: (i: number) => number, field: ArrayLike<unknown> | null | undefined) => {
    if (dv && dv.byteLength !== n * bytes)
      throw new Error(`holds ${dv.byteLength} bytes; its shape [${dims}] needs ${n * bytes}`);
    if (!dv && (field?.length ?? 0) !== n)
      throw new Error(`has ${field?.length ?? 0} values; its shape [${dims}] needs ${n}`);
    return Array.from({ length: n }, (_, i) => (dv ? get(i) : num(field![i])));
  };
  switch (t.dataType) {
    case DT.INT8:
      return { dims, type: 'int8', data: read(1, (i) => dv!.getInt8(i), t.int32Data) };
    case DT.UINT8:
      return { dims, type: 'uint8', data: read(1, (i) => dv!.getUint8(i), t.int32Data) };
    case DT.INT32:
      return { dims, type: 'int32', data: read(4, (i) => dv!.getInt32(4 * i, true), t.int32Data) };
    case DT.INT64:
      return { dims, type: 'int64', data: read(8, (i) => Number(dv!.getBigInt64(8 * i, true)), t.int64Data) };
    case DT.FLOAT:
      return { dims, type: 'float', data: read(4, (i) => dv!.getFloat32(4 * i, true), t.floatData) };
    default:
      throw new Error(
        `has type ${typeNames[t.dataType ?? 0] ?? t.dataType}; supported: INT8, UINT8 (values), INT32 (bias), FLOAT (scales)`,
      );
  }
}

/** Reads a node's constant inputs, refusing by node and tensor. */
class NodeReader {
  constructor(
    readonly where: string,
    readonly n: OnnxTypes.INodeProto,
    readonly name: string,
    private readonly inits: Map<string, OnnxTypes.ITensorProto>,
  ) {}

  refuse(what: string): never {
    throw new InputError(`'${this.where}': node '${this.name}' (${this.n.opType}) ${what}`);
  }

  const(i: number, role: string): QConst {
    const tname = this.n.input?.[i] ?? '';
    const t = this.inits.get(tname);
    if (!t) this.refuse(`reads its ${role} '${tname}' from another node; supported: a constant (initializer)`);
    try {
      return constOf(t);
    } catch (e) {
      return this.refuse(`tensor '${tname}' (${role}) ${(e as Error).message}`);
    }
  }

  /** Scale (input i) and zero point (input i + 1) of a tensor with `channels` channels allowed. */
  params(i: number, role: string, channels = 1): QParams {
    const s = this.const(i, `${role} scale`);
    const zpName = this.n.input?.[i + 1];
    const z = zpName ? this.const(i + 1, `${role} zero point`) : undefined;
    const sname = this.n.input?.[i] ?? '';
    if (s.type !== 'float') this.refuse(`tensor '${sname}' (${role} scale) is ${s.type}; supported: FLOAT`);
    if (s.dims.length > 1 || (s.data.length !== 1 && s.data.length !== channels))
      this.refuse(
        `tensor '${sname}' (${role} scale) has shape [${s.dims}]; supported: one value${channels > 1 ? ` or ${channels} (one per channel)` : ''} (block-wise scales are not)`,
      );
    for (const v of s.data)
      if (!Number.isFinite(v) || v <= 0)
        this.refuse(`tensor '${sname}' (${role} scale) holds ${v}; supported: positive finite scales`);
    const type: QType = z?.type === 'int8' ? 'int8' : 'uint8';
    if (z && z.type !== 'int8' && z.type !== 'uint8')
      this.refuse(`tensor '${zpName}' (${role} zero point) is ${z.type}; supported: INT8, UINT8`);
    if (z && z.dims.length > 1)
      this.refuse(`tensor '${zpName}' (${role} zero point) has shape [${z.dims}]; supported: the shape of its scale`);
    const zp = z ? z.data : [0];
    if (zp.length !== s.data.length)
      this.refuse(`tensor '${zpName}' (${role} zero point) has ${zp.length} values; its scale has ${s.data.length}`);
    return { scale: s.data, zeroPoint: zp, type };
  }

  /** The 8-bit constant weights (input 3) of the given rank. */
  weights(role: string, rank: number, shape: string): QConst {
    const w = this.const(3, role);
    const name = this.n.input?.[3];
    if (w.type !== 'int8' && w.type !== 'uint8') this.refuse(`${role} '${name}' is ${w.type}; supported: INT8, UINT8`);
    if (w.dims.length !== rank) this.refuse(`${role} '${name}' has shape [${w.dims}]; supported: ${shape}`);
    return w;
  }

  /** The optional int32 bias (input 8), one value per output channel. */
  bias(channels: number): QConst | undefined {
    const name = this.n.input?.[8];
    const bias = name ? this.const(8, 'bias') : undefined;
    if (bias && (bias.type !== 'int32' || bias.data.length !== channels))
      this.refuse(`bias '${name}' must be INT32 with ${channels} values (it is ${bias.type}, ${bias.data.length})`);
    return bias;
  }

  ints(key: string, dflt: number[]): number[] {
    const a = (this.n.attribute ?? []).find((x) => x.name === key);
    return a ? (a.ints ?? []).map(num) : dflt;
  }

  int(key: string, dflt: number): number {
    const a = (this.n.attribute ?? []).find((x) => x.name === key);
    return a ? num(a.i) : dflt;
  }
}

function decodeNode(r: NodeReader): QNode {
  const n = r.n;
  const base = { name: r.name, input: n.input?.[0] ?? '', output: n.output?.[0] ?? '' };
  switch (n.opType) {
    case 'QuantizeLinear':
    case 'DequantizeLinear': {
      if (r.ints('block_size', [0])[0] !== 0 || r.int('block_size', 0) !== 0)
        r.refuse('uses block-wise quantization; supported: per tensor');
      return { ...base, op: n.opType, q: r.params(1, n.opType === 'QuantizeLinear' ? 'output' : 'input') };
    }
    case 'QLinearConv': {
      const w = r.weights('weight', 4, 'M x C x R x S');
      if (r.int('group', 1) !== 1) r.refuse(`has group = ${r.int('group', 1)}; supported: 1`);
      if (r.ints('dilations', [1, 1]).some((d) => d !== 1)) r.refuse('has dilations; supported: 1');
      const bias = r.bias(w.dims[0]!);
      return {
        ...base,
        op: 'QLinearConv',
        x: r.params(1, 'input'),
        w: { ...w, q: r.params(4, 'weight', w.dims[0]) },
        y: r.params(6, 'output'),
        bias: bias?.data,
        pads: r.ints('pads', [0, 0, 0, 0]),
        strides: r.ints('strides', [1, 1]),
      };
    }
    case 'QLinearMatMul': {
      const b = r.weights('B', 2, 'K x N');
      const bias = r.bias(b.dims[1]!);
      return {
        ...base,
        op: 'QLinearMatMul',
        a: r.params(1, 'A'),
        b: { ...b, q: r.params(4, 'B', b.dims[1]) },
        y: r.params(6, 'output'),
        ...(bias ? { bias: bias.data } : {}),
      };
    }
    case 'MaxPool':
      return {
        ...base,
        op: 'MaxPool',
        kernel: r.ints('kernel_shape', [1, 1]),
        strides: r.ints('strides', [1, 1]),
        pads: r.ints('pads', [0, 0, 0, 0]),
      };
    case 'Flatten':
      return { ...base, op: 'Flatten', axis: r.int('axis', 1) };
    case 'Reshape':
      return { ...base, op: 'Reshape', shape: r.const(1, 'shape').data };
    case 'Identity': // a fused QDQ Relu the output range implies (qdq.ts)
      return { ...base, op: 'Reshape', shape: [] };
    default:
      return r.refuse(`is not supported in a quantized model; supported: ${qOperators.join(', ')}`);
  }
}

/** Whether a model is quantized: QOperator (any QLinear node) or QDQ (a compute node fed by DequantizeLinear). */
export function isQuantizedModel(bytes: Uint8Array): boolean {
  try {
    const nodes = onnx.ModelProto.decode(bytes).graph?.node ?? [];
    return nodes.some((n) => n.opType?.startsWith('QLinear')) || isQdq(nodes);
  } catch {
    return false;
  }
}

/** The form of a quantized model: QDQ (DequantizeLinear/QuantizeLinear pairs) or QOperator. */
export function quantizedFormat(bytes: Uint8Array): 'qdq' | 'qoperator' {
  return isQdq(onnx.ModelProto.decode(bytes).graph?.node ?? []) ? 'qdq' : 'qoperator';
}

/** Decodes a QOperator model: a single float input, a single output, the nodes in order. */
export function decodeQOnnx(bytes: Uint8Array, where: string): QGraph {
  const g = decodeModelProto(bytes, where).graph;
  if (!g?.node?.length) throw new InputError(`'${where}' holds no ONNX graph (no nodes)`);
  const inits = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
  // A QDQ graph is read as onnxruntime runs it: fused into QOperator nodes first.
  const list = isQdq(g.node) ? fuseQdq(where, g.node, inits) : g.node;
  const nodes = list.map((n, i) => decodeNode(new NodeReader(where, n, n.name || `node${i}`, inits)));
  const inputs = (g.input ?? []).filter((v) => !inits.has(v.name ?? ''));
  if (inputs.length !== 1 || (g.output ?? []).length < 1)
    throw new InputError(`'${where}': the graph has ${inputs.length} inputs besides its constants; supported: one`);
  const dims = (inputs[0]!.type?.tensorType?.shape?.dim ?? []).map((d) => num(d.dimValue));
  return {
    name: g.name || 'model',
    input: { name: inputs[0]!.name ?? 'input', dims },
    output: g.output![0]!.name ?? '',
    nodes,
  };
}
