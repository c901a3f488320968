// The lowering of QLinear nodes onto engines with an output stage: the GEMM
// (ws, os) and the convolution (rs) forms, put through their golden models,
// give exactly the int8 forward pass's output (zero points folded into the
// weights and offsets, padding holding the input zero point); what an engine
// cannot hold is refused naming the node and the config key.
import { describe, expect, it } from 'vitest';
import { Random } from '../common/random.js';
import { gemm } from '../common/gemm.js';
import { conv } from '../rs/golden.js';
import { qStep, type QValue } from './qonnx-forward.js';
import { convRefusal, operandRefusal, qLinearConv, qLinearGemm, type QLinearNode } from './qlower.js';

const rng = new Random(11);
const ints = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.int(lo, hi));

function convNode(pad: number, xz: number, perChannel: boolean): QLinearNode {
  const M = 3,
    C = 2,
    R = 3;
  return {
    op: 'QLinearConv',
    name: 'c',
    input: 'x',
    output: 'y',
    x: { scale: [0.02], zeroPoint: [xz], type: 'uint8' },
    w: {
      dims: [M, C, R, R],
      data: ints(M * C * R * R, -127, 127),
      type: 'int8',
      q: { scale: perChannel ? [0.01, 0.02, 0.005] : [0.01], zeroPoint: perChannel ? [3, -2, 0] : [1], type: 'int8' },
    },
    y: { scale: [0.05], zeroPoint: [17], type: 'uint8' },
    bias: ints(M, -500, 500),
    pads: [pad, pad, pad, pad],
    strides: [1, 1],
  };
}

const input = (dims: number[]): QValue => ({
  dims,
  data: Float64Array.from(
    ints(
      dims.reduce((a, b) => a * b, 1),
      0,
      255,
    ),
  ),
  type: 'uint8',
});
const numerics = { dataWidth: 9, accWidth: 32, signed: true, quantDepth: 64 };

describe('QLinear nodes lowered onto the output stage', () => {
  it('as a GEMM: equals the int8 forward pass, padding and weight zero points included', () => {
    for (const [pad, xz, pc] of [
      [1, 37, true],
      [0, 0, false],
      [2, 255, true],
    ] as const) {
      const n = convNode(pad, xz, pc);
      const x = input([2, 2, 5, 6]);
      const g = qLinearGemm(n, x);
      expect(Array.from(g.raise(gemm(numerics, g.problem)))).toEqual(Array.from(qStep(x, n).data));
    }
  });
  it('as a convolution (rs): equals the forward pass without padding or with input zero point 0', () => {
    for (const [pad, xz] of [
      [0, 37],
      [1, 0],
    ] as const) {
      const n = convNode(pad, xz, true);
      const x = input([1, 2, 6, 5]);
      const c = qLinearConv(n, x);
      expect(c.outDims).toEqual(qStep(x, n).dims);
      expect(Array.from(c.raise(conv(32, c.problem)))).toEqual(Array.from(qStep(x, n).data));
    }
  });
  it('refuses what an engine cannot hold, naming the node and the key', () => {
    expect(convRefusal(convNode(1, 37, true))).toMatch(
      /node 'c' \(QLinearConv\) pads with input zero point 37; the engine pads with zeros/,
    );
    expect(convRefusal(convNode(1, 0, true))).toBeUndefined();
    expect(operandRefusal(convNode(0, 0, true), 8, 'ws-16x16-int8')).toMatch(
      /node 'c' \(QLinearConv\): its uint8 input span 0 \.\. 255, which config key 'dataWidth' 8 \(signed -128 \.\. 127\) cannot hold; use dataWidth >= 9/,
    );
    expect(operandRefusal(convNode(0, 0, true), 9, 'ws-16x16-int8')).toBeUndefined();
  });
});
