// A chain network as the flows run it: compute layers (Conv, Gemm / MatMul
// [+ Add]) with a following Relu fused, and the integer host operations
// between them (max / average pooling, flatten, a lone Relu), shared by the
// golden model and the RTL paths. Refuses, by node, what is not a chain.
import { InputError } from '../common/errors.js';
import { attrInt, attrInts, size, type Graph, type Node } from './graph.js';

export type HostOp =
  | {
      op: 'maxpool' | 'avgpool';
      k: [number, number];
      stride: [number, number];
      pads: [number, number, number, number];
      countPad: boolean;
    }
  | { op: 'flatten' }
  | { op: 'relu' };

function poolOp(n: Node): HostOp {
  const k = attrInts(n, 'kernel_shape', [2, 2]) as [number, number];
  return {
    op: n.op === 'MaxPool' ? 'maxpool' : 'avgpool',
    k,
    stride: attrInts(n, 'strides', k) as [number, number],
    pads: attrInts(n, 'pads', [0, 0, 0, 0]) as [number, number, number, number],
    countPad: attrInt(n, 'count_include_pad', 0) === 1,
  };
}

export interface Plan {
  pre: HostOp[];
  layers: { nodes: Node[]; compute: Node; add?: Node; relu?: Node; post: HostOp[]; out: string }[];
}

/** Splits a chain graph into compute layers and host operations; refuses what the flow cannot run. */
export function planChain(g: Graph): Plan {
  const plan: Plan = { pre: [], layers: [] };
  let cur = g.input.name;
  const ops = g.nodes;
  for (let i = 0; i < ops.length; i++) {
    const n = ops[i]!;
    if (n.inputs[0] !== cur)
      throw new InputError(
        `model '${g.name}': node '${n.name}' (${n.op}) does not read the previous node's output; accelforge runs chain networks (one path from input to output)`,
      );
    const host = plan.layers.length ? plan.layers.at(-1)!.post : plan.pre;
    if (n.op === 'Conv' || n.op === 'Gemm' || n.op === 'MatMul') {
      const layer: Plan['layers'][number] = { nodes: [n], compute: n, post: [], out: n.outputs[0]! };
      let next = ops[i + 1];
      if (
        n.op === 'MatMul' &&
        next?.op === 'Add' &&
        next.inputs[0] === layer.out &&
        g.initializers.has(next.inputs[1]!)
      ) {
        layer.add = next;
        layer.nodes.push(next);
        layer.out = next.outputs[0]!;
        i++;
        next = ops[i + 1];
      }
      if (next?.op === 'Relu' && next.inputs[0] === layer.out) {
        layer.relu = next;
        layer.nodes.push(next);
        layer.out = next.outputs[0]!;
        i++;
      }
      if (!g.initializers.has(n.inputs[1]!))
        throw new InputError(
          `model '${g.name}': node '${n.name}' (${n.op}) multiplies by '${n.inputs[1]}', which is not a constant weight`,
        );
      plan.layers.push(layer);
      cur = layer.out;
      continue;
    }
    if (n.op === 'MaxPool' || n.op === 'AveragePool') host.push(poolOp(n));
    else if (n.op === 'Flatten' || n.op === 'Reshape') host.push({ op: 'flatten' });
    else if (n.op === 'Relu') host.push({ op: 'relu' });
    else
      throw new InputError(
        `model '${g.name}': node '${n.name}' (${n.op}) is not after a Gemm or MatMul; accelforge runs Add only as a bias`,
      );
    if (plan.layers.length) plan.layers.at(-1)!.out = n.outputs[0]!;
    cur = n.outputs[0]!;
  }
  if (!plan.layers.length) throw new InputError(`model '${g.name}' has no Conv, Gemm or MatMul layer to run`);
  if (cur !== g.output) throw new InputError(`model '${g.name}': the output '${g.output}' is not the end of the chain`);
  return plan;
}

/** Integer host operations (data movement, max and rounded mean): shared by golden and RTL paths. */
export function hostOp(op: HostOp, x: Int32Array, dims: number[], batch: number): { x: Int32Array; dims: number[] } {
  if (op.op === 'flatten') return { x, dims: [size(dims)] };
  if (op.op === 'relu') return { x: x.map((v) => (v > 0 ? v : 0)), dims };
  const [C, H, W] = dims as [number, number, number];
  const [kh, kw] = op.k,
    [sh, sw] = op.stride,
    [pt, pl, pb, pr] = op.pads;
  const E = Math.floor((H + pt + pb - kh) / sh) + 1,
    F = Math.floor((W + pl + pr - kw) / sw) + 1;
  const out = new Int32Array(batch * C * E * F);
  for (let b = 0; b < batch * C; b++) {
    for (let e = 0; e < E; e++) {
      for (let f = 0; f < F; f++) {
        let best = -Infinity,
          sum = 0,
          cnt = 0;
        for (let r = 0; r < kh; r++)
          for (let s = 0; s < kw; s++) {
            const h = e * sh + r - pt,
              w = f * sw + s - pl;
            if (h < 0 || h >= H || w < 0 || w >= W) continue;
            const v = x[(b * H + h) * W + w]!;
            if (v > best) best = v;
            sum += v;
            cnt++;
          }
        const n = op.countPad ? kh * kw : cnt;
        // Rounded mean, half away from zero.
        out[(b * E + e) * F + f] =
          op.op === 'maxpool' ? best : Math.sign(sum) * Math.floor((2 * Math.abs(sum) + n) / (2 * n));
      }
    }
  }
  return { x: out, dims: [C, E, F] };
}

export function hostOutDims(op: HostOp, dims: number[]): number[] {
  if (op.op === 'flatten') return [size(dims)];
  if (op.op === 'relu') return dims;
  const [C, H, W] = dims as [number, number, number];
  return [
    C,
    Math.floor((H + op.pads[0] + op.pads[2] - op.k[0]) / op.stride[0]) + 1,
    Math.floor((W + op.pads[1] + op.pads[3] - op.k[1]) / op.stride[1]) + 1,
  ];
}
