// QDQ MatMul and Gemm read as onnxruntime fuses them (golden/nn/qdq.ts): the
// same QLinearMatMul as the QOperator cell they were written from (a Gemm's
// transposed weights back in K x N, its bias kept), and the attributes the
// fusion would not compute exactly refused by node.
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { Random } from '../../golden/common/random.js';
import { decodeQOnnx } from '../../golden/nn/qonnx.js';
import { cellModel } from './int8-cells.js';
import { toQdqCell } from './int8-qdq-cells.js';

const { onnx } = onnxProto;
const spec = { op: 'QLinearMatMul', perChannel: true, zeroPoints: true, activations: 'uint8' } as const;

describe('QDQ MatMul and Gemm', () => {
  it('fuse into the QLinearMatMul of the QOperator cell (Gemm: B transposed back, bias kept)', () => {
    const base = cellModel(spec, new Random(7)).model;
    const q = decodeQOnnx(base, 'q').nodes.find((n) => n.op === 'QLinearMatMul')!;
    for (const op of ['MatMul', 'Gemm'] as const) {
      const f = decodeQOnnx(toQdqCell(base, op, new Random(8)), op).nodes.find((n) => n.op === 'QLinearMatMul')!;
      if (q.op !== 'QLinearMatMul' || f.op !== 'QLinearMatMul') throw new Error('not fused');
      expect(f.b.dims).toEqual(q.b.dims);
      expect(f.b.data).toEqual(q.b.data);
      expect(f.b.q).toEqual(q.b.q);
      expect(f.a).toEqual(q.a);
      expect(f.y).toEqual(q.y);
      if (op === 'Gemm') expect(f.bias).toHaveLength(q.b.dims[1]!);
      else expect(f.bias).toBeUndefined();
    }
  });
  it('refuses, by node, a Gemm or MatMul the fusion would not compute exactly', () => {
    const base = cellModel(spec, new Random(9)).model;
    const edited = (op: 'Gemm' | 'MatMul', edit: (m: onnxProto.onnx.ModelProto) => void) => {
      const m = onnx.ModelProto.decode(toQdqCell(base, op, new Random(10)));
      edit(m);
      return () => decodeQOnnx(onnx.ModelProto.encode(m).finish(), 'g.onnx');
    };
    const gemm = (m: onnxProto.onnx.ModelProto) => m.graph!.node!.find((n) => n.opType === 'Gemm')!;
    const INT = onnx.AttributeProto.AttributeType.INT;
    expect(edited('Gemm', (m) => gemm(m).attribute!.push({ name: 'transA', type: INT, i: 1 }))).toThrow(
      /'g.onnx': node 'gemm' \(Gemm\) has transA = 1; supported: transA 0/,
    );
    expect(
      edited('Gemm', (m) =>
        gemm(m).attribute!.push({ name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 2 }),
      ),
    ).toThrow(/node 'gemm' \(Gemm\) has alpha = 2; supported: alpha 1/);
    // MatMul weights per channel along K (axis 0) are not per output column.
    expect(
      edited('MatMul', (m) => {
        const dq = m.graph!.node!.find((n) => n.name === 'w.dq')!;
        dq.attribute![0]!.i = 0;
      }),
    ).toThrow(
      /node 'matmul' \(MatMul\) has weight scales per channel along axis 0 of 'w'; supported: per tensor, or per output column \(axis 1\)/,
    );
  });
});
