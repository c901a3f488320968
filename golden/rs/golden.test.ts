import { describe, expect, it } from 'vitest';
import { conv, convShape } from './golden.js';

describe('rs golden convolution', () => {
  it('slides with stride and zero padding (hand-computed)', () => {
    // 1 x 1 x 3 x 3 ifmap 1..9, one 2 x 2 filter of ones, stride 1, no padding.
    const ifmap = [
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ];
    const p = {
      ifmap,
      filters: [
        [
          [
            [1, 1],
            [1, 1],
          ],
        ],
      ],
      stride: 1,
      padding: 0,
    };
    expect(convShape(p)).toMatchObject({ E: 2, F: 2 });
    expect(conv(32, p)).toEqual([
      [
        [
          [12n, 16n],
          [24n, 28n],
        ],
      ],
    ]);
    // Padding 1, stride 2: windows at (-1,-1), (-1,1), (1,-1), (1,1).
    const q = { ...p, stride: 2, padding: 1 };
    expect(conv(32, q)).toEqual([
      [
        [
          [1n, 5n],
          [11n, 28n],
        ],
      ],
    ]);
  });
  it('sums channels, adds bias, wraps at accWidth, then ReLU', () => {
    const ifmap = [[[[100]], [[100]]]];
    const filters = [
      [[[100]], [[100]]],
      [[[-100]], [[-100]]],
    ];
    const p = { ifmap, filters, stride: 1, padding: 0, bias: [5n, 5n] };
    expect(conv(32, p)).toEqual([[[[20005n]], [[-19995n]]]]);
    // 16 bits: 20000 + 20000 = 40000 wraps to 40000 - 65536.
    expect(conv(16, { ...p, bias: [20000n, 0n] })).toEqual([[[[40000n - 65536n]], [[-20000n]]]]);
    expect(conv(32, { ...p, relu: true })).toEqual([[[[20005n]], [[0n]]]]);
  });
});
