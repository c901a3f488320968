// A trained Net as a Graph (ONNX-ready: Gemm with transB = 1, Conv, Relu,
// MaxPool, Flatten) and back (to retrain an imported model during compression).
import { InputError } from '../common/errors.js';
import { AvgPool2, Conv, Dense, Flatten, MaxPool2, Relu, type Layer } from './layers.js';
import { attrInt, attrInts, tensor, type Graph, type Node, type Tensor } from './graph.js';
import type { Net } from './train.js';

/** The network as a Graph (ONNX-ready): Gemm transB = 1, Conv, Relu, MaxPool 2x2, Flatten. */
export function netToGraph(net: Net): Graph {
  const nodes: Node[] = [];
  const initializers = new Map<string, Tensor>();
  let cur = 'input';
  net.layers.forEach((l, i) => {
    const out = i === net.layers.length - 1 ? 'logits' : `t${i}`;
    const name = l instanceof Dense || l instanceof Conv ? l.weight.name.replace(/\.weight$/, '') : `${l.kind}${i}`;
    if (l instanceof Dense || l instanceof Conv) {
      initializers.set(l.weight.name, tensor(l.weight.dims, l.weight.w));
      initializers.set(l.bias.name, tensor(l.bias.dims, l.bias.w));
      if (l instanceof Dense)
        nodes.push({
          op: 'Gemm',
          name,
          inputs: [cur, l.weight.name, l.bias.name],
          outputs: [out],
          attrs: { transB: 1 },
        });
      else
        nodes.push({
          op: 'Conv',
          name,
          inputs: [cur, l.weight.name, l.bias.name],
          outputs: [out],
          attrs: { kernel_shape: [l.k, l.k], strides: [1, 1], pads: [l.pad, l.pad, l.pad, l.pad] },
        });
    } else if (l instanceof Relu) nodes.push({ op: 'Relu', name, inputs: [cur], outputs: [out], attrs: {} });
    else if (l instanceof MaxPool2)
      nodes.push({
        op: 'MaxPool',
        name,
        inputs: [cur],
        outputs: [out],
        attrs: { kernel_shape: [2, 2], strides: [2, 2] },
      });
    else if (l instanceof AvgPool2)
      nodes.push({
        op: 'AveragePool',
        name,
        inputs: [cur],
        outputs: [out],
        attrs: { kernel_shape: [2, 2], strides: [2, 2] },
      });
    else nodes.push({ op: 'Flatten', name, inputs: [cur], outputs: [out], attrs: { axis: 1 } });
    cur = out;
  });
  return { name: net.name, input: { name: 'input', dims: [-1, ...net.inShape] }, output: cur, nodes, initializers };
}

/**
 * A trainable network from a chain Graph (for retraining a user's model
 * during compression): Gemm (transB = 1 or MatMul + Add), stride-1 square
 * Conv, Relu, 2x2 MaxPool, Flatten / Reshape to a vector.
 */
export function graphToNet(g: Graph): Net {
  const layers: Layer[] = [];
  const init = (n: string) => g.initializers.get(n);
  const inShape = g.input.dims.slice(1);
  for (let i = 0; i < g.nodes.length; i++) {
    const n = g.nodes[i]!;
    const where = `node '${n.name}' (${n.op})`;
    if (n.op === 'Gemm' || n.op === 'MatMul') {
      const w = init(n.inputs[1]!);
      if (!w)
        throw new InputError(`${where}: its weight is not an initializer; only constant weights can be retrained`);
      const transB = n.op === 'Gemm' && attrInt(n, 'transB', 0) === 1;
      const [outF, inF] = transB ? (w.dims as [number, number]) : [w.dims[1]!, w.dims[0]!];
      const d = new Dense(inF, outF, n.name);
      for (let o = 0; o < outF; o++)
        for (let k = 0; k < inF; k++) d.weight.w[o * inF + k] = transB ? w.data[o * inF + k]! : w.data[k * outF + o]!;
      let bias = n.op === 'Gemm' && n.inputs[2] ? init(n.inputs[2]) : undefined;
      const next = g.nodes[i + 1];
      if (!bias && next?.op === 'Add' && next.inputs[0] === n.outputs[0]) {
        bias = init(next.inputs[1]!);
        i++;
      }
      if (bias) d.bias.w.set(bias.data);
      layers.push(d);
    } else if (n.op === 'Conv') {
      const w = init(n.inputs[1]!);
      if (!w) throw new InputError(`${where}: its weight is not an initializer`);
      const [M, C, R, S] = w.dims as [number, number, number, number];
      const st = attrInts(n, 'strides', [1, 1]),
        pads = attrInts(n, 'pads', [0, 0, 0, 0]);
      if (R !== S || st.some((v) => v !== 1) || pads.some((v) => v !== pads[0]))
        throw new InputError(`${where}: retraining supports square, stride-1, evenly padded convolutions`);
      const c = new Conv(C, M, R, n.name, pads[0]);
      c.weight.w.set(w.data);
      if (n.inputs[2]) c.bias.w.set(init(n.inputs[2])!.data);
      layers.push(c);
    } else if (n.op === 'Relu') layers.push(new Relu());
    else if (n.op === 'MaxPool') {
      if (
        attrInts(n, 'kernel_shape', [2, 2]).some((v) => v !== 2) ||
        attrInts(n, 'strides', [2, 2]).some((v) => v !== 2)
      )
        throw new InputError(`${where}: retraining supports 2x2 max pooling with stride 2`);
      layers.push(new MaxPool2());
    } else if (n.op === 'AveragePool') {
      if (
        attrInts(n, 'kernel_shape', [2, 2]).some((v) => v !== 2) ||
        attrInts(n, 'strides', [2, 2]).some((v) => v !== 2) ||
        attrInts(n, 'pads', [0, 0, 0, 0]).some((v) => v !== 0)
      )
        throw new InputError(`${where}: retraining supports 2x2 average pooling with stride 2`);
      layers.push(new AvgPool2());
    } else if (n.op === 'Flatten' || n.op === 'Reshape') layers.push(new Flatten());
    else throw new InputError(`${where}: retraining does not support this operator`);
  }
  return { name: g.name, inShape, layers };
}
