// The network jobs a worker thread runs (scripts/nn/worker.ts starts it):
// training a built-in model and compressing a graph. They are synchronous
// loops of minutes; in a worker the main thread stays free to answer
// SIGINT / SIGTERM (release the cache lock, exit 130) and to keep that lock
// fresh. Progress lines come back as messages.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../../golden/common/errors.js';
import { encodeOnnx } from '../../golden/nn/onnx.js';
import { netToGraph } from '../../golden/nn/net-graph.js';
import type { BuiltinModel } from '../../golden/nn/train.js';
import type { CompressRecipe } from '../../golden/nn/compress.js';
import type { Graph } from '../../golden/nn/graph.js';
import { recipes, trainBuiltin, type TrainSplit } from './zoo.js';
import { compressGraph } from './compressed.js';

export type NnJob =
  | { kind: 'train'; name: BuiltinModel; split: TrainSplit }
  | {
      kind: 'compress';
      graph: Graph;
      model: string;
      recipe: CompressRecipe;
      options?: { test?: boolean; bitsTable?: number[] };
    };

const log = (line: string) => parentPort!.postMessage({ log: line });
const job = workerData as NnJob;
try {
  if (job.kind === 'train') {
    const t = trainBuiltin(job.name, log, job.split);
    const on = job.split === 'fit' ? 'the 7,000 fit images (validation held out)' : 'the 8,000 training images';
    const doc = `accelforge ${job.name}, recipe ${JSON.stringify(recipes[job.name])}, trained on ${on}; float test accuracy ${(100 * t.accuracy).toFixed(2)} % on the 2,000 MNIST test images; trained in ${t.seconds.toFixed(0)} s`;
    const onnx = encodeOnnx(netToGraph(t.net), doc);
    parentPort!.postMessage({ result: { onnx, seconds: t.seconds, accuracy: t.accuracy } });
  } else {
    parentPort!.postMessage({ result: compressGraph(job.graph, job.model, job.recipe, log, job.options) });
  }
} catch (e) {
  // Sent by hand: a class (InputError: exit 2) does not survive the thread boundary.
  parentPort!.postMessage({
    error: { input: e instanceof InputError, message: (e as Error).message, stack: (e as Error).stack },
  });
}
