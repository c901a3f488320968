import { describe, expect, it } from 'vitest';
import { conv, convShape } from './golden.js';
import { parseRsProblem } from './problem.js';
import { parseRsConfig, rsPresets } from './config.js';

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

describe('rs golden convolution with the output stage', () => {
  const p = {
    ifmap: [[[[1, 2, 3]]]],
    filters: [[[[1, 1]]], [[[2, -3]]]],
    stride: 1,
    padding: 0,
  };
  it('adds the bias, requantizes per filter (ties to even), clamps and ReLU at the zero point', () => {
    // Sums: filter 0 [3, 5], filter 1 [-4, -5]; + bias [0, 1] = [3, 5], [-3, -4];
    // x scale [0.5, 1] = [1.5, 2.5] -> rne [2, 2]; [-3, -4]; + zero point 10.
    const requant = { scale: [0.5, 1], zeroPoint: 10, output: 'uint8' as const };
    expect(conv(32, { ...p, bias: [0n, 1n], requant })).toEqual([[[[12n, 12n]], [[7n, 6n]]]]);
    expect(conv(32, { ...p, bias: [0n, 1n], requant, relu: true })).toEqual([[[[12n, 12n]], [[10n, 10n]]]]);
  });
  it('parses requant only for a config with the output stage, offsets as the bias', () => {
    const raw = { ...p, requant: { scale: 0.25, zeroPoint: -3, output: 'int8' } };
    const q = parseRsProblem(raw, rsPresets['rs-4x4-int8']!);
    expect(q.requant).toEqual({ scale: [0.25, 0.25], zeroPoint: -3, output: 'int8' });
    expect(q.bias).toEqual([0n, 0n]);
    expect(() => parseRsProblem(raw, rsPresets['rs-4x4']!)).toThrow(
      /'requant' needs the output stage: config requant is false/,
    );
    expect(() =>
      parseRsProblem({ ...raw, requant: { ...raw.requant, offset: [1, 2] } }, rsPresets['rs-4x4-int8']!),
    ).toThrow(/'requant.offset': rs adds its offsets as 'bias'/);
    expect(() => parseRsConfig({ requant: true, accWidth: 24 })).toThrow(
      /key 'accWidth' has value 24; allowed with requant true: 32 to 48/,
    );
  });
});
