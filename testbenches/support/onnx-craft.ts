// Crafted ONNX models for the import tests (issue 32): a built-in
// architecture (untrained weights) as a protobuf object, changed by a test,
// encoded again; and small setters for initializers and attributes.
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { encodeOnnx } from '../../golden/nn/onnx.js';
import { initNet, makeNet } from '../../golden/nn/train.js';
import { netToGraph } from '../../golden/nn/net-graph.js';
import type { Graph } from '../../golden/nn/graph.js';

export type ModelProto = OnnxTypes.ModelProto;
export type NodeProto = OnnxTypes.INodeProto;
export type TensorProto = OnnxTypes.ITensorProto;

export const { onnx } = onnxProto;
export const graphs = Object.fromEntries(
  (['lenet-300-100', 'lenet-5'] as const).map((name) => {
    const net = makeNet(name);
    initNet(net, 3);
    return [name, netToGraph(net)];
  }),
) as Record<'lenet-300-100' | 'lenet-5', Graph>;

/** The model as a protobuf object, changed by `edit`, encoded again. */
export function crafted(name: keyof typeof graphs, edit: (m: ModelProto) => void): Uint8Array {
  const m = onnx.ModelProto.decode(encodeOnnx(graphs[name]));
  edit(m);
  return onnx.ModelProto.encode(m).finish();
}
export const init = (m: ModelProto, name: string) => m.graph!.initializer!.find((t) => t.name === name)!;
export const node = (m: ModelProto, op: string, i = 0) => m.graph!.node!.filter((n) => n.opType === op)[i]!;
export const setInts = (n: NodeProto, name: string, ints: number[]) => {
  const a = n.attribute!.find((x) => x.name === name);
  if (a) a.ints = ints;
  else n.attribute!.push({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
};
export const setFloat = (n: NodeProto, name: string, f: number) =>
  n.attribute!.push({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });
// rawData is a Node Buffer (slice() would be a view of the whole message): copy it.
export const floats = (t: TensorProto) => new Float32Array(new Uint8Array(t.rawData!).buffer);
export const setFloats = (t: TensorProto, v: Float32Array) => (t.rawData = new Uint8Array(v.buffer));
