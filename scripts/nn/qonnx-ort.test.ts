// QOperator models (golden/nn/qonnx.ts) against onnxruntime: a LeNet-5
// shaped int8 graph (QuantizeLinear, QLinearConv with padding, bias and
// per-channel weight scales, MaxPool on 8-bit values, Flatten,
// QLinearMatMul, DequantizeLinear) built here with random weights, run by
// onnxruntime-node with every intermediate tensor as a graph output; the
// golden integer forward pass must equal each tensor element for element.
// And the refusals: each names the node, the tensor and what is supported.
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { decodeQOnnx } from '../../golden/nn/qonnx.js';
import { qForward } from '../../golden/nn/qonnx-forward.js';
import { qoperatorToQdq } from '../../golden/nn/qdq.js';
import { Random } from '../../golden/common/random.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

const f32s = (v: number[]) => new Uint8Array(new Float32Array(v).buffer);
const i8s = (v: number[]) => new Uint8Array(new Int8Array(v).buffer);
const i32s = (v: number[]) => new Uint8Array(new Int32Array(v).buffer);

interface Options {
  act: 'uint8' | 'int8';
  perChannel: boolean;
}

/** A LeNet-5 shaped QOperator graph with random weights; returns the model and the names of every tensor. */
function lenetQ(o: Options, rng: Random) {
  const inits: object[] = [];
  const nodes: object[] = [];
  const act = o.act === 'uint8' ? DT.UINT8 : DT.INT8;
  const actBytes = (v: number[]) => (o.act === 'uint8' ? new Uint8Array(v) : i8s(v));
  const zp = () => (o.act === 'uint8' ? rng.int(100, 140) : rng.int(-10, 10));
  const add = (name: string, type: number, dims: number[], raw: Uint8Array) => {
    inits.push({ name, dataType: type, dims, rawData: raw });
    return name;
  };
  const q = (name: string, scale: number) => [
    add(`${name}_s`, DT.FLOAT, [], f32s([scale])),
    add(`${name}_z`, act, [], actBytes([zp()])),
  ];
  const weights = (name: string, dims: number[], channels: number, accStd: number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const scales = Array.from({ length: o.perChannel ? channels : 1 }, () => Math.fround(0.01 * (0.5 + rng.float())));
    return {
      w: add(name, DT.INT8, dims, i8s(Array.from({ length: n }, () => rng.int(-127, 127)))),
      s: add(`${name}_s`, DT.FLOAT, o.perChannel ? [channels] : [], f32s(scales)),
      z: add(`${name}_z`, DT.INT8, o.perChannel ? [channels] : [], i8s(Array<number>(scales.length).fill(0))),
      accStd,
      scales,
    };
  };
  const names = ['x_q', 'c1', 'p1', 'c2', 'p2', 'flat', 'f1', 'f2', 'y'];
  let prevScale = Math.fround(1 / 255);
  const [xs, xz] = q('x', prevScale);
  nodes.push({ opType: 'QuantizeLinear', name: 'quant', input: ['x', xs, xz], output: ['x_q'] });
  // The output scale of a layer: about 50 steps for a typical accumulator (so few values saturate).
  const outScale = (accStd: number, wScale: number) => Math.fround((prevScale * wScale * accStd) / 50);
  const convLayer = (name: string, input: string, dims: number[], pads: number[]) => {
    const w = weights(`${name}_w`, dims, dims[0]!, 60 * 70 * Math.sqrt(dims[1]! * dims[2]! * dims[3]!));
    const ys = outScale(w.accStd, w.scales[0]!);
    const [s, z] = q(`${name}_y`, ys);
    const bias = add(
      `${name}_b`,
      DT.INT32,
      [dims[0]!],
      i32s(Array.from({ length: dims[0]! }, () => rng.int(-2000, 2000))),
    );
    nodes.push({
      opType: 'QLinearConv',
      name,
      input: [
        input,
        `${input === 'x_q' ? 'x' : input}_s_in`,
        `${input === 'x_q' ? 'x' : input}_z_in`,
        w.w,
        w.s,
        w.z,
        s,
        z,
        bias,
      ],
      output: [name],
      attribute: [{ name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: pads }],
    });
    prevScale = ys;
    return [s, z];
  };
  // Each QLinear node reads its input's scale and zero point: alias them by name.
  const alias = (t: string, s: string, z: string) => {
    const find = (n: string) =>
      inits.find((x) => (x as { name: string }).name === n) as { rawData: Uint8Array; dataType: number };
    add(`${t}_s_in`, DT.FLOAT, [], find(s).rawData);
    add(`${t}_z_in`, act, [], find(z).rawData);
  };
  alias('x', xs!, xz!);
  const [c1s, c1z] = convLayer('c1', 'x_q', [6, 1, 5, 5], [2, 2, 2, 2]);
  const pool = (name: string, input: string) =>
    nodes.push({
      opType: 'MaxPool',
      name,
      input: [input],
      output: [name],
      attribute: [
        { name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [2, 2] },
        { name: 'strides', type: onnx.AttributeProto.AttributeType.INTS, ints: [2, 2] },
      ],
    });
  pool('p1', 'c1');
  alias('p1', c1s!, c1z!);
  const [c2s, c2z] = convLayer('c2', 'p1', [16, 6, 5, 5], [0, 0, 0, 0]);
  pool('p2', 'c2');
  nodes.push({ opType: 'Flatten', name: 'flat', input: ['p2'], output: ['flat'] });
  alias('flat', c2s!, c2z!);
  const fc = (name: string, input: string, k: number, n: number) => {
    const w = weights(`${name}_w`, [k, n], n, 60 * 70 * Math.sqrt(k));
    const ys = outScale(w.accStd, w.scales[0]!);
    const [s, z] = q(`${name}_y`, ys);
    nodes.push({
      opType: 'QLinearMatMul',
      name,
      input: [input, `${input}_s_in`, `${input}_z_in`, w.w, w.s, w.z, s, z],
      output: [name],
    });
    prevScale = ys;
    return [s, z];
  };
  const [f1s, f1z] = fc('f1', 'flat', 400, 32);
  alias('f1', f1s!, f1z!);
  const [f2s, f2z] = fc('f2', 'f1', 32, 10);
  nodes.push({ opType: 'DequantizeLinear', name: 'dequant', input: ['f2', f2s, f2z], output: ['y'] });
  const vi = (name: string, type: number) => ({ name, type: { tensorType: { elemType: type } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'lenet-q',
      node: nodes,
      initializer: inits,
      input: [
        {
          name: 'x',
          type: {
            tensorType: {
              elemType: DT.FLOAT,
              shape: { dim: [{ dimValue: 4 }, { dimValue: 1 }, { dimValue: 28 }, { dimValue: 28 }] },
            },
          },
        },
      ],
      output: names.map((n) => vi(n, n === 'y' ? DT.FLOAT : act)),
    },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), names };
}

async function ortRun(bytes: Uint8Array, x: Float32Array) {
  const ort = await import('onnxruntime-node');
  const s = await ort.InferenceSession.create(bytes);
  return s.run({ x: new ort.Tensor('float32', x, [4, 1, 28, 28]) });
}

describe('QOperator models against onnxruntime', () => {
  it.each([
    { act: 'uint8', perChannel: true },
    { act: 'uint8', perChannel: false },
    { act: 'int8', perChannel: true },
  ] as const)('a LeNet-5 shaped int8 graph: every tensor equal (%o)', async (o) => {
    const rng = new Random(o.act === 'uint8' ? (o.perChannel ? 1 : 2) : 3);
    const { bytes, names } = lenetQ(o, rng);
    const x = Float32Array.from({ length: 4 * 28 * 28 }, () => rng.float());
    const theirs = await ortRun(bytes, x);
    const ours = qForward(decodeQOnnx(bytes, 'lenet-q'), x, 4);
    for (const n of names) {
      const t = Array.from(theirs[n]!.data as ArrayLike<number>);
      const v = ours.get(n)!;
      expect(v.dims, n).toEqual(theirs[n]!.dims.map(Number));
      const diff = t.filter((e, i) => e !== v.data[i]).length;
      expect(diff, `${n}: ${diff} of ${t.length} values differ`).toBe(0);
      // Not saturated flat: the layer's values spread.
      if (n !== 'y') expect(new Set(t).size, n).toBeGreaterThan(5);
    }
  });
});

describe('QOperator refusals name the node, the tensor and what is supported', () => {
  const base = () => onnx.ModelProto.decode(lenetQ({ act: 'uint8', perChannel: true }, new Random(9)).bytes);
  const refused = (edit: (m: ReturnType<typeof base>) => void) => {
    const m = base();
    edit(m);
    return () => decodeQOnnx(onnx.ModelProto.encode(m).finish(), 'm.onnx');
  };
  const init = (m: ReturnType<typeof base>, name: string) => m.graph!.initializer!.find((t) => t.name === name)!;
  const nodeOf = (m: ReturnType<typeof base>, name: string) => m.graph!.node!.find((n) => n.name === name)!;

  it('scales that are 0, negative or not finite', () => {
    for (const v of [0, -0.5, NaN, Infinity])
      expect(refused((m) => (init(m, 'c1_y_s').rawData = f32s([v])))).toThrow(
        /'m.onnx': node 'c1' \(QLinearConv\) tensor 'c1_y_s' \(output scale\) holds .*; supported: positive finite scales/,
      );
  });
  it('per-channel lengths that do not match, and block-wise scales', () => {
    expect(
      refused((m) => {
        const t = init(m, 'c1_w_s');
        t.dims = [5];
        t.rawData = f32s([0.1, 0.1, 0.1, 0.1, 0.1]);
      }),
    ).toThrow(/tensor 'c1_w_s' \(weight scale\) has shape \[5\]; supported: one value or 6 \(one per channel\)/);
    expect(refused((m) => (init(m, 'c1_w_z').dims = [2, 3]))).toThrow(
      /tensor 'c1_w_z' \(weight zero point\) has shape \[2,3\]; supported: the shape of its scale/,
    );
  });
  it('types other than int8 and uint8, and scales not constant', () => {
    expect(refused((m) => (init(m, 'c1_w').dataType = DT.INT16))).toThrow(
      /node 'c1' \(QLinearConv\) tensor 'c1_w' \(weight\) has type INT16; supported: INT8, UINT8/,
    );
    expect(refused((m) => (nodeOf(m, 'c2').input![1] = 'p1'))).toThrow(
      /node 'c2' \(QLinearConv\) reads its input scale 'p1' from another node; supported: a constant/,
    );
  });
  it('operators outside the QOperator set', () => {
    expect(refused((m) => (nodeOf(m, 'flat').opType = 'Softmax'))).toThrow(
      /node 'flat' \(Softmax\) is not supported in a quantized model; supported: QuantizeLinear, DequantizeLinear, QLinearConv/,
    );
  });
});

describe('QDQ models: read as onnxruntime fuses them', () => {
  const qdq = (o: Options, seed: number) => {
    const { bytes, names } = lenetQ(o, new Random(seed));
    const m = onnx.ModelProto.decode(bytes);
    m.graph!.node = qoperatorToQdq(m.graph!.node!, m.graph!.initializer!);
    return { m, names };
  };
  it('the QDQ form of the LeNet-5 shaped graph: every 8-bit tensor equal to onnxruntime', async () => {
    const { m, names } = qdq({ act: 'uint8', perChannel: true }, 4);
    const bytes = onnx.ModelProto.encode(m).finish();
    expect(m.graph!.node!.map((n) => n.opType)).toContain('Conv');
    const x = Float32Array.from({ length: 4 * 28 * 28 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const theirs = await ortRun(bytes, x);
    const ours = qForward(decodeQOnnx(bytes, 'qdq'), x, 4);
    for (const n of names.filter((t) => t !== 'y')) {
      const t = Array.from(theirs[n]!.data as ArrayLike<number>);
      expect(t.filter((e, i) => e !== ours.get(n)!.data[i]).length, n).toBe(0);
    }
  });
  it('refuses, by node, the patterns whose fusion would not be exact', () => {
    const refused = (edit: (m: ReturnType<typeof qdq>['m']) => void) => {
      const { m } = qdq({ act: 'uint8', perChannel: true }, 5);
      edit(m);
      return () => decodeQOnnx(onnx.ModelProto.encode(m).finish(), 'q.onnx');
    };
    const init = (m: ReturnType<typeof qdq>['m'], name: string) => m.graph!.initializer!.find((t) => t.name === name)!;
    expect(refused((m) => (init(m, 'c1_b.scale').rawData = f32s([1, 1, 1, 1, 1, 1])))).toThrow(
      /node 'c1' \(Conv\) has bias scale 'c1_b.scale' that is not the input scale times the weight scale/,
    );
    expect(
      refused((m) => {
        const q = m.graph!.node!.find((n) => n.name === 'p1.quantize')!;
        q.input![1] = 'c2_y_s';
      }),
    ).toThrow(/node 'p1' \(MaxPool\) has a QuantizeLinear after it \('p1.quantize'\) with another scale or zero point/);
  });
});
