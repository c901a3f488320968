import { describe, expect, it } from 'vitest';
import { buildCode, canonicalCode, huffmanDecode, huffmanEncode, huffmanLengths } from './huffman.js';
import { Rng } from './train.js';

const roundTrip = (syms: number[], alphabet: number) => {
  const code = buildCode(syms, alphabet);
  const { bytes, bits } = huffmanEncode(syms, code);
  expect(huffmanDecode(bytes, syms.length, code.lengths)).toEqual(syms);
  return { code, bits };
};

describe('canonical Huffman', () => {
  it('round-trips random streams of skewed and uniform symbols', () => {
    const rng = new Rng(5);
    for (let t = 0; t < 20; t++) {
      const n = 1 + rng.int(3000);
      const skew = rng.next() < 0.5;
      const syms = Array.from({ length: n }, () =>
        skew ? Math.min(15, Math.floor(-Math.log(1 - rng.next()) * 2)) : rng.int(16),
      );
      const { bits } = roundTrip(syms, 16);
      // Huffman is the optimal prefix code: never longer than the fixed 4-bit code.
      expect(bits).toBeLessThanOrEqual(4 * n);
    }
  });

  it('handles one symbol (a 1-bit code), all distinct symbols (a balanced code) and an empty stream', () => {
    expect(roundTrip(Array(100).fill(7), 16).bits).toBe(100);
    const distinct = Array.from({ length: 16 }, (_, i) => i);
    const { code, bits } = roundTrip(distinct, 16);
    expect(code.lengths).toEqual(Array(16).fill(4));
    expect(bits).toBe(64);
    expect(roundTrip([], 16).bits).toBe(0);
  });

  it('gives the textbook lengths and canonical codes', () => {
    // Frequencies 45, 13, 12, 16, 9, 5 (CLRS): lengths 1, 3, 3, 3, 4, 4.
    expect(huffmanLengths([45, 13, 12, 16, 9, 5])).toEqual([1, 3, 3, 3, 4, 4]);
    expect(canonicalCode([1, 3, 3, 3, 4, 4]).codes).toEqual([0b0, 0b100, 0b101, 0b110, 0b1110, 0b1111]);
  });

  it('refuses a truncated stream and symbols outside the alphabet', () => {
    const code = buildCode([1, 2, 3, 3], 4);
    const { bytes } = huffmanEncode([1, 2, 3, 3], code);
    expect(() => huffmanDecode(bytes.slice(0, 0), 4, code.lengths)).toThrow(/ends after 0 of 4/);
    expect(() => buildCode([5], 4)).toThrow(/outside the alphabet/);
  });
});
