// The rs DRAM image on its own: descriptor words at 0 in rsDescriptorFields
// order, rows packed four 16-bit lanes to a word, regions back to back.
import { describe, expect, it } from 'vitest';
import { parseRsConfig, rsGlb, rsPresets } from '../../golden/rs/config.js';
import { rsImage, rsLayout } from './host.js';
import { rsCounterNames, rsDescriptorFields } from '../../golden/rs/contract.js';

describe('rs DRAM image', () => {
  const cfg = rsPresets['rs-4x4']!;
  const p = {
    ifmap: [
      [
        [
          [1, -2, 3, 4, 5],
          [6, 7, 8, 9, 10],
        ],
      ],
    ],
    filters: [
      [
        [
          [1, -1],
          [2, 3],
        ],
      ],
      [
        [
          [0, 1],
          [1, 0],
        ],
      ],
    ],
    bias: [5n, -6n],
    stride: 1,
    padding: 0,
    relu: true,
  };
  const img = rsImage(cfg, p);

  it('writes the descriptor first, in the contract order', () => {
    rsDescriptorFields.forEach((k, j) => expect(img.words.get(j), k).toBe(BigInt(img.desc[k])));
    expect(img.desc).toMatchObject({ N: 1, C: 1, H: 2, W: 5, M: 2, R: 2, S: 2, U: 1, P: 0, E: 1, F: 4, flags: 3 });
    expect(img.desc.ifmapBase).toBe(rsDescriptorFields.length);
  });

  it('packs each row into words of four 16-bit lanes, a row starting a new word', () => {
    const b = img.desc.ifmapBase;
    const lanes = (...v: number[]) =>
      BigInt.asIntN(
        64,
        v.reduce((w, x, l) => w | (BigInt.asUintN(16, BigInt(x)) << BigInt(16 * l)), 0n),
      );
    expect(img.words.get(b)).toBe(lanes(1, -2, 3, 4));
    expect(img.words.get(b + 1)).toBe(lanes(5));
    expect(img.words.get(b + 2)).toBe(lanes(6, 7, 8, 9));
    expect(img.desc.filterBase).toBe(b + 4);
    expect(img.words.get(img.desc.filterBase)).toBe(lanes(1, -1));
    expect(img.words.get(img.desc.biasBase + 1)).toBe(-6n);
    expect(img.desc.ofmapBase).toBe(img.desc.biasBase + 2);
    expect(img.desc.statsBase).toBe(img.desc.ofmapBase + 2 * 4);
    expect(img.size).toBe(img.desc.statsBase + rsCounterNames.length);
  });

  it('sizes the global buffer from glbBytes', () => {
    expect(rsGlb(cfg)).toEqual({ ifmapWords: 16384, ifmapLines: 4096, psumWordsPerCol: 1024 });
    expect(rsGlb(parseRsConfig({ glbBytes: 1000, dataWidth: 16, peCols: 5 }))).toEqual({
      ifmapWords: 250,
      ifmapLines: 62,
      psumWordsPerCol: 25,
    });
    expect(() => parseRsConfig({ accWidth: 10 })).toThrow(/accWidth' has value 10; allowed: an integer from 16/);
  });

  it('refuses a layer whose DRAM image does not fit 32-bit addresses (issue 32: N = 65535 wrapped)', () => {
    const sh = { N: 2, C: 512, H: 65535, W: 64, M: 512, R: 1, S: 1, U: 1, P: 0, E: 65535, F: 64 };
    // Descriptor 31, ifmap N C H ceil(W / 4), filters M C R ceil(S / 4), bias M, ofmap N M E F, counters 17.
    const words = 31 + 2 * 512 * 65535 * 16 + 512 * 512 + 512 + 2 * 512 * 65535 * 64 + 17;
    expect(words).toBeGreaterThan(2 ** 32);
    expect(() => rsLayout(cfg, sh, false, false)).toThrow(
      `the layer's DRAM image needs ${words} words; the rs engine's 32-bit DRAM addresses reach 4294967296 words`,
    );
  });
});
