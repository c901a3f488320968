import { describe, expect, it } from 'vitest';
import { fp32Bits, fp32FromBits, outputScale, requantProblem, requantize, roundHalfEven } from './requant.js';

describe('requantization (docs/numerics.md)', () => {
  it('rounds ties to even, never to negative zero', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, -2.5001, 3].map(roundHalfEven)).toEqual([
      0, 2, 2, 0, -2, -2, 2, -3, 3,
    ]);
    expect(Object.is(roundHalfEven(-0.4), 0)).toBe(true);
  });

  it('scales in float32, clamps to the output range, adds the zero point', () => {
    const q = { scale: 0.5, zeroPoint: 10, signed: true };
    expect([1n, 3n, -1n, -3n, 1000n, -1000n].map((a) => requantize(a, q))).toEqual([10, 12, 10, 8, 127, -128]);
    // uint8 with ReLU: the clamp at the zero point.
    expect(requantize(-50n, { scale: 1, zeroPoint: 100, signed: false, relu: true })).toBe(100);
    expect(requantize(-50n, { scale: 1, zeroPoint: 100, signed: false })).toBe(50);
    expect(requantize(500n, { scale: 1, zeroPoint: 100, signed: false })).toBe(255);
  });

  it('rounds the accumulator to float32 first, and the product', () => {
    // 2^24 + 1 is not a float32: it becomes 2^24, so x 2^-25 is exactly 0.5 (a tie, to 0), not above it.
    expect(requantize(2n ** 24n + 1n, { scale: 2 ** -25, zeroPoint: 0, signed: true })).toBe(0);
    // The accumulator is an int32: wider values wrap as onnxruntime's int32 sums do.
    expect(requantize(2n ** 32n + 6n, { scale: 1, zeroPoint: 0, signed: true })).toBe(6);
  });

  it('forms the multiplier as onnxruntime does and keeps float32 bits', () => {
    const s = outputScale(0.1, 0.2, 0.3);
    expect(s).toBe(Math.fround(Math.fround(Math.fround(0.1) * Math.fround(0.2)) / Math.fround(0.3)));
    expect(fp32FromBits(fp32Bits(s))).toBe(s);
    expect(fp32Bits(1)).toBe(0x3f800000);
  });

  it('refuses scales and zero points it cannot use, saying what is allowed', () => {
    for (const scale of [0, -1, NaN, Infinity, 1e-40, 0.1])
      expect(requantProblem({ scale, zeroPoint: 0, signed: true })).toMatch(/positive normal float32/);
    expect(requantProblem({ scale: 0.5, zeroPoint: 128, signed: true })).toMatch(/-128 .. 127 \(int8\)/);
    expect(requantProblem({ scale: 0.5, zeroPoint: -1, signed: false })).toMatch(/0 .. 255 \(uint8\)/);
    expect(requantProblem({ scale: 0.5, zeroPoint: 3, signed: false })).toBeUndefined();
  });
});
