// onnxruntime as the referee of an int8 model: the model's every quantized
// tensor made a graph output (so each layer can be compared, not only the
// last), run by onnxruntime-node in its default session (graph optimization
// level 'all': QDQ groups are fused into QLinearConv / QLinearMatMul kernels,
// QOperator nodes run as they are). onnxruntime-node is loaded only here.
import onnxProto from 'onnx-proto';
import { ToolMissingError } from '../../golden/common/errors.js';
import type { QGraph } from '../../golden/nn/qonnx.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

/** The 8-bit type of every node output of the graph (float outputs left out). */
export function quantizedTensors(g: QGraph): Map<string, 'int8' | 'uint8'> {
  const types = new Map<string, 'int8' | 'uint8' | 'float'>([[g.input.name, 'float']]);
  for (const n of g.nodes) {
    const inT = types.get(n.input) ?? 'float';
    const t =
      n.op === 'QuantizeLinear'
        ? n.q.type
        : n.op === 'DequantizeLinear'
          ? 'float'
          : n.op === 'QLinearConv' || n.op === 'QLinearMatMul'
            ? n.y.type
            : inT;
    types.set(n.output, t);
  }
  const out = new Map<string, 'int8' | 'uint8'>();
  for (const [k, v] of types) if (v !== 'float') out.set(k, v);
  return out;
}

/** The model with the named tensors added as graph outputs (those the file has and does not output already). */
export function withOutputs(
  bytes: Uint8Array,
  tensors: Map<string, 'int8' | 'uint8'>,
): { bytes: Uint8Array; names: string[] } {
  const m = onnx.ModelProto.decode(bytes);
  const graph = m.graph!;
  graph.output ??= [];
  const produced = new Set((graph.node ?? []).flatMap((n) => n.output ?? []));
  const already = new Set(graph.output.map((o) => o.name));
  const names: string[] = [];
  for (const [name, t] of tensors) {
    if (!produced.has(name)) continue;
    names.push(name);
    if (already.has(name)) continue;
    graph.output.push(
      onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: t === 'int8' ? DT.INT8 : DT.UINT8 } } }),
    );
  }
  return { bytes: onnx.ModelProto.encode(m).finish(), names };
}

/** A session on the model with its quantized tensors as outputs; run() answers every one of them and the model's output. */
export async function ortReferee(bytes: Uint8Array, g: QGraph) {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (e) {
    throw new ToolMissingError('onnxruntime-node (the referee of int8 models)', 'npm install onnxruntime-node@1.30.0', {
      cause: e,
    });
  }
  const { bytes: exposed, names } = withOutputs(bytes, quantizedTensors(g));
  // Warnings (initializers QDQ fusion leaves unused) would interleave with the CLI output.
  const session = await ort.InferenceSession.create(exposed, { logSeverityLevel: 3 });
  return {
    names,
    settings: {
      runtime: `onnxruntime-node ${ort.env.versions.common}`,
      graphOptimizationLevel: 'all (default)',
      executionProvider: 'cpu',
    },
    async run(x: Float32Array, batch: number): Promise<Map<string, Float64Array>> {
      const r = await session.run({ [g.input.name]: new ort.Tensor('float32', x, [batch, ...g.input.dims.slice(1)]) });
      const out = [...names, g.output].map((n) => [n, Float64Array.from(r[n]!.data as ArrayLike<number>)] as const);
      return new Map(out);
    },
  };
}
