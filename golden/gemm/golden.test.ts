import { describe, expect, it } from 'vitest';
import { gemm } from '../common/gemm.js';

const s8 = { dataWidth: 8, accWidth: 32, signed: true };

describe('golden ws GEMM', () => {
  it('computes a hand-checked 2x3 by 3x2 product with D', () => {
    const a = [
      [1n, 2n, 3n],
      [-4n, 5n, -6n],
    ];
    const b = [
      [7n, -8n],
      [9n, 10n],
      [-11n, 12n],
    ];
    const d = [
      [100n, 0n],
      [0n, -1n],
    ];
    // row 0: 7+18-33 = -8, -8+20+36 = 48; row 1: -28+45+66 = 83, 32+50-72 = 10
    expect(gemm(s8, { a, b, d })).toEqual([
      [92n, 48n],
      [83n, 9n],
    ]);
  });
  it('applies ReLU after the wrap', () => {
    expect(gemm(s8, { a: [[1n, 2n, 3n]], b: [[-1n], [-1n], [1n]], relu: true })).toEqual([[0n]]);
    expect(gemm(s8, { a: [[1n, 2n, 3n]], b: [[1n], [1n], [1n]], relu: true })).toEqual([[6n]]);
  });
  it('wraps signed accumulation at accWidth', () => {
    // 4-bit data, 8-bit accumulator: 7*7 + 7*7 = 98 fits; +7*7 = 147 wraps to -109.
    const cfg = { dataWidth: 4, accWidth: 8, signed: true };
    expect(gemm(cfg, { a: [[7n, 7n]], b: [[7n], [7n]] })).toEqual([[98n]]);
    expect(gemm(cfg, { a: [[7n, 7n, 7n]], b: [[7n], [7n], [7n]] })).toEqual([[-109n]]);
    // (-8)*(-8) = 64, twice = 128 wraps to -128.
    expect(gemm(cfg, { a: [[-8n, -8n]], b: [[-8n], [-8n]] })).toEqual([[-128n]]);
  });
  it('wraps unsigned accumulation and D', () => {
    const cfg = { dataWidth: 2, accWidth: 4, signed: false };
    // 3*3 + 3*3 = 18 mod 16 = 2; with D = 15: 33 mod 16 = 1
    expect(gemm(cfg, { a: [[3n, 3n]], b: [[3n], [3n]] })).toEqual([[2n]]);
    expect(gemm(cfg, { a: [[3n, 3n]], b: [[3n], [3n]], d: [[15n]] })).toEqual([[1n]]);
  });
  it('takes the exact BigInt path for 16-bit data with a 48-bit accumulator', () => {
    const cfg = { dataWidth: 16, accWidth: 48, signed: true };
    const k = 1 << 21; // K * 2^32 passes 2^52, so the BigInt loop runs
    const a = [Array.from({ length: k }, () => -32768n)];
    const b = Array.from({ length: k }, () => [-32768n]);
    // 2^21 * 2^30 = 2^51 fits in 48-bit signed? no: wraps mod 2^48 to 0.
    expect(gemm(cfg, { a, b })).toEqual([[0n]]);
    const d = [[5n]];
    expect(gemm(cfg, { a: [[-32768n, 32767n]], b: [[-32768n], [32767n]], d })).toEqual([
      [(1n << 30n) + 32767n * 32767n + 5n],
    ]);
  });
});
