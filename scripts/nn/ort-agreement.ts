// Our float forward pass against onnxruntime (an independent runtime) on
// MNIST test images: the largest absolute difference of any output. Used by
// the tests and the benchmark; onnxruntime-node is a development dependency,
// so it is loaded only when this runs.
import { forward } from '../../golden/nn/forward.js';
import { gather } from '../../golden/nn/mnist.js';
import type { Graph } from '../../golden/nn/graph.js';

export async function ortMaxAbsDiff(bytes: Uint8Array, g: Graph, ids: number[], chunk = 500): Promise<number> {
  const ort = await import('onnxruntime-node');
  const sess = await ort.InferenceSession.create(bytes);
  let diff = 0;
  for (let s = 0; s < ids.length; s += chunk) {
    const part = ids.slice(s, s + chunk),
      x = gather(part);
    const ours = forward(g, x, part.length).data;
    const out = await sess.run({
      [g.input.name]: new ort.Tensor('float32', x, [part.length, ...g.input.dims.slice(1)]),
    });
    const theirs = out[g.output]!.data as Float32Array;
    if (theirs.length !== ours.length)
      throw new Error(`onnxruntime gave ${theirs.length} outputs; ours ${ours.length}`);
    for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(ours[i]! - theirs[i]!));
  }
  return diff;
}
