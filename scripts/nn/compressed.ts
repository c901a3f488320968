// A compressed model as files (`accelforge compress --out DIR`, also the
// cache behind `model --design eie`):
//   model.afz     the container (golden/nn/container.ts, docs/compression.md):
//                 the only file read back; its size is the compressed size
//   stats.json    schema accelforge.compress/2: recipe, the pipeline's log,
//                 per layer density and the bytes of each part of the
//                 container; totals; ratios; validation and test accuracy
//   model.onnx    the compressed network as a float ONNX model (shared
//                 weights expanded), for other tools; never read back
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockRemovedOnSignal } from '../../testbenches/common/lock.js';
import { runNnJob } from './worker.js';
import { writeDirAtomic, markerName } from '../../testbenches/common/output.js';
import { mkdirp } from '../../testbenches/common/fs.js';
import { encodeOnnx } from '../../golden/nn/onnx.js';
import type { Net } from '../../golden/nn/train.js';
import { graphToNet, netToGraph } from '../../golden/nn/net-graph.js';
import {
  compressRecipes,
  deepCompress,
  defaultRecipe,
  weightLayers,
  type CompressLog,
  type CompressRecipe,
} from '../../golden/nn/compress.js';
import {
  decodeContainer,
  encodeContainer,
  type ContainerLayer,
  type ContainerModel,
} from '../../golden/nn/container.js';
import { loadModel, isBuiltin } from './zoo.js';
import { maxOnnxBytes } from './onnx-file.js';
import { readBoundedFile } from '../../testbenches/common/read-file.js';
import type { Graph } from '../../golden/nn/graph.js';
import { repoRoot } from '../../golden/common/repo.js';
import { compressStats, statsLog } from './compress-stats.js';

export type CompressedLayer = ContainerLayer;
/** What a container holds. */
export type CompressedModel = ContainerModel;
/** A compression's outcome: the container's content, the recipe and the pipeline's log. */
export interface CompressResult extends CompressedModel {
  recipe: CompressRecipe;
  log: CompressLog;
}

export const containerFile = 'model.afz';

const safeName = (n: string) => n.replace(/[^A-Za-z0-9_.-]/g, '_');

/** Compresses a trained network (a Graph); deterministic. `test: false` never scores the test split. */
export function compressGraph(
  g: Graph,
  modelName: string,
  recipe: CompressRecipe,
  log?: (l: string) => void,
  o: { test?: boolean; bitsTable?: number[] } = {},
): CompressResult {
  const net = graphToNet(g);
  const clog = deepCompress(net, recipe, { bitsTable: o.bitsTable ?? [2, 3, 4, 5, 6, 8], log, test: o.test });
  return {
    model: modelName,
    recipe,
    graph: { ...withNames(netToGraph(net), g), name: modelName },
    indexBits: recipe.indexBits,
    layers: layersOf(net, recipe.bits),
    log: clog,
  };
}

/** Keeps the source graph's name and input. */
function withNames(out: Graph, src: Graph): Graph {
  return { ...out, name: src.name, input: { ...out.input, dims: src.input.dims } };
}

function layersOf(net: Net, bits: number): CompressedLayer[] {
  return weightLayers(net).map((l) => {
    const [rows] = l.weight.dims as [number];
    const cols = l.weight.w.length / rows;
    const codes = Array.from({ length: rows }, (_, r) => l.weight.cluster!.slice(r * cols, (r + 1) * cols));
    return {
      name: l.name,
      op: l.op,
      rows,
      cols,
      codeBits: bits,
      centroids: Array.from(l.weight.centroids!),
      codes,
      bias: Array.from(l.bias.w),
    };
  });
}

export { compressStats };

/** The files of a compressed model (see the header). */
export function compressedFiles(cm: CompressResult): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  const { bytes } = encodeContainer(cm);
  files.set(containerFile, bytes);
  files.set('stats.json', JSON.stringify(compressStats(cm), null, 2) + '\n');
  files.set('model.onnx', encodeOnnx(cm.graph, `accelforge compressed ${cm.model} (decoded from ${containerFile})`));
  return files;
}

/** The container of a compressed folder, or a .afz file itself. */
export function containerPath(p: string): string {
  return existsSync(p) && statSync(p).isDirectory() ? join(p, containerFile) : p;
}

/** Reads a compressed model (a folder holding model.afz, or the .afz file); InputError naming the field on any damage. */
export function readCompressed(p: string): CompressedModel {
  const file = containerPath(p);
  const bytes = readBoundedFile(file, `compressed model '${p}':`, 'the container accelforge wrote', maxOnnxBytes);
  return decodeContainer(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

/** A cached compression read back: the container and the log stats.json keeps. */
function readCached(dir: string, recipe: CompressRecipe): CompressResult {
  const cm = readCompressed(dir);
  return { ...cm, recipe, log: statsLog(JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'))) };
}

export const isCompressedDir = (p: string) =>
  existsSync(p) && (statSync(p).isDirectory() ? existsSync(join(p, containerFile)) : p.endsWith('.afz'));

/**
 * The compressed form of a model argument: a compressed folder, or a
 * built-in name / ONNX file compressed on first use and cached in
 * .accelforge/compressed (ACCELFORGE_MODELS/../compressed), keyed by the
 * model's bytes, the recipe and the pipeline's source.
 */
export async function compressedModel(
  arg: string,
  log?: (l: string) => void,
): Promise<{ cm: CompressedModel; result?: CompressResult; dir: string }> {
  if (isCompressedDir(arg)) return { cm: readCompressed(arg), dir: arg };
  // A built-in model is compressed from its baseline trained on the fit split (validation held out).
  const g = await loadModel(arg, log, isBuiltin(arg) ? 'fit' : 'train');
  const recipe = isBuiltin(arg) ? compressRecipes[arg]! : defaultRecipe();
  const h = createHash('sha256').update(encodeOnnx(g)).update(JSON.stringify(recipe));
  for (const f of [
    'golden/nn/compress.ts',
    'golden/nn/train.ts',
    'golden/nn/net-graph.ts',
    'golden/nn/layers.ts',
    'golden/nn/deep-compression.ts',
    'scripts/nn/compressed.ts',
    'golden/nn/splits.ts',
    'golden/nn/container.ts',
    'golden/nn/container-read.ts',
    'scripts/nn/compress-stats.ts',
  ])
    h.update(readFileSync(join(repoRoot, f)));
  const root = resolve(process.env.ACCELFORGE_MODELS ?? join(repoRoot, '.accelforge/models'), '..', 'compressed');
  const dir = join(root, `${safeName(isBuiltin(arg) ? arg : g.name)}-${h.digest('hex').slice(0, 12)}`);
  if (existsSync(join(dir, markerName))) return cached(dir, recipe);
  mkdirp(root);
  const release = await lockRemovedOnSignal(dir, {
    stale: 60_000,
    update: 10_000,
    retries: { retries: 900, minTimeout: 1000, maxTimeout: 2000 },
  });
  try {
    if (existsSync(join(dir, markerName))) return cached(dir, recipe);
    log?.(`compressing ${arg} (first use; cached in ${root})`);
    // In a worker thread: a signal is answered at once (lock released, exit 130), not after compressing.
    const result = await runNnJob<CompressResult>(
      { kind: 'compress', graph: g, model: isBuiltin(arg) ? arg : g.name, recipe },
      log,
    );
    writeDirAtomic(dir, compressedFiles(result), { kind: 'compressed-model', flag: 'cache' });
    // What runs is what the container holds: read it back.
    return { ...cached(dir, recipe), result };
  } finally {
    await release();
  }
}

function cached(dir: string, recipe: CompressRecipe) {
  const result = readCached(dir, recipe);
  return { cm: result as CompressedModel, result, dir };
}
