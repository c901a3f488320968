// The public API's network flows: train a built-in model, run a network on
// the RTL (`model`), Deep-Compress it (`compress`). The CLI's train, model
// and compress verbs are these calls plus printing and writing.
import { InputError } from '../../golden/common/errors.js';
import type { Graph } from '../../golden/nn/graph.js';
import { builtinModels } from '../../golden/nn/train.js';
import { floatTestAccuracy } from '../../golden/nn/eval.js';
import { designByName, designs, loadConfig, type AnyDesign } from '../../testbenches/registry.js';
import { runModel, type ModelReport } from '../flows/model.js';
import { refuseConvOnEie, runModelEie, type EieModelReport } from '../flows/model-eie.js';
import {
  compressedFiles,
  compressedModel,
  compressStats,
  isCompressedDir,
  type CompressResult,
} from '../nn/compressed.js';
import type { CompressStats } from '../nn/compress-stats.js';
import { readOnnx, maxOnnxBytes } from '../nn/onnx-file.js';
import { runModelInt8, type Int8ModelReport } from '../flows/model-int8.js';
import { readBoundedFile } from '../../testbenches/common/read-file.js';
import { existsSync, statSync } from 'node:fs';
import { builtinModelPath, isBuiltin, loadModel } from '../nn/zoo.js';
import { quantizeToQOperator } from '../../golden/nn/qexport.js';
import { decodeQOnnx, isQuantizedModel, type QType } from '../../golden/nn/qonnx.js';
import { qForward } from '../../golden/nn/qonnx-forward.js';
import { argmaxRows } from '../../golden/nn/forward.js';
import { gather, loadMnist, splitIds } from '../../golden/nn/mnist.js';

export { builtinModels, floatTestAccuracy, loadModel, readOnnx, isCompressedDir };

/**
 * A built-in model trained on MNIST's training split (deterministic; cached
 * after the first training): the ONNX file, its graph and float test accuracy.
 */
export async function train(
  name: string,
  log?: (line: string) => void,
): Promise<{ path: string; graph: Graph; floatAccuracy: number }> {
  if (!isBuiltin(name))
    throw new InputError(`unknown model '${name.slice(0, 64)}'; allowed: ${builtinModels.join(', ')}`);
  const path = await builtinModelPath(name, log);
  const graph = readOnnx(path, name);
  return { path, graph, floatAccuracy: floatTestAccuracy(graph) };
}

export interface ModelCallOptions {
  /** The design that runs the layers ('ws', 'os', 'rs', 'eie'), or two: convolutions first, FC layers on a design that chains them ('rs,eie'). */
  design: string;
  /** One configuration per design, in the same order, comma-separated (presets or JSON files). */
  config: string;
  /** Test images (default 200). */
  images?: number;
  batch?: number;
  /** Folder for the first images' integer layer data (designs that run layer by layer). */
  dump?: string;
  /** Failure artifacts (default artifacts). */
  artifacts?: string;
  /** The first design's own flags (e.g. { dataflow: 'auto' }). */
  flags?: Record<string, unknown>;
  /** ws: convolutions natively (default), by the host's im2col, or 'auto' (im2col where it needs fewer K tiles). */
  conv?: 'native' | 'im2col' | 'auto';
  /** Each layer's line as it finishes. */
  log?: (line: string) => void;
  /** Progress of training or compressing the model first, when it is not cached. */
  progress?: (line: string) => void;
  quiet?: boolean;
}

/** The designs of `design`: one that runs layers, or one that chains FC layers on chip, optionally after one that runs the rest. */
export function modelDesigns(o: Pick<ModelCallOptions, 'design' | 'config' | 'dump'>): {
  ds: AnyDesign[];
  chainAt: number;
} {
  const names = o.design.split(',');
  const configs = o.config.split(',');
  if (names.length !== configs.length)
    throw new InputError(
      `--design '${o.design}' names ${names.length} design(s) but --config '${o.config}' gives ${configs.length}; give one config per design, in the same order`,
    );
  const ds = names.map((n) => designByName(n));
  const chainAt = ds.findIndex((d) => d.chain);
  const chains = designs.filter((x) => x.chain).map((x) => x.name);
  if (ds.length > 2 || (ds.length === 2 && chainAt !== 1)) {
    throw new InputError(
      `--design '${o.design}': allowed: one design, or two with the FC layers last on a design that chains them (${chains.join(', ')}), e.g. rs,eie or ws,eie`,
    );
  }
  const layered = designs.filter((x) => x.network).map((x) => x.name);
  for (const d of ds)
    if (!d.network && !d.chain)
      throw new InputError(
        `--design ${d.name} cannot run network layers; designs that can: ${designs
          .filter((x) => x.network || x.chain)
          .map((x) => x.name)
          .join(', ')}`,
      );
  if (o.dump !== undefined && chainAt >= 0)
    throw new InputError(
      `--dump applies to designs that run layer by layer (${layered.join(', ')}); ${ds[chainAt]!.name} keeps its intermediate layers on chip`,
    );
  return { ds, chainAt };
}

/** --conv: a mapping of convolutions the first design offers, on a run layer by layer (not with a chained design). */
function refuseConv(o: Pick<ModelCallOptions, 'conv'>, ds: AnyDesign[], chainAt: number): void {
  if (o.conv === undefined) return;
  const offer = designs.filter((x) => x.networkVariants).map((x) => x.name);
  if (chainAt >= 0)
    throw new InputError(
      `--conv ${o.conv}: applies to a network run layer by layer on ${offer.join(', ')}, not with ${ds[chainAt]!.name}`,
    );
  const own = ds[0]!.networkVariants;
  if (!own)
    throw new InputError(
      `--conv ${o.conv}: ${ds[0]!.name} has one mapping of convolutions; --conv applies to ${offer.join(', ')}`,
    );
  if (o.conv !== 'native' && !own[o.conv])
    throw new InputError(
      `--conv ${o.conv}: ${ds[0]!.name} maps convolutions as ${['native', ...Object.keys(own)].join(', ')}`,
    );
}

/** The bytes of an int8 (QOperator or QDQ) .onnx file, or undefined for anything else. */
function int8File(modelArg: string): Uint8Array | undefined {
  if (isBuiltin(modelArg) || !existsSync(modelArg) || !statSync(modelArg).isFile()) return undefined;
  const bytes = readBoundedFile(modelArg, 'model', 'an .onnx file', maxOnnxBytes);
  return isQuantizedModel(bytes) ? bytes : undefined;
}

/**
 * Runs a trained network on the RTL (an .onnx file, a built-in name, or for
 * eie a folder written by compress): every layer bit-exact against the
 * integer golden model; the report `model --json` writes.
 */
export async function model(
  modelArg: string,
  o: ModelCallOptions,
): Promise<ModelReport | EieModelReport | Int8ModelReport> {
  const { ds, chainAt } = modelDesigns(o);
  const configs = o.config.split(',');
  const cfgs = ds.map((d, i) => loadConfig(d, configs[i]!));
  const log = o.log ?? (() => {});
  const progress = o.progress ?? (() => {});
  const common = {
    images: o.images ?? 200,
    batch: o.batch,
    artifacts: o.artifacts ?? 'artifacts',
    configArg: o.config,
  };
  refuseConv(o, ds, chainAt);
  if (chainAt >= 0) {
    // A convolution on a chaining design alone is refused before any compression work.
    if (ds.length === 1 && !isCompressedDir(modelArg)) refuseConvOnEie(await loadModel(modelArg, progress), modelArg);
    const { cm } = await compressedModel(modelArg, progress);
    const pre = ds.length === 2 ? { d: ds[0]!, cfg: cfgs[0]! } : undefined;
    return runModelEie(ds[chainAt]!, cfgs[chainAt]! as never, cm, { ...common, modelArg, flags: o.flags }, pre);
  }
  const int8 = int8File(modelArg);
  if (int8) {
    if (o.conv !== undefined)
      throw new InputError(
        `--conv ${o.conv}: '${modelArg}' is int8; its QLinearConv layers run as im2col GEMMs requantized in the output stage (leave out --conv)`,
      );
    if (o.dump !== undefined)
      throw new InputError(
        `--dump applies to float models; '${modelArg}' is int8 (every tensor is in the --json report's counts)`,
      );
    return runModelInt8(ds[0]!, cfgs[0]!, int8, { ...common, modelArg, quiet: o.quiet, flags: o.flags });
  }
  const g = await loadModel(modelArg, progress);
  return runModel(ds[0]!, cfgs[0]!, g, {
    ...common,
    dump: o.dump,
    modelArg,
    log,
    quiet: o.quiet,
    flags: o.flags,
    conv: o.conv,
  });
}

/**
 * Deep Compression of a trained model (pruning with retraining, trained
 * weight sharing, relative indices, Huffman): the result, its statistics and
 * the files `compress` writes.
 */
export async function compress(
  modelArg: string,
  log?: (line: string) => void,
): Promise<{ result: CompressResult; stats: CompressStats; files: Map<string, string | Uint8Array> }> {
  if (isCompressedDir(modelArg))
    throw new InputError(`model '${modelArg}' is compressed already; give an .onnx file or a built-in name`);
  const { result } = await compressedModel(modelArg, log);
  return { result: result!, stats: compressStats(result!), files: compressedFiles(result!) };
}

export interface QuantizeCallOptions {
  /** Weight scales per output channel (else one per tensor). */
  perChannel?: boolean;
  /** Activation type (default uint8). */
  activations?: QType;
  /** The ONNX form (default qoperator). */
  format?: 'qoperator' | 'qdq';
  /** Calibration images, the first of the training split (default 500). */
  calibration?: number;
  /** Progress of training the model first, when it is not cached. */
  progress?: (line: string) => void;
}

/**
 * Post-training quantization of a model as a standard QOperator ONNX file
 * (golden/nn/qexport.ts), calibrated on training images only; with the int8
 * accuracy of the golden integer forward pass (which equals onnxruntime's on
 * such files) on the 2,000 test images beside the float model's.
 */
export async function quantize(
  modelArg: string,
  o: QuantizeCallOptions = {},
): Promise<{ bytes: Uint8Array; floatAccuracy: number; int8Accuracy: number; calibration: number }> {
  const g = await loadModel(modelArg, o.progress);
  const n = o.calibration ?? 500;
  const cal = splitIds().train.slice(0, n);
  const activations = o.activations ?? 'uint8';
  if (activations !== 'uint8' && activations !== 'int8')
    throw new InputError(`--activations '${String(activations)}': allowed: uint8, int8`);
  const format = o.format ?? 'qoperator';
  if (format !== 'qoperator' && format !== 'qdq')
    throw new InputError(`--format '${String(format)}': allowed: qoperator, qdq`);
  const { bytes } = quantizeToQOperator(g, gather(cal), cal.length, {
    perChannel: o.perChannel ?? false,
    activations,
    format,
  });
  const test = splitIds().test;
  const x = gather(test);
  const labels = loadMnist().labels;
  const q = qForward(decodeQOnnx(bytes, modelArg), x, test.length).get(g.output)!.data;
  const pred = argmaxRows(q, test.length);
  const int8Accuracy = pred.filter((p, i) => p === labels[test[i]!]).length / test.length;
  return { bytes, floatAccuracy: floatTestAccuracy(g), int8Accuracy, calibration: cal.length };
}

export type { ModelReport, EieModelReport, CompressStats, CompressResult };
