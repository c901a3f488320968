// The network verbs: train (a built-in model), model (a network on the RTL),
// compress (Deep Compression).
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../golden/common/errors.js';
import { toJson } from '../../golden/common/show.js';
import { builtinModels } from '../../golden/nn/train.js';
import { floatTestAccuracy } from '../../golden/nn/eval.js';
import {
  checkArtifactsRoot,
  checkOutputDir,
  checkOutputFile,
  writeDirAtomic,
  writeFileAtomic,
} from '../../testbenches/common/output.js';
import { designByName, designs, loadConfig, type AnyDesign } from '../../testbenches/registry.js';
import { modelText, runModel } from '../flows/model.js';
import { refuseConvOnEie, runModelEie } from '../flows/model-eie.js';
import { compressText, eieModelText } from '../flows/text.js';
import { compressedFiles, compressedModel, compressStats, isCompressedDir } from '../nn/compressed.js';
import { readOnnx } from '../nn/onnx-file.js';
import { builtinModelPath, isBuiltin, loadModel } from '../nn/zoo.js';
import {
  addDesignFlags,
  artifactsOption,
  configOption,
  intArg,
  jsonOption,
  out,
  pickFlags,
  progressLog,
} from './options.js';

export const trainCommand = () =>
  new Command('train')
    .description(
      'train a built-in model on the MNIST training split and write it as ONNX (deterministic; cached after the first training)',
    )
    .argument('<model>', `one of ${builtinModels.join(', ')}`)
    .requiredOption('-o, --out <file.onnx>', 'where the ONNX model goes')
    .action(async (name: string, o: { out: string }) => {
      if (!isBuiltin(name))
        throw new InputError(`unknown model '${name.slice(0, 64)}'; allowed: ${builtinModels.join(', ')}`);
      checkOutputFile('--out', o.out);
      const path = await builtinModelPath(name, progressLog);
      const g = readOnnx(path, name);
      writeFileAtomic(o.out, readFileSync(path), '--out');
      out(
        `${name}: float test accuracy ${(100 * floatTestAccuracy(g)).toFixed(2)} % on the 2,000 MNIST test images; written to ${resolve(o.out)}`,
      );
    });

type ModelOptions = Record<string, unknown> & {
  design: string;
  config: string;
  images: number;
  batch?: number;
  dump?: string;
  json?: string;
  artifacts: string;
};

/** The designs of --design: one that runs layers, or one that chains FC layers on chip, optionally after one that runs the rest. */
function modelDesigns(o: ModelOptions): { ds: AnyDesign[]; chainAt: number } {
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
      `--dump applies to designs that run layer by layer (${designs
        .filter((x) => x.network)
        .map((x) => x.name)
        .join(', ')}); ${ds[chainAt]!.name} keeps its intermediate layers on chip`,
    );
  return { ds, chainAt };
}

async function model(modelArg: string, o: ModelOptions): Promise<void> {
  const { ds, chainAt } = modelDesigns(o);
  // Design flags belong to the design that runs layers one by one (the first).
  const flags = pickFlags(ds[0]!, o);
  if (o.json !== undefined) checkOutputFile('--json', o.json, [['the model', modelArg]]);
  if (o.dump !== undefined) checkOutputDir('--dump', o.dump);
  checkArtifactsRoot(o.artifacts);
  const configs = o.config.split(',');
  const cfgs = ds.map((d, i) => loadConfig(d, configs[i]!));
  let report: unknown;
  if (chainAt >= 0) {
    // A convolution on a chaining design alone is refused before any compression work.
    if (ds.length === 1 && !isCompressedDir(modelArg))
      refuseConvOnEie(await loadModel(modelArg, progressLog), modelArg);
    const { cm } = await compressedModel(modelArg, progressLog);
    const pre = ds.length === 2 ? { d: ds[0]!, cfg: cfgs[0]! } : undefined;
    const r = await runModelEie(
      ds[chainAt]!,
      cfgs[chainAt]! as never,
      cm,
      { images: o.images, batch: o.batch, artifacts: o.artifacts, configArg: o.config, modelArg, flags },
      pre,
    );
    for (const l of eieModelText(r)) out(l);
    report = r;
  } else {
    const g = await loadModel(modelArg, progressLog);
    const r = await runModel(ds[0]!, cfgs[0]!, g, {
      images: o.images,
      batch: o.batch,
      dump: o.dump,
      artifacts: o.artifacts,
      configArg: o.config,
      modelArg,
      log: out,
      flags,
    });
    for (const l of modelText(r)) out(l);
    report = r;
  }
  if (o.json !== undefined) writeFileAtomic(o.json, toJson(report, 2) + '\n', '--json');
}

export const modelCommand = () =>
  addDesignFlags(
    new Command('model')
      .description(
        'run a trained network on the RTL: every layer bit-exact against the integer golden model; per-layer cycles, counters, energy; accuracy',
      )
      .argument(
        '<model>',
        `an .onnx file, one of ${builtinModels.join(', ')}, or (eie) a folder written by compress or its model.afz`,
      )
      .requiredOption(
        '--design <name>',
        'design that runs the layers: ws, os, rs, eie (the model Deep-Compressed), or rs,eie / ws,eie (convolutions first, FC layers on eie)',
      )
      .addOption(configOption())
      .option(
        '--images <n>',
        'test images (evenly spread over the 2,000-image test split)',
        intArg('--images', 1, 2000),
        200,
      )
      .option('--batch <n>', 'images per RTL run', intArg('--batch', 1, 2000))
      .option(
        '--dump <dir>',
        'write the integer inputs, weights, bias and raw RTL outputs of every layer for the first 4 images (JSON; designs that run layer by layer)',
      )
      .addOption(jsonOption('write the report as JSON'))
      .addOption(artifactsOption()),
  ).action(model);

export const compressCommand = () =>
  new Command('compress')
    .description(
      'Deep Compression of a trained model (iterative pruning with retraining, trained 4-bit weight sharing, relative indices, Huffman) with storage and accuracy statistics',
    )
    .argument('<model>', `an .onnx file or one of ${builtinModels.join(', ')}`)
    .requiredOption('-o, --out <dir>', 'output folder (new, empty, or written by accelforge)')
    .option('--force', 'replace a non-empty folder accelforge did not write')
    .addOption(jsonOption('also write the statistics (stats.json) here'))
    .action(async (modelArg: string, o: { out: string; force?: boolean; json?: string }) => {
      checkOutputDir('--out', o.out, { force: o.force, canForce: true });
      if (o.json !== undefined) checkOutputFile('--json', o.json, [['the model', modelArg]]);
      if (isCompressedDir(modelArg))
        throw new InputError(`model '${modelArg}' is compressed already; give an .onnx file or a built-in name`);
      const { result } = await compressedModel(modelArg, progressLog);
      const stats = compressStats(result!);
      writeDirAtomic(o.out, compressedFiles(result!), { force: o.force, canForce: true, kind: 'compressed-model' });
      for (const l of compressText(stats)) out(l);
      out(`compressed model in ${resolve(o.out)}`);
      if (o.json !== undefined) writeFileAtomic(o.json, JSON.stringify(stats, null, 2) + '\n', '--json');
    });
