// Small trained networks for tests: the built-in architectures trained for
// one short epoch (seconds), so the suite never waits for a full training.
import { encodeOnnx } from '../../golden/nn/onnx.js';
import { initNet, makeNet, trainNet, type BuiltinModel, type Net } from '../../golden/nn/train.js';
import { netToGraph } from '../../golden/nn/net-graph.js';
import { AvgPool2, Dense, Flatten, Relu } from '../../golden/nn/layers.js';
import { loadMnist, splitIds } from '../../golden/nn/mnist.js';
import type { Graph } from '../../golden/nn/graph.js';

const cache = new Map<BuiltinModel, Graph>();

export function quickNet(name: BuiltinModel): Graph {
  let g = cache.get(name);
  if (!g) {
    const m = loadMnist();
    const net = makeNet(name);
    initNet(net, 3);
    trainNet(
      net,
      m.pixels,
      m.labels,
      splitIds().train.filter((_, i) => i % 4 === 0),
      { epochs: 1, lr: 2e-3, seed: 3, shift: 0 },
    );
    g = netToGraph(net);
    cache.set(name, g);
  }
  return g;
}

export const quickOnnx = (name: BuiltinModel) => encodeOnnx(quickNet(name), `quick ${name} for tests`);

/** A small FC network for EIE on 4 PEs: 2x2 average pooling (host side), 196-32-10. */
export function tinyFc(): Graph {
  const net: Net = {
    name: 'tiny-fc',
    inShape: [1, 28, 28],
    layers: [new AvgPool2(), new Flatten(), new Dense(196, 32, 'fc1'), new Relu(), new Dense(32, 10, 'fc2')],
  };
  initNet(net, 5);
  const m = loadMnist();
  trainNet(net, m.pixels, m.labels, splitIds().train, { epochs: 2, lr: 2e-3, seed: 5, shift: 0 });
  return netToGraph(net);
}

/**
 * A small array with an output stage for int8 networks in npm test (shared by
 * the engine and model tests, so one build serves both): 9-bit operands hold
 * uint8 activations, either dataflow per run.
 */
export const int8TestConfig = {
  rows: 3,
  cols: 5,
  dataWidth: 9,
  accWidth: 32,
  quantDepth: 10,
  aDepth: 1024,
  bDepth: 1024,
  accDepth: 1024,
  dataflow: 'both',
} as const;
