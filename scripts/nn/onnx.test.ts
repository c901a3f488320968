// ONNX in and out: a round trip keeps every weight and attribute; the
// project's float forward pass agrees with onnxruntime (an independent
// runtime) to 1e-4 on real test images; bad files are refused by name.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as ort from 'onnxruntime-node';
import { InputError } from '../../golden/common/errors.js';
import { decodeOnnx, encodeOnnx } from '../../golden/nn/onnx.js';
import { readOnnx } from './onnx-file.js';
import { forward } from '../../golden/nn/forward.js';
import { ortMaxAbsDiff } from './ort-agreement.js';
import { initNet, makeNet } from '../../golden/nn/train.js';
import { netToGraph } from '../../golden/nn/net-graph.js';
import { gather, testSample } from '../../golden/nn/mnist.js';
import type { Graph } from '../../golden/nn/graph.js';

const models = (['lenet-300-100', 'lenet-5'] as const).map((name) => {
  const net = makeNet(name);
  initNet(net, 7);
  return netToGraph(net);
});

async function ortRun(bytes: Uint8Array, g: Graph, x: Float32Array, batch: number): Promise<Float32Array> {
  const sess = await ort.InferenceSession.create(bytes);
  const out = await sess.run({ [g.input.name]: new ort.Tensor('float32', x, [batch, ...g.input.dims.slice(1)]) });
  return out[g.output]!.data as Float32Array;
}

describe('ONNX', () => {
  for (const g of models) {
    it(`${g.name}: round trip keeps the graph; forward agrees with onnxruntime on 20 test images`, async () => {
      const bytes = encodeOnnx(g, 'test');
      const back = decodeOnnx(bytes, 'memory');
      expect(back.nodes.map((n) => [n.op, n.inputs, n.outputs, n.attrs])).toEqual(
        g.nodes.map((n) => [n.op, n.inputs, n.outputs, n.attrs]),
      );
      expect([...back.initializers.keys()]).toEqual([...g.initializers.keys()]);
      for (const [k, t] of g.initializers) expect(back.initializers.get(k)!.data).toEqual(t.data);
      expect(back.input).toEqual(g.input);
      const ids = testSample(20);
      const x = gather(ids);
      const ours = forward(back, x, ids.length).data;
      const theirs = await ortRun(bytes, g, x, ids.length);
      let diff = 0;
      for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(ours[i]! - theirs[i]!));
      expect(ours.length).toBe(ids.length * 10);
      expect(diff).toBeLessThan(1e-4);
    });
  }

  it('refuses an unknown operator (op and node named), a truncated file, a folder and a missing initializer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-onnx-'));
    const g = models[0]!;
    const soft: Graph = {
      ...g,
      nodes: [...g.nodes, { op: 'Softmax' as never, name: 'probs', inputs: [g.output], outputs: ['p'], attrs: {} }],
      output: 'p',
    };
    expect(() => decodeOnnx(encodeOnnx(soft), 'soft.onnx')).toThrow(
      /node 'probs' uses operator 'Softmax', which accelforge does not support/,
    );
    const bytes = encodeOnnx(g);
    writeFileSync(join(dir, 'cut.onnx'), bytes.slice(0, Math.floor(bytes.length / 2)));
    expect(() => readOnnx(join(dir, 'cut.onnx'))).toThrow(InputError);
    expect(() => readOnnx(join(dir, 'cut.onnx'))).toThrow(/not a valid ONNX file|truncated|reads/);
    mkdirSync(join(dir, 'folder.onnx'));
    expect(() => readOnnx(join(dir, 'folder.onnx'))).toThrow(/is a folder/);
    const missing = { ...g, initializers: new Map([...g.initializers].filter(([k]) => k !== 'fc2.weight')) };
    expect(() => decodeOnnx(encodeOnnx(missing), 'm.onnx')).toThrow(
      /reads 'fc2.weight', which is neither an initializer nor an earlier node's output/,
    );
    expect(() => readOnnx(join(dir, 'none.onnx'))).toThrow(/no such file/);
    writeFileSync(join(dir, 'text.onnx'), 'not a model at all');
    expect(() => readOnnx(join(dir, 'text.onnx'))).toThrow(InputError);
  });
});

describe('a PyTorch-style export', () => {
  for (const reshape of [false, true]) {
    it(`reads it (${reshape ? 'Constant + Reshape' : 'Flatten'}), agrees with onnxruntime and quantizes it`, async () => {
      const { pytorchStyleOnnx } = await import('../../golden/nn/fixtures/pytorch-style.js');
      const { quantize } = await import('../../golden/nn/quant.js');
      const bytes = pytorchStyleOnnx(reshape);
      const g = decodeOnnx(bytes, 'torch.onnx');
      expect(g.input).toEqual({ name: 'input.1', dims: [-1, 1, 28, 28] });
      expect(g.nodes.map((n) => n.op)).toEqual([
        'Conv',
        'Relu',
        'MaxPool',
        reshape ? 'Reshape' : 'Flatten',
        'Gemm',
        'Relu',
        'Gemm',
      ]);
      const ids = testSample(8);
      const x = gather(ids);
      const ours = forward(g, x, 8).data,
        theirs = await ortRun(bytes, g, x, 8);
      expect(Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i]!)))).toBeLessThan(1e-4);
      const q = quantize(g, { dataWidth: 8, accWidth: 32 }, x, 8);
      expect(q.layers.map((l) => [l.name, l.op, l.relu])).toEqual([
        ['/0/Conv', 'conv', true],
        ['/4/Gemm', 'fc', true],
        ['/6/Gemm', 'fc', false],
      ]);
      expect(q.layers[0]!.post).toEqual([
        { op: 'maxpool', k: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0], countPad: false },
        { op: 'flatten' },
      ]);
    });
  }
});

// The trained built-in models (trained on first use, 2-6 min each, then
// cached): their exported files agree with onnxruntime on all 2,000 test images.
describe.runIf(process.env.ACCELFORGE_FULL)('trained models against onnxruntime (test:full)', () => {
  for (const name of ['lenet-300-100', 'lenet-5'] as const) {
    it(`${name}: the exported file agrees on the 2,000 test images`, async () => {
      const { loadModel, builtinModelPath } = await import('./zoo.js');
      const { readFileSync } = await import('node:fs');
      const g = await loadModel(name);
      const diff = await ortMaxAbsDiff(readFileSync(await builtinModelPath(name)), g, testSample(2000));
      expect(diff).toBeLessThan(1e-4);
    }, 900_000);
  }
});
