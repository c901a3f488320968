// ONNX in and out, through the onnx-proto binding (protobufjs). Reading
// refuses, by name, anything accelforge cannot run: an operator outside
// supportedOps (with the node's name), grouped or dilated convolutions, a
// missing initializer, more than one input or output, a truncated or
// non-ONNX file. Bytes in, a Graph out: reading the file is scripts/nn/onnx-file.ts.
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS: its namespace comes in as the default export under Node's ESM.
const { onnx } = onnxProto;
import { InputError } from '../common/errors.js';
import { checkDims, checkFinite, checkGraph } from './check-graph.js';
import { supportedOps, type AttrValue, type Graph, type Node, type OpType, type Tensor } from './graph.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const INT32 = onnx.TensorProto.DataType.INT32;

// Integers arrive as numbers or as protobufjs Longs (the 'long' package's type, not installed: unknown here).
const num = (v: unknown): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();

function tensorOf(t: OnnxTypes.ITensorProto, where: string): Tensor {
  const dims = (t.dims ?? []).map(num);
  checkDims(dims, `'${where}': initializer '${t.name}'`);
  const n = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const dv = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const need = (bytes: number, values?: ArrayLike<unknown> | null) => {
    if (dv && dv.byteLength !== n * bytes)
      throw new InputError(
        `'${where}': initializer '${t.name}' holds ${dv.byteLength} bytes; its shape [${dims}] needs ${n * bytes}`,
      );
    if (!dv && (values?.length ?? 0) !== n)
      throw new InputError(
        `'${where}': initializer '${t.name}' has ${values?.length ?? 0} values; its shape [${dims}] needs ${n}`,
      );
  };
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
    throw new InputError(
      `'${where}': initializer '${t.name}' is stored in an external file; save the model with the weights inside`,
    );
  const out = new Float32Array(n);
  switch (t.dataType) {
    case FLOAT:
      need(4, t.floatData);
      for (let i = 0; i < n; i++) out[i] = dv ? dv.getFloat32(4 * i, true) : (t.floatData?.[i] ?? 0);
      break;
    case DOUBLE:
      need(8, t.doubleData);
      for (let i = 0; i < n; i++) out[i] = dv ? dv.getFloat64(8 * i, true) : (t.doubleData?.[i] ?? 0);
      break;
    case INT64:
      need(8, t.int64Data);
      for (let i = 0; i < n; i++) out[i] = dv ? Number(dv.getBigInt64(8 * i, true)) : num(t.int64Data?.[i]);
      break;
    case INT32:
      need(4, t.int32Data);
      for (let i = 0; i < n; i++) out[i] = dv ? dv.getInt32(4 * i, true) : (t.int32Data?.[i] ?? 0);
      break;
    default:
      throw new InputError(
        `'${where}': initializer '${t.name}' has ONNX data type ${t.dataType}; supported: FLOAT, DOUBLE, INT64, INT32`,
      );
  }
  const tensor = { dims, data: out };
  checkFinite(tensor, `'${where}': initializer '${t.name}'`);
  return tensor;
}

function attrOf(a: OnnxTypes.IAttributeProto): AttrValue {
  switch (a.type) {
    case onnx.AttributeProto.AttributeType.INT:
      return num(a.i);
    case onnx.AttributeProto.AttributeType.INTS:
      return (a.ints ?? []).map(num);
    case onnx.AttributeProto.AttributeType.FLOAT:
      return a.f ?? 0;
    case onnx.AttributeProto.AttributeType.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    default:
      return 0;
  }
}

/** Refuses node attributes accelforge cannot run (grouped or dilated convolutions, auto_pad, ceil_mode). */
function checkAttrs(where: string, name: string, op: string, attrs: Record<string, AttrValue>): void {
  const refuse = (what: string) => {
    throw new InputError(`'${where}': node '${name}' (${op}) ${what}`);
  };
  if (op === 'Conv') {
    if (((attrs.group as number | undefined) ?? 1) !== 1) refuse(`has group = ${attrs.group}; supported: group = 1`);
    if (Array.isArray(attrs.dilations) && attrs.dilations.some((d) => d !== 1))
      refuse(`has dilations [${attrs.dilations}]; supported: 1`);
  }
  if (['Conv', 'MaxPool', 'AveragePool'].includes(op) && attrs.auto_pad && attrs.auto_pad !== 'NOTSET')
    refuse(`uses auto_pad ${attrs.auto_pad}; export with explicit pads`);
  if ((op === 'MaxPool' || op === 'AveragePool') && attrInt0(attrs.ceil_mode) !== 0)
    refuse('has ceil_mode = 1; supported: 0');
}

/** One ONNX node as a Node; constants go to the initializers, inference no-ops become aliases. */
function decodeNode(n: OnnxTypes.INodeProto, i: number, where: string, inits: Map<string, Tensor>): Node | undefined {
  const name = n.name || `node${i}`;
  const op = n.opType ?? '';
  const attrs: Record<string, AttrValue> = {};
  for (const a of n.attribute ?? []) attrs[a.name ?? ''] = attrOf(a);
  if (op === 'Constant') {
    // A constant is data, not compute (PyTorch exports Reshape shapes this way).
    const v = (n.attribute ?? []).find((a) => a.name === 'value')?.t;
    if (!v) throw new InputError(`'${where}': Constant node '${name}' has no tensor value`);
    inits.set(n.output?.[0] ?? '', tensorOf(v, where));
    return undefined;
  }
  if (op === 'Identity' || (op === 'Dropout' && (n.output?.length ?? 0) <= 1)) {
    // Inference no-ops: alias the output to the input.
    inits.set(`${name}::shape`, { dims: [1], data: Float32Array.of(-1) });
    return { op: 'Reshape', name, inputs: [n.input![0]!, `${name}::shape`], outputs: [n.output![0]!], attrs: {} };
  }
  if (!(supportedOps as readonly string[]).includes(op)) {
    throw new InputError(
      `'${where}': node '${name}' uses operator '${op}', which accelforge does not support; supported: ${supportedOps.join(', ')}`,
    );
  }
  checkAttrs(where, name, op, attrs);
  return {
    op: op as OpType,
    name,
    inputs: (n.input ?? []).filter((x) => x !== ''),
    outputs: [...(n.output ?? [])],
    attrs,
  };
}

/** The one real input (with a batch dimension and fixed sizes after it) and the one output. */
function graphIo(
  g: OnnxTypes.IGraphProto,
  where: string,
  inits: Map<string, Tensor>,
): { input: Graph['input']; output: string } {
  const realInputs = (g.input ?? []).filter((v) => !inits.has(v.name ?? ''));
  if (realInputs.length !== 1)
    throw new InputError(
      `'${where}': the graph has ${realInputs.length} inputs besides its weights; accelforge runs single-input networks`,
    );
  if ((g.output ?? []).length !== 1)
    throw new InputError(
      `'${where}': the graph has ${(g.output ?? []).length} outputs; accelforge runs single-output networks`,
    );
  const inp = realInputs[0]!;
  const dims = (inp.type?.tensorType?.shape?.dim ?? []).map((d, i) =>
    d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) > 0 ? num(d.dimValue) : i === 0 ? -1 : 0,
  );
  if (dims.length < 2 || dims.slice(1).some((d) => d <= 0)) {
    throw new InputError(
      `'${where}': input '${inp.name}' has shape [${dims.map((d) => (d < 0 ? 'N' : d))}]; accelforge needs a batch dimension and fixed sizes after it`,
    );
  }
  return { input: { name: inp.name ?? 'input', dims }, output: g.output![0]!.name ?? '' };
}

/** Every input of every node exists when the node runs, and some node produces the output. */
function checkDataflow(graph: Graph, where: string): void {
  const known = new Set<string>([graph.input.name, ...graph.initializers.keys()]);
  for (const n of graph.nodes) {
    for (const x of n.inputs) {
      if (!known.has(x))
        throw new InputError(
          `'${where}': node '${n.name}' (${n.op}) reads '${x}', which is neither an initializer nor an earlier node's output (missing initializer?)`,
        );
    }
    n.outputs.forEach((o) => known.add(o));
  }
  if (!known.has(graph.output))
    throw new InputError(`'${where}': the graph output '${graph.output}' is not produced by any node`);
}

/** The protobuf of an ONNX file; InputError naming the file when it is not one. */
export function decodeModelProto(bytes: Uint8Array, where: string): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new InputError(`'${where}' is not a valid ONNX file (${(e as Error).message}); it may be truncated`);
  }
}

/**
 * Decodes and checks a model. `task` runs first on the decoded graph (its
 * input and output named), before the node-by-node checks: a model for
 * another input is refused for its input, not for the first node it breaks.
 */
export function decodeOnnx(bytes: Uint8Array, where: string, task?: (g: Graph) => void): Graph {
  const g = decodeModelProto(bytes, where).graph;
  if (!g || !g.node || g.node.length === 0)
    throw new InputError(`'${where}' holds no ONNX graph (no nodes); is it an ONNX model?`);
  const inits = new Map<string, Tensor>();
  for (const t of g.initializer ?? []) inits.set(t.name ?? '', tensorOf(t, where));
  const nodes = g.node.flatMap((n, i) => decodeNode(n, i, where, inits) ?? []);
  const graph: Graph = { name: g.name || 'model', ...graphIo(g, where, inits), nodes, initializers: inits };
  checkDataflow(graph, where);
  task?.(graph);
  checkGraph(graph, where);
  return graph;
}

const attrInt0 = (v: AttrValue | undefined) => (typeof v === 'number' ? v : 0);

function attrProto(name: string, v: AttrValue): OnnxTypes.IAttributeProto {
  if (typeof v === 'string')
    return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
  if (Number.isInteger(v) && name !== 'alpha' && name !== 'beta')
    return { name, type: onnx.AttributeProto.AttributeType.INT, i: v };
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v };
}

/** Encodes a Graph as an ONNX model (opset 13, weights as raw little-endian float32; Reshape shapes as int64). */
export function encodeOnnx(g: Graph, doc = ''): Uint8Array {
  const shapeNames = new Set(g.nodes.filter((n) => n.op === 'Reshape').map((n) => n.inputs[1]!));
  const initializer: OnnxTypes.ITensorProto[] = [...g.initializers].map(([name, t]) => {
    if (shapeNames.has(name)) {
      const raw = new Uint8Array(8 * t.data.length);
      const dv = new DataView(raw.buffer);
      t.data.forEach((v, i) => dv.setBigInt64(8 * i, BigInt(Math.round(v)), true));
      return { name, dims: t.dims, dataType: INT64, rawData: raw };
    }
    return {
      name,
      dims: t.dims,
      dataType: FLOAT,
      rawData: new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength)),
    };
  });
  const valueInfo = (name: string, dims: number[]): OnnxTypes.IValueInfoProto => ({
    name,
    type: {
      tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (d < 0 ? { dimParam: 'N' } : { dimValue: d })) } },
    },
  });
  const model: OnnxTypes.IModelProto = {
    irVersion: 8,
    producerName: 'accelforge',
    producerVersion: '0.1.0',
    docString: doc,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: g.name,
      node: g.nodes.map((n) => ({
        name: n.name,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([k, v]) => attrProto(k, v)),
      })),
      initializer,
      input: [valueInfo(g.input.name, g.input.dims)],
      // The output's shape is left to the consumer (only its element type is fixed).
      output: [{ name: g.output, type: { tensorType: { elemType: FLOAT } } }],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
