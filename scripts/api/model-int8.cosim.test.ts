// Standard int8 ONNX models on the RTL (`model FILE.onnx`): QOperator and QDQ
// files as accelforge's quantize writes them, uint8 and int8 activations,
// per-channel and per-tensor weights, each QLinear layer run on ws or os with
// requantization in the output stage; every value of every quantized tensor
// equals onnxruntime's and every layer the golden pass (checked as it runs),
// with cycles and counters equal to the exact models. npm test: quickly
// trained networks, a few images, a small array (int8TestConfig);
// test:full: the trained models, all 2,000 test images on ws-16x16-int8 and
// os-16x16-int8 (and ws-16x16 with int8 activations; rs-4x4-int8), and
// accuracy within 0.5 points of float (issue 29's goals).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { quantizeToQOperator, type QuantizeOptions } from '../../golden/nn/qexport.js';
import { gather, splitIds } from '../../golden/nn/mnist.js';
import { floatTestAccuracy } from '../../golden/nn/eval.js';
import { model, type Int8ModelReport } from './index.js';
import { loadModel } from '../nn/zoo.js';
import { cli } from '../../testbenches/support/cli.js';
import { int8TestConfig, quickNet } from '../../testbenches/support/nets.js';

const full = Boolean(process.env.ACCELFORGE_FULL);
const dir = mkdtempSync(join(tmpdir(), 'af-model-int8-'));
const smallCfg = join(dir, 'int8-3x5.json');
writeFileSync(smallCfg, JSON.stringify(int8TestConfig));

async function int8File(name: 'lenet-300-100' | 'lenet-5', o: QuantizeOptions) {
  const g = full ? await loadModel(name) : quickNet(name);
  const cal = splitIds().train.slice(0, 500);
  const file = join(dir, `${name}-${o.format}-${o.activations}-${o.perChannel ? 'pc' : 'pt'}.onnx`);
  writeFileSync(file, quantizeToQOperator(g, gather(cal), cal.length, o).bytes);
  return { g, file };
}

const cases = [
  { design: 'ws', config: 'ws-16x16-int8', o: { perChannel: true, activations: 'uint8', format: 'qoperator' } },
  { design: 'os', config: 'os-16x16-int8', o: { perChannel: true, activations: 'uint8', format: 'qdq' } },
  { design: 'ws', config: 'ws-16x16', o: { perChannel: false, activations: 'int8', format: 'qoperator' } },
  { design: 'os', config: 'os-16x16-int8', o: { perChannel: false, activations: 'uint8', format: 'qoperator' } },
  // rs requantizes in write-back (its output stage); FC layers as 1 x 1 images of K channels.
  { design: 'rs', config: 'rs-4x4-int8', o: { perChannel: true, activations: 'uint8', format: 'qoperator' } },
] as const;
// npm test: ws (QOperator) and os (QDQ) (rs's output stage: testbenches/rs/sim.cosim.test.ts); test:full every case.
const quick = [cases[0], cases[1]];

// npm test: LeNet-5 (convolutions and FC layers); test:full both networks.
describe.each(full ? (['lenet-300-100', 'lenet-5'] as const) : (['lenet-5'] as const))('%s int8 on the RTL', (name) => {
  it.each(full ? cases : quick)(
    'equals onnxruntime on every value of every layer: $design $config $o',
    async ({ design, config, o }) => {
      const { g, file } = await int8File(name, o);
      // rs runs FC layers at a few percent utilization: LeNet-300-100 on 400 images there in test:full.
      const rsFc = design === 'rs' && name === 'lenet-300-100';
      const images = full ? (rsFc ? 400 : 2000) : design === 'rs' ? 6 : name === 'lenet-5' ? 12 : 40;
      const r = (await model(file, {
        design,
        config: full || design === 'rs' ? config : smallCfg,
        images,
        quiet: true,
      })) as Int8ModelReport;
      expect(r.schema).toBe('accelforge.model-int8/1');
      expect(r.format).toBe(o.format);
      expect(r.layers.map((l) => l.name)).toEqual(
        name === 'lenet-5' ? ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'] : ['fc1', 'fc2', 'fc3'],
      );
      for (const l of r.layers) {
        expect(l.values, l.name).toBe(images * l.gemm.rowsPerImage * l.gemm.n);
        expect(l.differFromOnnxruntime, l.name).toBe(0);
        expect(l.cycles, l.name).toBeGreaterThan(0);
        expect(l.quantization.weights.granularity).toBe(o.perChannel ? 'per-channel' : 'per-tensor');
        expect(l.quantization.output.type).toBe(o.activations);
      }
      // Every quantized tensor onnxruntime exposes (the input's quantization, pools, reshapes too).
      expect(r.tensors.length).toBeGreaterThanOrEqual(r.layers.length + 1);
      for (const t of r.tensors) expect(t.differFromOnnxruntime, t.name).toBe(0);
      expect(r.predictions).toEqual(r.onnxruntimePredictions);
      if (full && o.perChannel && images === 2000)
        expect(r.accuracy).toBeGreaterThanOrEqual(floatTestAccuracy(g) - 0.005);
    },
  );
});

describe('model with an int8 file: refusals', () => {
  it('names the config key when the operands or the output stage do not fit', async () => {
    const { file } = await int8File('lenet-5', { perChannel: true, activations: 'uint8', format: 'qoperator' });
    // uint8 activations on an 8-bit signed array.
    const a = await cli(['model', file, '--design', 'ws', '--config', 'ws-16x16', '--images', '2']);
    expect(a.code, a.stderr).toBe(2);
    expect(a.stderr).toMatch(
      /node 'conv1' \(QLinearConv\): its uint8 input span 0 \.\. 255, which config key 'dataWidth' 8/,
    );
    // No output stage.
    const b = await cli(['model', file, '--design', 'os', '--config', 'os-4x4', '--images', '2']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/output stage .*quantDepth > 0/);
    // Nor does rs without its requant option.
    const c = await cli(['model', file, '--design', 'rs', '--config', 'rs-4x4', '--images', '2']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/output stage/);
    // --conv chooses among float models' mappings: an int8 file's QLinearConv runs as a requantized GEMM.
    const d = await cli(['model', file, '--design', 'ws', '--config', 'ws-16x16-int8', '--conv', 'native']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('is int8; its QLinearConv layers run as im2col GEMMs requantized in the output stage');
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
