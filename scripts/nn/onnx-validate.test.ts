// Semantic validation of imported models (issue 32): the crafted files of
// the second reliability campaign are refused by node, tensor and rule
// before anything is allocated, and Gemm alpha and beta are honoured.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../golden/common/errors.js';
import { decodeOnnx } from '../../golden/nn/onnx.js';
import { checkMnistClassifier, maxTensorElements } from '../../golden/nn/check-graph.js';
import { forward } from '../../golden/nn/forward.js';
import {
  crafted,
  floats,
  graphs,
  init,
  node,
  onnx,
  setFloat,
  setFloats,
  setInts,
  type NodeProto,
} from '../../testbenches/support/onnx-craft.js';

const refused = (bytes: Uint8Array, message: RegExp) => {
  const run = () => checkMnistClassifier(decodeOnnx(bytes, 'x.onnx'), 'x.onnx');
  expect(run).toThrow(InputError);
  expect(run).toThrow(message);
};

describe('ONNX semantic validation (regressions)', () => {
  it('refuses initializer dims that are huge, negative, zero or too many elements, before allocating', () => {
    for (const dims of [
      [1e9, 784],
      [-1, 784],
      [2 ** 63 - 1, 1],
      [0, 784],
    ])
      refused(
        crafted('lenet-300-100', (m) => (init(m, 'fc1.weight').dims = dims)),
        /initializer 'fc1.weight' has dims .*(every dim must be a positive integer|elements)/,
      );
    refused(
      crafted('lenet-300-100', (m) => {
        const t = init(m, 'fc1.weight');
        t.dims = [1e9];
        t.rawData = new Uint8Array(0);
      }),
      new RegExp(`at most ${maxTensorElements} elements`),
    );
  });

  it('refuses NaN and infinite weights, and a DOUBLE weight without data', () => {
    for (const bad of [NaN, Infinity])
      refused(
        crafted('lenet-300-100', (m) => {
          const t = init(m, 'fc2.bias');
          const v = floats(t);
          v[3] = bad;
          setFloats(t, v);
        }),
        /initializer 'fc2.bias' holds (NaN|Infinity) at element 3; every weight must be a finite number/,
      );
    refused(
      crafted('lenet-300-100', (m) => {
        const t = init(m, 'fc3.bias');
        t.dataType = onnx.TensorProto.DataType.DOUBLE;
        t.rawData = new Uint8Array(0);
      }),
      /initializer 'fc3.bias' has 0 values; its shape \[10\] needs 10/,
    );
  });

  it('refuses biases of the wrong length, a 3-D Conv weight and a 1-D MatMul weight', () => {
    refused(
      crafted('lenet-300-100', (m) => {
        const t = init(m, 'fc2.bias');
        t.dims = [99];
        setFloats(t, new Float32Array(99));
      }),
      /node 'fc2' \(Gemm\) has bias 'fc2.bias' of shape \[99\] \(99 values\); it needs 1 or 100/,
    );
    refused(
      crafted('lenet-5', (m) => {
        const t = init(m, 'conv1.bias');
        t.dims = [5];
        setFloats(t, new Float32Array(5));
      }),
      /node 'conv1' \(Conv\) has bias 'conv1.bias' of shape \[5\]; it needs \[6\]/,
    );
    refused(
      crafted('lenet-5', (m) => {
        const t = init(m, 'conv1.weight');
        t.dims = [6, 1, 25];
      }),
      /node 'conv1' \(Conv\) has weight 'conv1.weight' of shape \[6, 1, 25\]; a 4-D weight is needed/,
    );
    // MatMul + Add, as PyTorch exports nn.Linear without transB: a 1-D weight, then a bad bias.
    const matmul = (wDims: number[], biasLen: number) =>
      crafted('lenet-300-100', (m) => {
        const g = node(m, 'Gemm', 2);
        const w = init(m, 'fc3.weight');
        w.dims = wDims;
        g.opType = 'MatMul';
        g.attribute = [];
        const out = g.output![0]!;
        g.input = [g.input![0]!, 'fc3.weight'];
        g.output = ['mm'];
        m.graph!.node!.push({ name: 'bias3', opType: 'Add', input: ['mm', 'fc3.bias'], output: [out] });
        const b = init(m, 'fc3.bias');
        b.dims = [biasLen];
        setFloats(b, new Float32Array(biasLen));
      });
    refused(matmul([1000], 10), /node 'fc3' \(MatMul\) has weight 'fc3.weight' of shape \[1000\]; a 2-D weight/);
    refused(matmul([100, 10], 7), /node 'bias3' \(Add\) adds 'fc3.bias' of shape \[7\] to \[1, 10\]/);
    // The same pair with a good bias is accepted and runs.
    const ok = decodeOnnx(matmul([100, 10], 10), 'ok.onnx');
    expect(ok.nodes.map((n) => n.op)).toContain('MatMul');
  });

  it('refuses Conv strides 0, pads out of range, kernels larger than the input and bad pooling', () => {
    const conv = (f: (n: NodeProto) => void) => crafted('lenet-5', (m) => f(node(m, 'Conv')));
    refused(
      conv((n) => setInts(n, 'strides', [0, 1])),
      /node 'conv1' \(Conv\) has strides = \[0,1\]; it needs two integers of at least 1/,
    );
    refused(
      conv((n) => setInts(n, 'pads', [100000, 0, 0, 0])),
      /pad 0 = 100000 must be 0..4/,
    );
    refused(
      conv((n) => setInts(n, 'pads', [-1, 0, 0, 0])),
      /pad 0 = -1 must be 0..4/,
    );
    refused(
      crafted('lenet-5', (m) => {
        const t = init(m, 'conv1.weight');
        t.dims = [6, 1, 40, 40];
        setFloats(t, new Float32Array(6 * 40 * 40));
        setInts(node(m, 'Conv'), 'kernel_shape', [40, 40]);
      }),
      /node 'conv1' \(Conv\) has a 40 x 40 kernel, larger than its 28 x 28 input/,
    );
    const pool = (key: string, v: number[]) => crafted('lenet-5', (m) => setInts(node(m, 'MaxPool'), key, v));
    refused(
      pool('kernel_shape', [0, 2]),
      /\(MaxPool\) has kernel_shape = \[0,2\]; it needs two integers of at least 1/,
    );
    refused(pool('strides', [2, 0]), /\(MaxPool\) has strides = \[2,0\]/);
  });

  it('refuses Flatten axis 99 and models that are not 10-class MNIST classifiers', () => {
    refused(
      crafted('lenet-5', (m) => {
        const f = node(m, 'Flatten');
        f.attribute = [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 99 }];
      }),
      /node '.*' \(Flatten\) has axis = 99; allowed: -4..4/,
    );
    for (const outputs of [1, 1000])
      refused(
        crafted('lenet-300-100', (m) => {
          const w = init(m, 'fc3.weight'),
            b = init(m, 'fc3.bias');
          w.dims = [outputs, 100];
          setFloats(w, new Float32Array(outputs * 100));
          b.dims = [outputs];
          setFloats(b, new Float32Array(outputs));
        }),
        new RegExp(
          `output 'logits' has shape \\[N, ${outputs}\\] \\(${outputs} values per image\\); an MNIST classifier has 10`,
        ),
      );
  });

  it('honours Gemm alpha and beta (folded into the weight and bias)', () => {
    const g = graphs['lenet-300-100'];
    const x = new Float32Array(2 * 784).map((_, i) => (i % 7) / 7);
    const base = forward(g, x, 2).data;
    const scaled = decodeOnnx(
      crafted('lenet-300-100', (m) => {
        setFloat(node(m, 'Gemm', 2), 'alpha', -1);
        setFloat(node(m, 'Gemm', 2), 'beta', 0);
      }),
      'a.onnx',
    );
    const fc3 = scaled.nodes.find((n) => n.name === 'fc3')!;
    expect(fc3.attrs).not.toHaveProperty('alpha');
    const y = forward(scaled, x, 2).data;
    // logits' = -(h W^T): the bias is gone, the product negated.
    const b = g.initializers.get('fc3.bias')!.data;
    for (let i = 0; i < y.length; i++) expect(y[i]).toBeCloseTo(-(base[i]! - b[i % 10]!), 4);
  });
});
