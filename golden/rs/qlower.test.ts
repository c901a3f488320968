// The rs form of a QLinear node: through the rs golden convolution it gives
// exactly the int8 forward pass's output (no padding, or input zero point 0);
// a padded convolution with another input zero point is refused by node.
import { describe, expect, it } from 'vitest';
import { conv } from './golden.js';
import { qStep } from '../nn/qonnx-forward.js';
import { convRefusal, qLinearConv } from './qlower.js';
import { convNode, input } from '../nn/fixtures/qlinear-node.js';

describe('QLinear nodes as rs convolutions', () => {
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
  it('refuses padding with a non-zero input zero point, naming the node', () => {
    expect(convRefusal(convNode(1, 37, true))).toMatch(
      /node 'c' \(QLinearConv\) pads with input zero point 37; the engine pads with zeros/,
    );
    expect(convRefusal(convNode(1, 0, true))).toBeUndefined();
  });
});
