// A compressed model as files (`accelforge compress --out DIR`, also the
// cache behind `model --design eie`):
//   model.onnx          the network with its shared weights (floats), for the
//                       float / pruned / quantized evaluation and the structure
//   compressed.json     schema accelforge.compressed/1: recipe, what the
//                       pipeline measured, per layer its centroids, bias and
//                       the name of its Huffman file
//   <layer>.huff        the layer's codes and relative indices, canonical
//                       Huffman coded (storage.ts); the codes are read back
//                       from these files, so they are the model
//   <layer>.eie.json    the EIE storage format for `pes` PEs (v, z, p per PE)
//   stats.json          schema accelforge.compress/1: per layer density,
//                       bits and bytes; totals; ratios; accuracies
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockRemovedOnSignal } from '../../testbenches/common/lock.js';
import { runNnJob } from './worker.js';
import { InputError } from '../../golden/common/errors.js';
import { writeDirAtomic, markerName } from '../../testbenches/common/output.js';
import { mkdirp } from '../../testbenches/common/fs.js';
import { decodeOnnx, encodeOnnx } from '../../golden/nn/onnx.js';
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
import { huffmanLayer, huffmanLayerDecode, layerStorage, type LayerStorage } from '../../golden/nn/storage.js';
import { encodeCsc } from '../../golden/nn/eie-format.js';
import { loadModel, isBuiltin } from './zoo.js';
import { maxOnnxBytes } from './onnx-file.js';
import { checkLayersMatchGraph, compressedJson } from './compressed-schema.js';
import { parseWith } from '../../golden/common/schema.js';
import { readBoundedFile } from '../../testbenches/common/read-file.js';
import { parameterCount, type Graph } from '../../golden/nn/graph.js';
import { repoRoot } from '../../golden/common/repo.js';

export const compressedSchema = 'accelforge.compressed/1';
export const statsSchema = 'accelforge.compress/1';

export interface CompressedLayer {
  name: string;
  op: 'fc' | 'conv';
  rows: number;
  cols: number;
  codeBits: number;
  centroids: number[];
  /** rows x cols codes (0 = pruned). */
  codes: Uint8Array[];
  bias: number[];
}

export interface CompressedModel {
  model: string;
  recipe: CompressRecipe;
  graph: Graph;
  layers: CompressedLayer[];
  log: CompressLog;
}

export interface CompressStats {
  schema: string;
  model: string;
  recipe: CompressRecipe;
  layers: LayerStorage[];
  totals: {
    weights: number;
    kept: number;
    density: number;
    denseBytes: number;
    compressedBytes: number;
    huffmanBytes: number;
    pointerBytes: number;
  };
  ratios: { beforeHuffman: number; huffman: number; huffmanWithPointers: number };
  accuracy: { float: number; pruned: number; quantized: number };
  bitsTable: { bits: number; accuracy: number }[];
  seconds: number;
  notes: string[];
}

const safeName = (n: string) => n.replace(/[^A-Za-z0-9_.-]/g, '_');

/** Compresses a trained network (a Graph); deterministic. */
export function compressGraph(
  g: Graph,
  modelName: string,
  recipe: CompressRecipe,
  log?: (l: string) => void,
): CompressedModel {
  const net = graphToNet(g);
  const clog = deepCompress(net, recipe, { bitsTable: [2, 3, 4, 5, 6, 8], log });
  return {
    model: modelName,
    recipe,
    graph: withNames(netToGraph(net), g),
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

export function compressStats(cm: CompressedModel, seconds = cm.log.seconds): CompressStats {
  const r = cm.recipe;
  const layers = cm.layers.map((l) =>
    layerStorage(l.name, l.op, l.codes, {
      codeBits: l.codeBits,
      indexBits: r.indexBits,
      codebookEntryBits: 16,
      biasBits: 16,
    }),
  );
  const weights = layers.reduce((s, l) => s + l.weights, 0),
    kept = layers.reduce((s, l) => s + l.kept, 0);
  const denseBytes = 4 * parameterCount(cm.graph);
  const compressedBytes = layers.reduce((s, l) => s + l.bytes.before, 0);
  const huffmanBytes = layers.reduce((s, l) => s + l.bytes.after, 0);
  const pointerBytes = layers.reduce((s, l) => s + l.bytes.pointers, 0);
  return {
    schema: statsSchema,
    model: cm.model,
    recipe: r,
    layers,
    totals: { weights, kept, density: kept / weights, denseBytes, compressedBytes, huffmanBytes, pointerBytes },
    ratios: {
      beforeHuffman: denseBytes / compressedBytes,
      huffman: denseBytes / huffmanBytes,
      huffmanWithPointers: denseBytes / (huffmanBytes + pointerBytes),
    },
    accuracy: { float: cm.log.floatAccuracy, pruned: cm.log.prunedAccuracy, quantized: cm.log.quantizedAccuracy },
    bitsTable: cm.log.bitsTable,
    seconds,
    notes: [
      `dense: every weight and bias as float32 (${parameterCount(cm.graph)} parameters)`,
      `compressed: per layer ${r.bits}-bit codes and ${r.indexBits}-bit relative row indices of the stored entries (padding included), a 2^${r.bits}-entry float16 codebook and float16 biases (the values are rounded to float16 before the accuracy is measured); Huffman: codes and indices canonically coded plus their code-length tables; column pointers are counted separately (huffmanWithPointers includes them)`,
    ],
  };
}

/** The files of a compressed model (see the header). */
export function compressedFiles(cm: CompressedModel, stats: CompressStats, pes = 64): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  files.set('model.onnx', encodeOnnx(cm.graph, `accelforge compressed ${cm.model}`));
  files.set('stats.json', JSON.stringify(stats, null, 2) + '\n');
  const layers = cm.layers.map((l) => {
    const huff = `${safeName(l.name)}.huff`;
    files.set(huff, huffmanLayer(l.codes, l.codeBits, cm.recipe.indexBits));
    const eie = `${safeName(l.name)}.eie.json`;
    if (l.op === 'fc')
      files.set(
        eie,
        JSON.stringify({
          layer: l.name,
          pes,
          indexBits: cm.recipe.indexBits,
          rows: l.rows,
          cols: l.cols,
          note: 'row i belongs to PE i mod pes; per PE: v codes, z relative indices (padding: v 0, z 2^indexBits - 1), p column pointers',
          pe: encodeCsc(l.codes, pes, cm.recipe.indexBits),
        }) + '\n',
      );
    return {
      name: l.name,
      op: l.op,
      rows: l.rows,
      cols: l.cols,
      codeBits: l.codeBits,
      centroids: l.centroids,
      bias: l.bias,
      huffman: huff,
      eie: l.op === 'fc' ? eie : undefined,
    };
  });
  files.set(
    'compressed.json',
    JSON.stringify({ schema: compressedSchema, model: cm.model, recipe: cm.recipe, log: cm.log, layers }, null, 2) +
      '\n',
  );
  return files;
}

/** Reads a compressed model folder; InputError naming the file on any damage. */
export function readCompressed(dir: string): CompressedModel {
  const file = (n: string) => join(dir, n);
  const read = (n: string) =>
    readBoundedFile(file(n), `compressed model '${dir}':`, 'the file accelforge wrote', maxOnnxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(read('compressed.json').toString('utf8'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`compressed model '${dir}': compressed.json is not valid JSON (${(e as Error).message})`);
  }
  const meta = parseWith(compressedJson, raw, `compressed model '${dir}': compressed.json`);
  const graph = decodeOnnx(read('model.onnx'), file('model.onnx'));
  checkLayersMatchGraph(meta, graph, `compressed model '${dir}'`);
  const layers = meta.layers.map((l) => {
    const bytes = read(l.huffman);
    let dec;
    try {
      dec = huffmanLayerDecode(bytes);
    } catch (e) {
      throw new InputError(`compressed model '${dir}': ${l.huffman} is damaged (${(e as Error).message})`);
    }
    if (dec.rows !== l.rows || dec.cols !== l.cols)
      throw new InputError(
        `compressed model '${dir}': ${l.huffman} holds ${dec.rows} x ${dec.cols}; compressed.json says ${l.rows} x ${l.cols}`,
      );
    const big = dec.codes.findIndex((r) => r.some((c) => c >= l.centroids.length));
    if (big >= 0)
      throw new InputError(
        `compressed model '${dir}': ${l.huffman} row ${big} holds a code beyond the ${l.centroids.length}-entry codebook`,
      );
    return {
      name: l.name,
      op: l.op,
      rows: l.rows,
      cols: l.cols,
      codeBits: l.codeBits,
      centroids: l.centroids,
      bias: l.bias,
      codes: dec.codes.map((r) => Uint8Array.from(r)),
    };
  });
  return { model: meta.model, recipe: meta.recipe, graph, layers, log: meta.log };
}

export const isCompressedDir = (p: string) =>
  existsSync(p) && statSync(p).isDirectory() && existsSync(join(p, 'compressed.json'));

/**
 * The compressed form of a model argument: a compressed folder, or a
 * built-in name / ONNX file compressed on first use and cached in
 * .accelforge/compressed (ACCELFORGE_MODELS/../compressed), keyed by the
 * model's bytes, the recipe and the pipeline's source.
 */
export async function compressedModel(
  arg: string,
  log?: (l: string) => void,
): Promise<{ cm: CompressedModel; dir: string }> {
  if (isCompressedDir(arg)) return { cm: readCompressed(arg), dir: arg };
  const g = await loadModel(arg, log);
  const recipe = isBuiltin(arg) ? compressRecipes[arg]! : defaultRecipe();
  const h = createHash('sha256').update(encodeOnnx(g)).update(JSON.stringify(recipe));
  for (const f of [
    'golden/nn/compress.ts',
    'golden/nn/train.ts',
    'golden/nn/net-graph.ts',
    'golden/nn/layers.ts',
    'golden/nn/deep-compression.ts',
    'scripts/nn/compressed.ts',
    'golden/nn/storage.ts',
  ])
    h.update(readFileSync(join(repoRoot, f)));
  const root = resolve(process.env.ACCELFORGE_MODELS ?? join(repoRoot, '.accelforge/models'), '..', 'compressed');
  const dir = join(root, `${safeName(isBuiltin(arg) ? arg : g.name)}-${h.digest('hex').slice(0, 12)}`);
  if (existsSync(join(dir, markerName))) return { cm: readCompressed(dir), dir };
  mkdirp(root);
  const release = await lockRemovedOnSignal(dir, {
    stale: 60_000,
    update: 10_000,
    retries: { retries: 900, minTimeout: 1000, maxTimeout: 2000 },
  });
  try {
    if (existsSync(join(dir, markerName))) return { cm: readCompressed(dir), dir };
    log?.(`compressing ${arg} (first use; cached in ${root})`);
    // In a worker thread: a signal is answered at once (lock released, exit 130), not after compressing.
    const cm = await runNnJob<CompressedModel>(
      { kind: 'compress', graph: g, model: isBuiltin(arg) ? arg : g.name, recipe },
      log,
    );
    writeDirAtomic(dir, compressedFiles(cm, compressStats(cm)), { kind: 'compressed-model', flag: 'cache' });
    return { cm, dir };
  } finally {
    await release();
  }
}
