// Whole networks (they write their own reports: model-*.json, compress-*.json):
// the LeNets on the RTL against onnxruntime's float run, Deep Compression,
// the compressed networks on EIE, and EIE's FIFO depth on real layers.
import { readFileSync } from 'node:fs';
import { eiePresets, parseEieConfig } from '../../golden/eie/config.js';
import { testSample } from '../../golden/nn/mnist.js';
import { designByName, loadConfig } from '../../testbenches/registry.js';
import { benchSchema, type EieFifoRealResult } from '../flows/bench-results.js';
import { modelText, runModel } from '../flows/model.js';
import { runModelEie } from '../flows/model-eie.js';
import { compressText, eieModelText } from '../flows/text.js';
import { builtinModelPath, loadModel } from '../nn/zoo.js';
import { ortMaxAbsDiff } from '../nn/ort-agreement.js';
import { compressedModel, compressStats } from '../nn/compressed.js';
import { fmt, log, writeResult } from './env.js';

/** The trained LeNets on the RTL, 2,000 test images each, and the float models against onnxruntime. */
export async function networks(): Promise<void> {
  const agreement: Record<string, number> = {};
  for (const model of ['lenet-300-100', 'lenet-5'] as const) {
    const g = await loadModel(model, log);
    const diff = await ortMaxAbsDiff(readFileSync(await builtinModelPath(model)), g, testSample(2000));
    agreement[model] = diff;
    log(`${model}: max |ours - onnxruntime| over 2,000 test images = ${diff.toExponential(2)}`);
  }
  writeResult('onnxruntime-agreement.json', {
    schema: benchSchema('onnxruntime-agreement'),
    images: 2000,
    maxAbsDiff: agreement,
  });
  const runs = [
    ['lenet-300-100', 'ws', 'ws-16x16'],
    ['lenet-5', 'ws', 'ws-16x16'],
    ['lenet-5', 'rs', 'eyeriss'],
  ] as const;
  for (const [model, design, config] of runs) {
    const d = designByName(design);
    const r = await runModel(d, loadConfig(d, config), await loadModel(model, log), {
      images: 2000,
      artifacts: 'artifacts',
      configArg: config,
      modelArg: model,
      log,
      quiet: true,
    });
    writeResult(`model-${model}-${config}.json`, r);
    for (const l of modelText(r)) log(`    ${l}`);
  }
}

/** The built-in models a network section runs: ACCELFORGE_BENCH_MODELS=lenet-5 limits them. */
export const benchModels = (): string[] =>
  process.env.ACCELFORGE_BENCH_MODELS?.split(',') ?? ['lenet-300-100', 'lenet-5'];

/** Both LeNets through Deep Compression. */
export async function compression(): Promise<void> {
  for (const model of benchModels()) {
    const t0 = performance.now();
    const { result } = await compressedModel(model, log);
    const st = compressStats(result!);
    writeResult(`compress-${model}.json`, st);
    for (const l of compressText(st)) log(`    ${l}`);
    log(`(${fmt((performance.now() - t0) / 1000)} here, ${fmt(st.seconds)} when compressed)`);
  }
}

/** The compressed networks on the EIE RTL (and rs,eie for LeNet-5). */
export async function eieNetworks(): Promise<void> {
  const eie = designByName('eie'),
    rs = designByName('rs');
  const runs = [
    { model: 'lenet-300-100', config: 'eie-64pe', pre: undefined },
    { model: 'lenet-5', config: 'eyeriss,eie-64pe', pre: { d: rs, cfg: loadConfig(rs, 'eyeriss') } },
  ] as const;
  for (const run of runs.filter((x) => benchModels().includes(x.model))) {
    const { cm } = await compressedModel(run.model, log);
    const r = await runModelEie(
      eie,
      eiePresets['eie-64pe']!,
      cm,
      { images: 2000, artifacts: 'artifacts', configArg: run.config, modelArg: run.model, quiet: true },
      run.pre,
    );
    writeResult(`model-${run.model}-${run.config.replace(',', '+')}.json`, r);
    for (const l of eieModelText(r)) log(`    ${l}`);
  }
}

/** Load efficiency against FIFO depth on the real compressed LeNet-300-100 layers, 64 PEs. */
export async function eieFifoReal(): Promise<void> {
  const eie = designByName('eie');
  const { cm } = await compressedModel('lenet-300-100', log);
  // The authors' FIFO of size N is a ring buffer holding N-1 entries; ours of depth N holds N.
  const authors: Record<number, number> = { 2: 0.695, 4: 0.845, 8: 0.895, 16: 0.91 };
  const rows: EieFifoRealResult['rows'] = [];
  for (const fifoDepth of [1, 2, 3, 4, 7, 8, 15, 16]) {
    const cfg = parseEieConfig({ ...eiePresets['eie-64pe']!, fifoDepth });
    const r = await runModelEie(eie, cfg, cm, {
      images: 200,
      artifacts: 'artifacts',
      configArg: `eie-64pe fifoDepth ${fifoDepth}`,
      modelArg: 'lenet-300-100',
      quiet: true,
    });
    rows.push({
      depth: fifoDepth,
      cycles: r.perImage.eieCycles,
      layers: Object.fromEntries(r.layers.map((l) => [l.name, l.loadEfficiency!])),
    });
  }
  writeResult('eie-fifo-lenet-300-100.json', {
    schema: benchSchema('eie-fifo-real'),
    model: 'lenet-300-100',
    images: 200,
    pes: 64,
    definition: 'entries / (cycles x PEs); ours holds fifoDepth entries, the authors size N holds N-1',
    rows,
    authors,
  } satisfies EieFifoRealResult);
}
