// Built-in models: LeNet-300-100 and LeNet-5, trained on first use from the
// MNIST training split with a fixed recipe (deterministic), then cached as
// ONNX in .accelforge/models (ACCELFORGE_MODELS overrides). The cache key
// is a hash of the recipe and of the trainer's source, so a change to
// either trains again. A model argument that is not a built-in name is an
// ONNX file.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockRemovedOnSignal } from '../../testbenches/common/lock.js';
import { onSignalCleanup } from '../../testbenches/common/cleanup.js';
import { runNnJob } from './worker.js';
import { InputError } from '../../golden/common/errors.js';
import { mkdirp } from '../../testbenches/common/fs.js';
import { readOnnx } from './onnx-file.js';
import { checkMnistClassifier, checkMnistInput } from '../../golden/nn/check-graph.js';
import {
  builtinModels,
  initNet,
  makeNet,
  netForward,
  trainNet,
  type BuiltinModel,
  type Net,
} from '../../golden/nn/train.js';
import { gather, loadMnist, splitIds } from '../../golden/nn/mnist.js';
import { compressSplit } from '../../golden/nn/splits.js';
import { argmaxRows } from '../../golden/nn/forward.js';
import type { Graph } from '../../golden/nn/graph.js';
import { repoRoot } from '../../golden/common/repo.js';

export interface Recipe {
  epochs: number;
  lr: number;
  batch: number;
  shift: number;
  decayEvery: number;
  seed: number;
}

/** The training recipes of the built-in models (documented in docs/models.md). */
export const recipes: Record<BuiltinModel, Recipe> = {
  'lenet-300-100': { epochs: 20, lr: 1e-3, batch: 32, shift: 1, decayEvery: 6, seed: 1 },
  'lenet-5': { epochs: 30, lr: 2e-3, batch: 64, shift: 2, decayEvery: 8, seed: 1 },
};

export const isBuiltin = (name: string): name is BuiltinModel => (builtinModels as readonly string[]).includes(name);

export function modelCacheDir(): string {
  return resolve(process.env.ACCELFORGE_MODELS ?? join(repoRoot, '.accelforge/models'));
}

/**
 * What a built-in model trains on: 'train' (all 8,000 training images: the
 * model `model` runs) or 'fit' (the 7,000 outside the validation set of
 * golden/nn/splits.ts: the baseline Deep Compression starts from, so its
 * validation images are never trained on).
 */
export type TrainSplit = 'train' | 'fit';

const splitFiles: Record<TrainSplit, string[]> = { train: [], fit: ['golden/nn/splits.ts'] };

/** Cache key: recipe, split and the trainer's own source (a change retrains). */
function recipeKey(name: BuiltinModel, split: TrainSplit): string {
  // The 'train' key hashes what it always did, so existing caches stay valid.
  const h = createHash('sha256').update(
    JSON.stringify(split === 'train' ? { name, recipe: recipes[name] } : { name, recipe: recipes[name], split }),
  );
  for (const f of [
    'golden/nn/train.ts',
    'golden/nn/net-graph.ts',
    'golden/nn/layers.ts',
    'golden/nn/mnist.ts',
    ...splitFiles[split],
  ])
    h.update(readFileSync(join(repoRoot, f)));
  return h.digest('hex').slice(0, 12);
}

export const trainIds = (split: TrainSplit, count = loadMnist().count) =>
  split === 'fit' ? compressSplit(count).fit : splitIds(count).train;

/** Float test accuracy of a trained network on the 2,000 test images. */
export function netTestAccuracy(net: Net): number {
  const { test } = splitIds();
  const m = loadMnist();
  const pred = argmaxRows(netForward(net, gather(test, m), test.length), test.length);
  return pred.filter((p, i) => p === m.labels[test[i]!]).length / test.length;
}

/** Trains a built-in model with its recipe (minutes; deterministic). */
export function trainBuiltin(
  name: BuiltinModel,
  log?: (l: string) => void,
  split: TrainSplit = 'train',
): { net: Net; seconds: number; accuracy: number } {
  const r = recipes[name];
  const m = loadMnist();
  const net = makeNet(name);
  initNet(net, r.seed);
  const t0 = performance.now();
  trainNet(net, m.pixels, m.labels, trainIds(split, m.count), {
    epochs: r.epochs,
    lr: r.lr,
    batch: r.batch,
    shift: r.shift,
    decayEvery: r.decayEvery,
    seed: r.seed,
    log,
  });
  return { net, seconds: (performance.now() - t0) / 1000, accuracy: netTestAccuracy(net) };
}

/**
 * The path of a built-in model's ONNX file, training it first when the
 * cache lacks it. Parallel callers share one training (a lock per key).
 */
export async function builtinModelPath(
  name: BuiltinModel,
  log?: (l: string) => void,
  split: TrainSplit = 'train',
): Promise<string> {
  const dir = modelCacheDir();
  const path = join(dir, `${name}${split === 'fit' ? '-fit' : ''}-${recipeKey(name, split)}.onnx`);
  if (existsSync(path)) return path;
  // Refused at once: a file here made the lock below retry for 20 minutes.
  const flag = process.env.ACCELFORGE_MODELS
    ? `ACCELFORGE_MODELS '${process.env.ACCELFORGE_MODELS}'`
    : `model cache '${dir}'`;
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new InputError(`${flag} is a file; point it at a folder (or unset it)`);
  try {
    mkdirp(dir);
    const probe = join(dir, `.probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new InputError(
      `model cache '${dir}' cannot be created or written (${(e as NodeJS.ErrnoException).code}); set ACCELFORGE_MODELS to a writable folder`,
      { cause: e },
    );
  }
  const release = await lockRemovedOnSignal(path, {
    stale: 60_000,
    update: 10_000,
    retries: { retries: 600, minTimeout: 1000, maxTimeout: 2000 },
  });
  try {
    if (existsSync(path)) return path;
    log?.(`training ${name}${split === 'fit' ? ' on the 7,000 fit images' : ''} (first use; cached in ${dir})`);
    // In a worker thread: a signal is answered at once (lock released, exit 130), not after training.
    const t = await runNnJob<{ onnx: Uint8Array; seconds: number; accuracy: number }>(
      { kind: 'train', name, split },
      log,
    );
    const tmp = `${path}.tmp-${process.pid}`;
    const unregister = onSignalCleanup(() => rmSync(tmp, { force: true }));
    writeFileSync(tmp, t.onnx);
    renameSync(tmp, path);
    unregister();
    log?.(`trained ${name} in ${t.seconds.toFixed(0)} s: float test accuracy ${(100 * t.accuracy).toFixed(2)} %`);
    return path;
  } finally {
    await release();
  }
}

/** A model argument: a built-in name (trained on first use) or an ONNX file. */
export async function loadModel(arg: string, log?: (l: string) => void, split: TrainSplit = 'train'): Promise<Graph> {
  if (typeof arg !== 'string' || arg === '')
    throw new InputError(`model is empty; give an .onnx file or one of ${builtinModels.join(', ')}`);
  if (isBuiltin(arg)) {
    const g = readOnnx(await builtinModelPath(arg, log, split), arg);
    g.name = arg;
    return g;
  }
  if (!existsSync(arg))
    throw new InputError(
      `model '${arg}' is neither a built-in model (${builtinModels.join(', ')}) nor an existing file`,
    );
  const g = readOnnx(arg, 'model', (x) => checkMnistInput(x, arg));
  checkMnistClassifier(g, arg);
  return g;
}
