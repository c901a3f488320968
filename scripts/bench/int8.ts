// `npm run bench -- int8-conformance`: the int8 conformance matrix
// (scripts/nn/int8-cells.ts) at 20 random models per cell: outputs checked,
// ties and limits reached, and the outputs where the golden forward pass or
// the RTL (ws/os engines with the output stage) differ from onnxruntime (every one must be 0).
import type { Int8ConformanceResult, Int8ModelsResult } from '../flows/bench-schema.js';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { model, type Int8ModelReport } from '../api/index.js';
import { quantizeToQOperator, type QuantizeOptions } from '../../golden/nn/qexport.js';
import { gather, splitIds, testSample } from '../../golden/nn/mnist.js';
import { floatTestAccuracy } from '../../golden/nn/eval.js';
import { loadModel } from '../nn/zoo.js';
import { conformanceCells, runCell } from '../nn/int8-cells.js';
import { log, type Data } from './env.js';

export async function int8Conformance(): Promise<Data<Int8ConformanceResult>> {
  const ort = (await import('onnxruntime-node')) as { env?: { versions?: Record<string, string> } };
  const cells = [];
  for (const [i, c] of conformanceCells().entries()) {
    const r = await runCell(c, 20, 1000 + i);
    log(`${r.name}: ${r.values} outputs, golden differs ${r.goldenDiffers}, RTL differs ${r.rtlDiffers}`);
    cells.push(r);
  }
  return {
    onnxruntime: `onnxruntime-node ${ort.env?.versions?.node ?? '1.30.0'}, CPU provider, default session options`,
    modelsPerCell: 20,
    cells,
  };
}

type Int8Run = {
  name: 'lenet-300-100' | 'lenet-5';
  design: 'ws' | 'os' | 'rs';
  config: string;
  o: QuantizeOptions;
  images: number;
};

/** The runs: each model on ws-16x16 (int8 activations), ws-16x16-int8, os-16x16-int8 (QDQ) and rs-4x4-int8. */
function int8Plan(images: number): Int8Run[] {
  const pc = (activations: 'int8' | 'uint8', format: 'qoperator' | 'qdq') => ({
    perChannel: true,
    activations,
    format,
  });
  return (['lenet-300-100', 'lenet-5'] as const).flatMap((name): Int8Run[] => [
    { name, design: 'ws', config: 'ws-16x16', o: pc('int8', 'qoperator'), images },
    { name, design: 'ws', config: 'ws-16x16-int8', o: pc('uint8', 'qoperator'), images },
    { name, design: 'os', config: 'os-16x16-int8', o: pc('uint8', 'qdq'), images },
    // rs runs FC layers at a few percent utilization (1 x 1 images): LeNet-300-100 on 400 images.
    {
      name,
      design: 'rs',
      config: 'rs-4x4-int8',
      o: pc('uint8', 'qoperator'),
      images: name === 'lenet-5' ? images : 400,
    },
  ]);
}

/**
 * `npm run bench -- int8-models`: the built-in models quantized by accelforge
 * (per-channel weights; QOperator and QDQ) on all 2,000 test images, on
 * ws-16x16 (int8 activations), ws-16x16-int8, os-16x16-int8 and rs-4x4-int8 (uint8): RTL
 * cycles, simulation and wall seconds (issue 29's goal: LeNet-300-100 on
 * ws-16x16 under 30 s of simulation), accuracy beside onnxruntime's and
 * float, and the values that differ from onnxruntime (every one must be 0).
 */
export async function int8Models(): Promise<Data<Int8ModelsResult>> {
  const images = 2000;
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-int8-'));
  const plan = int8Plan(images);
  const runs = [];
  try {
    for (const p of plan) {
      const g = await loadModel(p.name);
      const cal = splitIds().train.slice(0, 500);
      const file = join(dir, `${p.name}-${p.o.format}-${p.o.activations}.onnx`);
      writeFileSync(file, quantizeToQOperator(g, gather(cal), cal.length, p.o).bytes);
      const r = (await model(file, {
        design: p.design,
        config: p.config,
        images: p.images,
        quiet: true,
      })) as Int8ModelReport;
      const differ = r.tensors.reduce((s, t) => s + t.differFromOnnxruntime, 0);
      log(
        `${p.name} ${p.config} ${p.o.format}: simulation ${r.simSeconds.toFixed(1)} s, wall ${r.wallSeconds.toFixed(1)} s, ${differ} values differ`,
      );
      runs.push({
        model: p.name,
        images: p.images,
        design: p.design,
        config: p.config,
        format: p.o.format!,
        weights: p.o.perChannel ? 'per-channel' : 'per-tensor',
        activations: p.o.activations,
        cycles: r.cycles,
        simSeconds: r.simSeconds,
        wallSeconds: r.wallSeconds,
        accuracy: r.accuracy,
        onnxruntimeAccuracy: r.onnxruntimeAccuracy,
        floatAccuracy: floatTestAccuracy(g, testSample(p.images)),
        values: r.tensors.reduce((s, t) => s + t.values, 0),
        differFromOnnxruntime: differ,
        layers: r.layers.map((l) => ({
          name: l.name,
          cycles: l.cycles,
          utilization: l.utilization,
          differFromOnnxruntime: l.differFromOnnxruntime,
        })),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { images, runs };
}
