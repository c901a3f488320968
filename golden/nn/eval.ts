// Float accuracy of a graph on the MNIST test split.
import { argmaxRows, forward } from './forward.js';
import type { Graph } from './graph.js';
import { gather, loadMnist, splitIds } from './mnist.js';

/** Accuracy of the float graph on the given test ids (default: all 2,000). */
export function floatTestAccuracy(g: Graph, ids = splitIds().test): number {
  const m = loadMnist();
  const pred = argmaxRows(forward(g, gather(ids, m), ids.length).data, ids.length);
  return pred.filter((p, i) => p === m.labels[ids[i]!]).length / ids.length;
}
