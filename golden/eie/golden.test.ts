import { describe, expect, it } from 'vitest';
import { eieChain, eieLayer } from './golden.js';
import { chooseShift, kmeans1d, pruneByMagnitude, quantizeCodebook, shareWeights } from '../nn/deep-compression.js';
import { decodeCsc, encodeCsc, localRows } from './format.js';

describe('EIE numerics', () => {
  const cb = [0n, 256n, -512n, 3n, ...Array(12).fill(0n)];
  it('shifts each product before adding (asr floors negatives)', () => {
    // 3 * 1 >> 2 = 0 and -512 * 3 >> 2 = -384 and 3 * -1 >> 2 = floor(-0.75) = -1
    const layer = {
      codebook: cb,
      index: [
        [3, 2],
        [3, 0],
      ],
      shift: 2,
    };
    expect(eieLayer(32, layer, [1n, 3n])).toEqual([0n - 384n, 0n]);
    expect(eieLayer(32, layer, [-1n, 0n])).toEqual([-1n, -1n]);
  });
  it('adds bias, wraps at accWidth, saturates to 16 bits, then ReLU', () => {
    const layer = {
      codebook: cb,
      index: [
        [1, 1],
        [2, 2],
      ],
      shift: 0,
      bias: [100n, -5n],
    };
    // row 0: 256*32767*2 + 100 = 16,776,804 saturates to 32767
    expect(eieLayer(32, layer, [32767n, 32767n])).toEqual([32767n, -32768n]);
    // accWidth 24 wraps: 16,776,804 - 2^24 = -412 (signed)
    expect(eieLayer(24, layer, [32767n, 32767n])[0]).toBe(-412n);
    expect(eieLayer(32, { ...layer, relu: true }, [32767n, 32767n])).toEqual([32767n, 0n]);
  });
  it('chains layers: the output of one is the input of the next', () => {
    const l1 = { codebook: cb, index: [[1], [2]], shift: 8 };
    const l2 = { codebook: cb, index: [[1, 1]], shift: 8, relu: true };
    const [o1, o2] = eieChain(32, [7n], [l1, l2]);
    expect(o1).toEqual([7n, -14n]);
    expect(o2).toEqual([0n]); // 7 - 14 < 0
  });
});

describe('Deep Compression', () => {
  it('reproduces the paper k-means example: centroids -1, 0, 1.5, 2', () => {
    const w = [
      [2.09, -0.98, 1.48, 0.09],
      [0.05, -0.14, -1.08, 2.12],
      [-0.91, 1.92, 0, -1.03],
      [1.87, 0, 1.53, 1.49],
    ];
    const km = kmeans1d(w.flat(), 4);
    expect(km.centroids.map((c) => Number(c.toFixed(2)))).toEqual([-1, 0, 1.5, 2]);
    expect(km.labels).toEqual([3, 0, 2, 1, 1, 1, 0, 3, 0, 3, 1, 0, 3, 1, 2, 2]);
  });
  it('prunes by magnitude to a target density', () => {
    const w = [
      [0.1, -3, 0.2],
      [2, -0.05, 1],
    ];
    expect(pruneByMagnitude(w, 0.5)).toEqual([
      [0, -3, 0],
      [2, 0, 1],
    ]);
    expect(
      pruneByMagnitude(w, 0)
        .flat()
        .every((v) => v === 0),
    ).toBe(true);
  });
  it('shares weights with codebook entry 0 reserved for pruned weights, then quantizes', () => {
    const pruned = [
      [0, -1.02, 1.5],
      [0.2, 0, -0.97],
      [1.52, 0, 0.22],
    ];
    const s = shareWeights(pruned, 2); // 3 clusters + the zero entry
    expect(s.codebook[0]).toBe(0);
    expect(s.index).toEqual([
      [0, 1, 3],
      [2, 0, 1],
      [3, 0, 2],
    ]);
    expect(s.codebook.slice(1).map((c) => Number(c.toFixed(3)))).toEqual([-0.995, 0.21, 1.51]);
    const shift = chooseShift(s.codebook);
    expect(shift).toBe(14); // 1.51 * 2^14 = 24740 fits, 2^15 does not
    expect(quantizeCodebook(s.codebook, shift)).toEqual([0n, -16302n, 3441n, 24740n]);
  });
});

describe('EIE storage format', () => {
  it('breaks long zero runs with padding entries (numerics.md example)', () => {
    // One PE, one column, nonzeros at rows 2, 3 and 22.
    const index = Array.from({ length: 24 }, (_, i) => [[2, 3, 22].includes(i) ? 5 : 0]);
    const [pe] = encodeCsc(index, 1, 4);
    expect(pe!.z).toEqual([2, 0, 15, 2]);
    expect(pe!.v).toEqual([5, 5, 0, 5]);
    expect(pe!.p).toEqual([0, 4]);
    expect(decodeCsc(pe!).map((e) => e.row)).toEqual([2, 3, 22]);
  });
  it('handles runs of exactly 15, 16, 17 and 32 zeros', () => {
    for (const [d, z] of [
      [15, [15]],
      [16, [15, 0]],
      [17, [15, 1]],
      [32, [15, 15, 0]],
    ] as const) {
      const index = Array.from({ length: d + 1 }, (_, i) => [i === d ? 1 : 0]);
      expect(encodeCsc(index, 1, 4)[0]!.z, `run of ${d}`).toEqual(z);
    }
  });
  it("reproduces PE0 of the paper's Figs 2/3 (16 x 8 over 4 PEs)", () => {
    // PE0 holds rows 0, 4, 8, 12; its nonzeros, column by column, as drawn in the paper.
    const nz: [number, number][] = [
      [0, 0],
      [8, 0],
      [12, 0],
      [4, 1],
      [0, 2],
      [12, 2],
      [0, 4],
      [4, 4],
      [0, 5],
      [12, 5],
      [0, 6],
      [8, 7],
      [12, 7],
    ];
    const index = Array.from({ length: 16 }, () => Array(8).fill(0));
    for (const [i, j] of nz) index[i]![j] = 1;
    // Other PEs' rows do not affect PE0.
    index[1]![3] = 2;
    index[6]![0] = 3;
    const pes = encodeCsc(index, 4, 4);
    expect(pes[0]!.z).toEqual([0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 0, 2, 0]);
    expect(pes[0]!.p).toEqual([0, 3, 4, 6, 6, 8, 10, 11, 13]);
    expect(decodeCsc(pes[1]!)).toEqual([{ row: 0, col: 3, v: 2 }]);
  });
  it('counts local rows when rows are not a multiple of the PE count', () => {
    expect([0, 1, 2, 3].map((k) => localRows(10, 4, k))).toEqual([3, 3, 2, 2]);
    expect([0, 1, 2].map((k) => localRows(1, 3, k))).toEqual([1, 0, 0]);
  });
});
