// Small trained networks for tests: the built-in architectures trained for
// one short epoch (seconds), so the suite never waits for a full training.
import { encodeOnnx } from '../nn/onnx.js';
import { initNet, makeNet, netToGraph, trainNet, type BuiltinModel } from '../nn/train.js';
import { loadMnist, splitIds } from '../nn/mnist.js';
import type { Graph } from '../nn/graph.js';

const cache = new Map<BuiltinModel, Graph>();

export function quickNet(name: BuiltinModel): Graph {
  let g = cache.get(name);
  if (!g) {
    const m = loadMnist();
    const net = makeNet(name);
    initNet(net, 3);
    trainNet(net, m.pixels, m.labels, splitIds().train.filter((_, i) => i % 4 === 0), { epochs: 1, lr: 2e-3, seed: 3, shift: 0 });
    g = netToGraph(net);
    cache.set(name, g);
  }
  return g;
}

export const quickOnnx = (name: BuiltinModel) => encodeOnnx(quickNet(name), `quick ${name} for tests`);
