// The lowering of QLinear nodes onto engines with an output stage: the GEMM
// (ws, os) and the convolution (rs) forms, put through their golden models,
// give exactly the int8 forward pass's output (zero points folded into the
// weights and offsets, padding holding the input zero point); what an engine
// cannot hold is refused naming the node and the config key.
import { describe, expect, it } from 'vitest';
import { gemm } from '../common/gemm.js';
import { qStep } from './qonnx-forward.js';
import { operandRefusal, qLinearGemm } from './qlower.js';
import { convNode, input } from './fixtures/qlinear-node.js';

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
  it('refuses what an engine cannot hold, naming the node and the key', () => {
    expect(operandRefusal(convNode(0, 0, true), 8, 'ws-16x16-int8')).toMatch(
      /node 'c' \(QLinearConv\): its uint8 input span 0 \.\. 255, which config key 'dataWidth' 8 \(signed -128 \.\. 127\) cannot hold; use dataWidth >= 9/,
    );
    expect(operandRefusal(convNode(0, 0, true), 9, 'ws-16x16-int8')).toBeUndefined();
  });
});
