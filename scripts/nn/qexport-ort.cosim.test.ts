// Post-training quantization written as standard QOperator and QDQ ONNX
// (golden/nn/qexport.ts, qdq.ts) for both built-in architectures, calibrated on
// training images: onnxruntime-node loads it (default session: its QDQ
// fusion on), and its every 8-bit tensor equals the golden integer forward
// pass on test images (a QDQ file read through the same fusion); the int8
// accuracy (onnxruntime's) on the 2,000 test images is beside the float one.
import { describe, expect, it } from 'vitest';
import { quantizeToQOperator } from '../../golden/nn/qexport.js';
import { decodeQOnnx } from '../../golden/nn/qonnx.js';
import { qForward } from '../../golden/nn/qonnx-forward.js';
import { argmaxRows, forward } from '../../golden/nn/forward.js';
import { gather, loadMnist, splitIds } from '../../golden/nn/mnist.js';
import { loadModel } from './zoo.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../../testbenches/support/cli.js';
import { quickNet, quickOnnx } from '../../testbenches/support/nets.js';

const calibrationIds = () => splitIds().train.slice(0, 500);
// npm test: the architectures trained for one short epoch (seconds; testbenches/support/nets.ts);
// test:full: the built-in models fully trained (minutes the first time), and the accuracy goal.
const full = Boolean(process.env.ACCELFORGE_FULL);

describe.each(['lenet-300-100', 'lenet-5'] as const)('%s as a QOperator int8 model', (name) => {
  it.each([
    { perChannel: true, activations: 'uint8', format: 'qoperator' },
    { perChannel: false, activations: 'int8', format: 'qoperator' },
    // QDQ with uint8 activations: onnxruntime on x86 turns int8 QDQ activations into uint8 and its
    // u8s8 kernels can saturate a pair of products without VNNI (measured here: 3 of 691,200 conv1
    // outputs of LeNet-5 differ), so that combination is not exact on every CPU (docs/models.md).
    { perChannel: true, activations: 'uint8', format: 'qdq' },
    { perChannel: false, activations: 'uint8', format: 'qdq' },
  ] as const)('onnxruntime equals the golden on every tensor; accuracy beside float (%o)', async (o) => {
    const g = full ? await loadModel(name) : quickNet(name);
    const cal = calibrationIds();
    const { bytes, tensors } = quantizeToQOperator(g, gather(cal), cal.length, o, true);
    const ort = await import('onnxruntime-node');
    const sess = await ort.InferenceSession.create(bytes);
    const test = splitIds().test;
    const labels = loadMnist().labels;
    // Every tensor on 200 test images (all 2,000 in test:full).
    const check = full ? test : test.slice(0, 200);
    const x = gather(check);
    const theirs = await sess.run({ [g.input.name]: new ort.Tensor('float32', x, [check.length, 1, 28, 28]) });
    const ours = qForward(decodeQOnnx(bytes, name), x, check.length);
    for (const t of tensors) {
      const a = Array.from(theirs[t]!.data as ArrayLike<number>),
        b = ours.get(t)!.data;
      const diff = a.filter((v, i) => v !== b[i]).length;
      expect(diff, `${t}: ${diff} of ${a.length} values differ from onnxruntime`).toBe(0);
    }
    // Accuracy, onnxruntime's int8 run against the float model: on the images checked above
    // (in test:full, the whole test split).
    const q = argmaxRows(theirs[g.output]!.data as Float32Array, check.length);
    const f = argmaxRows(forward(g, x, check.length).data, check.length);
    const acc = (p: number[]) => p.filter((v, i) => v === labels[check[i]!]).length / check.length;
    console.log(
      `${name} ${JSON.stringify(o)}: int8 ${(100 * acc(q)).toFixed(2)} %, float ${(100 * acc(f)).toFixed(2)} %`,
    );
    // Goal of issue 29 (the trained models, test:full): int8 within 0.5 points of float.
    if (full) expect(acc(q)).toBeGreaterThanOrEqual(acc(f) - 0.005);
    else expect(acc(q)).toBeGreaterThan(acc(f) - 0.05);
  });
});

describe('accelforge quantize', () => {
  it('writes a QOperator model onnxruntime loads, refuses what it does not write, and model says where it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-quantize-'));
    try {
      const file = join(dir, 'l300.onnx');
      // A quickly trained float model as a file (a built-in name would train it fully first).
      const float = join(dir, 'float.onnx');
      writeFileSync(float, quickOnnx('lenet-300-100'));
      const r = await cli(['quantize', float, '--out', file, '--per-channel', '--activations', 'int8']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /int8 QOperator model \(per-channel weights, int8 activations, calibrated on 500 training images\).*test accuracy int8 \d+\.\d\d %, float \d+\.\d\d %/,
      );
      const ort = await import('onnxruntime-node');
      const s = await ort.InferenceSession.create(readFileSync(file));
      expect(s.inputNames).toEqual(['input']);
      expect(decodeQOnnx(readFileSync(file), file).nodes.map((n) => n.op)).toContain('QLinearConv');
      for (const bad of [
        ['--format', 'qonnx'],
        ['--activations', 'int16'],
      ]) {
        const b = await cli(['quantize', float, '--out', join(dir, 'x.onnx'), ...bad]);
        expect(b.code, bad.join(' ')).toBe(2);
        expect(b.stderr).toMatch(new RegExp(`${bad[1]}.*Allowed choices`));
      }
      const m = await cli(['model', file, '--design', 'ws', '--config', 'ws-4x4', '--images', '2']);
      expect(m.code).toBe(2);
      expect(m.stderr).toMatch(
        /is an int8 model: it runs on a design with an output stage .*config key 'quantDepth' is 0/,
      );
      // A float-only use of the file names what it needs.
      const c = await cli(['compress', file, '--out', join(dir, 'c')]);
      expect(c.code).toBe(2);
      expect(c.stderr).toMatch(/is an int8 model \(QOperator or QDQ\).*needs the float \.onnx/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
