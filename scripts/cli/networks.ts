// The network verbs: train (a built-in model), model (a network on the RTL),
// compress (Deep Compression).
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, MismatchError } from '../../golden/common/errors.js';
import { toJson } from '../../golden/common/show.js';
import {
  checkArtifactsRoot,
  checkOutputDir,
  checkOutputFile,
  writeDirAtomic,
  writeFileAtomic,
} from '../../testbenches/common/output.js';
import {
  builtinModels,
  compress,
  compressText,
  eieModelText,
  int8ModelSchema,
  int8ModelText,
  model as runModel,
  modelDesigns,
  modelText,
  train,
  quantize,
  type ModelReport,
  type EieModelReport,
  type Int8ModelReport,
} from '../api/index.js';
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
      if (!(builtinModels as readonly string[]).includes(name))
        throw new InputError(`unknown model '${name.slice(0, 64)}'; allowed: ${builtinModels.join(', ')}`);
      checkOutputFile('--out', o.out);
      const t = await train(name, progressLog);
      writeFileAtomic(o.out, readFileSync(t.path), '--out');
      out(
        `${name}: float test accuracy ${(100 * t.floatAccuracy).toFixed(2)} % on the 2,000 MNIST test images; written to ${resolve(o.out)}`,
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
  conv?: 'native' | 'im2col' | 'auto';
};

async function model(modelArg: string, o: ModelOptions): Promise<void> {
  const { ds, chainAt } = modelDesigns(o);
  // Design flags belong to the design that runs layers one by one (the first).
  const flags = pickFlags(ds[0]!, o);
  if (o.json !== undefined) checkOutputFile('--json', o.json, [['the model', modelArg]]);
  if (o.dump !== undefined) checkOutputDir('--dump', o.dump);
  checkArtifactsRoot(o.artifacts);
  const report = await runModel(modelArg, { ...o, flags, log: out, progress: progressLog });
  const int8 = report.schema === int8ModelSchema ? (report as Int8ModelReport) : undefined;
  const lines = int8
    ? int8ModelText(int8)
    : chainAt >= 0
      ? eieModelText(report as EieModelReport)
      : modelText(report as ModelReport);
  for (const l of lines) out(l);
  if (o.json !== undefined) writeFileAtomic(o.json, toJson(report, 2) + '\n', '--json');
  // The RTL equals the golden pass (checked as it ran); a value that differs from onnxruntime fails the run.
  const differ = int8?.tensors.filter((t) => t.differFromOnnxruntime > 0) ?? [];
  if (differ.length > 0)
    throw new MismatchError(
      { element: differ[0]!.name, expected: 0n, actual: BigInt(differ[0]!.differFromOnnxruntime) },
      `${differ.map((t) => `${t.name}: ${t.differFromOnnxruntime} of ${t.values} values`).join('; ')} differ from onnxruntime (the int8 golden pass and the RTL agree); see docs/models.md on CPU-dependent onnxruntime kernels`,
    );
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
      .addOption(
        new Option(
          '--conv <mapping>',
          "ws: convolutions natively (the windows formed on chip; default), by the host's im2col, or auto (im2col where it needs fewer K tiles: channels that leave a channel tile's lanes empty)",
        ).choices(['native', 'im2col', 'auto']),
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
      const { stats, files } = await compress(modelArg, progressLog);
      writeDirAtomic(o.out, files, { force: o.force, canForce: true, kind: 'compressed-model' });
      for (const l of compressText(stats)) out(l);
      out(`compressed model in ${resolve(o.out)}`);
      if (o.json !== undefined) writeFileAtomic(o.json, JSON.stringify(stats, null, 2) + '\n', '--json');
    });

export const quantizeCommand = () =>
  new Command('quantize')
    .description(
      'post-training int8 quantization (calibrated on training images only) written as a standard ONNX model that onnxruntime runs: QOperator (QuantizeLinear, QLinearConv with fully connected layers as 1 x 1, MaxPool, DequantizeLinear) or QDQ',
    )
    .argument('<model>', `an .onnx file or one of ${builtinModels.join(', ')}`)
    .requiredOption('-o, --out <file.onnx>', 'where the quantized model goes')
    .addOption(
      new Option('--format <form>', 'QOperator nodes, or QDQ (float ops between DequantizeLinear and QuantizeLinear)')
        .choices(['qoperator', 'qdq'])
        .default('qoperator'),
    )
    .option('--per-channel', 'one weight scale per output channel (default: one per tensor)')
    .addOption(new Option('--activations <type>', 'the activation type').choices(['uint8', 'int8']).default('uint8'))
    .action(async (modelArg: string, o: { out: string; perChannel?: boolean; activations: 'uint8' | 'int8' }) => {
      checkOutputFile('--out', o.out, [['the model', modelArg]]);
      const r = await quantize(modelArg, {
        perChannel: o.perChannel,
        activations: o.activations,
        progress: progressLog,
      });
      writeFileAtomic(o.out, r.bytes, '--out');
      out(
        `${modelArg}: int8 QOperator model (${o.perChannel ? 'per-channel' : 'per-tensor'} weights, ${o.activations} activations, calibrated on ${r.calibration} training images) in ${resolve(o.out)}; test accuracy int8 ${(100 * r.int8Accuracy).toFixed(2)} %, float ${(100 * r.floatAccuracy).toFixed(2)} %`,
      );
    });
