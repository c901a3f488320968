import { describe, expect, it } from 'vitest';
import { gemm, parseGemmProblem, type GemmNumerics } from '../common/gemm.js';

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

describe('golden GEMM with the output stage', () => {
  const q8 = { ...s8, quantDepth: 16 };
  const a = [
    [1n, 2n, 3n],
    [4n, 5n, -6n],
  ];
  const b = [
    [1n, 2n],
    [3n, -4n],
    [5n, 6n],
  ];
  it('adds the column offset, scales per column, rounds ties to even, adds the zero point and clamps', () => {
    // C = [[22, 12], [-11, -48]]; + offset [1, -3] = [[23, 9], [-10, -51]];
    // x [0.5, 0.25] = [[11.5, 2.25], [-5, -12.75]]; rne = [[12, 2], [-5, -13]]; + 10, clamped at 0.
    const requant = { scale: [0.5, 0.25], offset: [1, -3], zeroPoint: 10, output: 'uint8' as const };
    expect(gemm(q8, { a, b, requant })).toEqual([
      [22n, 12n],
      [5n, 0n],
    ]);
    // ReLU clamps at the zero point, not at 0.
    expect(gemm(q8, { a, b, requant, relu: true })).toEqual([
      [22n, 12n],
      [10n, 10n],
    ]);
    // int8 outputs saturate at 127.
    expect(
      gemm(q8, { a, b, requant: { ...requant, scale: [64, 64], output: 'int8' as const, zeroPoint: 0 } })[0],
    ).toEqual([127n, 127n]);
  });
  it('wraps the offset sum at int32', () => {
    const requant = { scale: [1, 1], offset: [2 ** 31 - 1, 0], zeroPoint: 0, output: 'int8' as const };
    // 22 + (2^31 - 1) wraps to a large negative: -128.
    expect(gemm(q8, { a, b, requant })[0]).toEqual([-128n, 12n]);
  });
  it('parses the requant key and refuses what the stage cannot do, naming the field', () => {
    const raw = { a: [[1, 2]], b: [[1], [2]], requant: { scale: 0.1, zeroPoint: 3, output: 'uint8' } };
    const p = parseGemmProblem(raw, q8);
    expect(p.requant).toEqual({ scale: [Math.fround(0.1)], offset: [0], zeroPoint: 3, output: 'uint8' });
    const msg = (r: unknown, cfg: GemmNumerics = q8) => {
      try {
        parseGemmProblem(r, cfg);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(msg(raw, s8)).toContain("'requant' needs an output stage: config quantDepth is 0");
    expect(msg({ ...raw, requant: { ...raw.requant, scale: 0 } })).toContain(
      'column 0: scale 0: allowed: a positive normal float32',
    );
    expect(msg({ ...raw, requant: { ...raw.requant, scale: [0.1, 0.2] } })).toContain(
      "'requant.scale' has 2 entries; expected 1",
    );
    expect(msg({ ...raw, requant: { ...raw.requant, zeroPoint: 300 } })).toContain(
      'zero point 300: allowed: an integer in 0 .. 255',
    );
    expect(msg({ ...raw, requant: { ...raw.requant, output: 'int4' } })).toContain('\'requant.output\' is "int4"');
    expect(msg({ ...raw, requant: { ...raw.requant, offset: [2 ** 31] } })).toContain("'requant.offset'[0]");
  });
});
