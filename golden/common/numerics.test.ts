import { describe, expect, it } from 'vitest';
import { asr, fromBits, range, relu, sat, toBits, wrap } from './numerics.js';

describe('numerics.md primitives', () => {
  it('wrap reads back signed and unsigned', () => {
    expect(wrap(127n, 8)).toBe(127n);
    expect(wrap(128n, 8)).toBe(-128n);
    expect(wrap(-129n, 8)).toBe(127n);
    expect(wrap(256n + 5n, 8)).toBe(5n);
    expect(wrap(-1n, 8, false)).toBe(255n);
    expect(wrap(300n, 8, false)).toBe(44n);
    expect(wrap((1n << 47n) + 3n, 48)).toBe(-(1n << 47n) + 3n);
  });
  it('sat clamps to the signed range', () => {
    expect(sat(40000n, 16)).toBe(32767n);
    expect(sat(-40000n, 16)).toBe(-32768n);
    expect(sat(-5n, 16)).toBe(-5n);
  });
  it('asr rounds toward minus infinity, also for negatives', () => {
    expect(asr(7n, 1)).toBe(3n);
    expect(asr(-7n, 1)).toBe(-4n);
    expect(asr(-1n, 4)).toBe(-1n);
    expect(asr(-16n, 4)).toBe(-1n);
    expect(asr(-17n, 4)).toBe(-2n);
    expect(asr(-5n, 0)).toBe(-5n);
  });
  it('relu, ranges and bit patterns', () => {
    expect(relu(-3n)).toBe(0n);
    expect(relu(3n)).toBe(3n);
    expect(range(8, true)).toEqual({ min: -128n, max: 127n });
    expect(range(2, false)).toEqual({ min: 0n, max: 3n });
    expect(toBits(-1n, 4)).toBe(15n);
    expect(fromBits(15n, 4, true)).toBe(-1n);
    expect(fromBits(15n, 4, false)).toBe(15n);
  });
});
