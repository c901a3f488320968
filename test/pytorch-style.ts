// An ONNX file shaped like torch.onnx.export's output (opset 17) for
//   nn.Sequential(Conv2d(1, 4, 3, padding=1), ReLU(), MaxPool2d(2),
//                 Flatten() or view(-1, 784), Linear(784, 32), ReLU(), Linear(32, 10))
// with PyTorch's naming ('/0/Conv', 'input.1', '0.weight'), its explicit
// attributes (dilations, group, ceil_mode, Gemm alpha/beta), a symbolic
// batch dimension and a Constant shape for Reshape. PyTorch cannot run here
// (no PyPI); this reproduces what its exporter writes.
import onnxProto from 'onnx-proto';
import { Rng } from '../nn/train.js';

const { onnx } = onnxProto;
const F = onnx.TensorProto.DataType.FLOAT, I64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

export function pytorchStyleOnnx(reshape = false): Uint8Array {
  const rng = new Rng(11);
  const w = (name: string, dims: number[], sd: number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n).map(() => rng.normal() * sd);
    return { name, dims, dataType: F, rawData: new Uint8Array(data.buffer) };
  };
  const ints = (name: string, v: number[]) => ({ name, type: A.INTS, ints: v });
  const int = (name: string, v: number) => ({ name, type: A.INT, i: v });
  const flt = (name: string, v: number) => ({ name, type: A.FLOAT, f: v });
  const shape = new Uint8Array(16);
  new DataView(shape.buffer).setBigInt64(0, -1n, true);
  new DataView(shape.buffer).setBigInt64(8, 784n, true);
  const flatten = reshape
    ? [
        { name: '/Constant', opType: 'Constant', output: ['/Constant_output_0'], attribute: [{ name: 'value', type: A.TENSOR, t: { dims: [2], dataType: I64, rawData: shape } }] },
        { name: '/Reshape', opType: 'Reshape', input: ['/2/MaxPool_output_0', '/Constant_output_0'], output: ['/3/Flatten_output_0'] },
      ]
    : [{ name: '/3/Flatten', opType: 'Flatten', input: ['/2/MaxPool_output_0'], output: ['/3/Flatten_output_0'], attribute: [int('axis', 1)] }];
  const model = {
    irVersion: 8,
    producerName: 'pytorch',
    producerVersion: '2.1.0',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'main_graph',
      node: [
        { name: '/0/Conv', opType: 'Conv', input: ['input.1', '0.weight', '0.bias'], output: ['/0/Conv_output_0'], attribute: [ints('dilations', [1, 1]), int('group', 1), ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [1, 1])] },
        { name: '/1/Relu', opType: 'Relu', input: ['/0/Conv_output_0'], output: ['/1/Relu_output_0'] },
        { name: '/2/MaxPool', opType: 'MaxPool', input: ['/1/Relu_output_0'], output: ['/2/MaxPool_output_0'], attribute: [int('ceil_mode', 0), ints('kernel_shape', [2, 2]), ints('pads', [0, 0, 0, 0]), ints('strides', [2, 2])] },
        ...flatten,
        { name: '/4/Gemm', opType: 'Gemm', input: ['/3/Flatten_output_0', '4.weight', '4.bias'], output: ['/4/Gemm_output_0'], attribute: [flt('alpha', 1), flt('beta', 1), int('transB', 1)] },
        { name: '/5/Relu', opType: 'Relu', input: ['/4/Gemm_output_0'], output: ['/5/Relu_output_0'] },
        { name: '/6/Gemm', opType: 'Gemm', input: ['/5/Relu_output_0', '6.weight', '6.bias'], output: ['17'], attribute: [flt('alpha', 1), flt('beta', 1), int('transB', 1)] },
      ],
      initializer: [w('0.weight', [4, 1, 3, 3], 0.5), w('0.bias', [4], 0.1), w('4.weight', [32, 784], 0.05), w('4.bias', [32], 0.1), w('6.weight', [10, 32], 0.25), w('6.bias', [10], 0.1)],
      input: [{ name: 'input.1', type: { tensorType: { elemType: F, shape: { dim: [{ dimParam: 'batch_size' }, { dimValue: 1 }, { dimValue: 28 }, { dimValue: 28 }] } } } }],
      output: [{ name: '17', type: { tensorType: { elemType: F, shape: { dim: [{ dimParam: 'batch_size' }, { dimValue: 10 }] } } } }],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model as never)).finish();
}
