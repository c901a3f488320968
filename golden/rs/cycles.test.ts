// The rs cycle and access models on hand-worked and invariant cases (the
// cosim tests hold both equal to the RTL's counters).
import { describe, expect, it } from 'vitest';
import { rsPresets } from './config.js';
import { rsColumnCycles, rsCycles, rsLoadCycles } from './cycles.js';
import { rsAccesses, rsAccessLevels, rsEnergy } from './access.js';
import { mapConv } from './mapper.js';
import type { RsMapping } from './contract.js';
import type { ConvShape } from './golden.js';

const one: RsMapping = {
  Rg: 1,
  rFolds: 1,
  w: 1,
  strips: 1,
  V: 1,
  Hs: 1,
  q: 1,
  p: 1,
  cGroups: 1,
  mGroups: 1,
  tileRows: 1,
  ring: 2,
  prefetch: 0,
  ifAhead: 0,
};

describe('rs cycle model', () => {
  it('one tap, one column: IFMAP 1 step, MAC 1 step, CHAIN 1 step, then the chain drains', () => {
    // IFMAP ends at 1; MAC runs cycle 1; the chain starts with the last sweep
    // (cycle 2) and ends at 3; + chain length 1 + the phase's 2 fixed cycles.
    expect(rsColumnCycles(one, { S: 1, U: 1, F: 1 })).toEqual({ cols: 6, ifDone: 1 });
  });

  it('pipelines columns: an extra column costs its MAC steps and the chain wait max(1, V Rg - 1)', () => {
    const m = { ...one, ring: 4 };
    const a = rsColumnCycles(m, { S: 3, U: 1, F: 1 }).cols,
      b = rsColumnCycles(m, { S: 3, U: 1, F: 2 }).cols;
    expect(b - a).toBe(3 + 1);
    const tall = { ...m, V: 2, Rg: 2 };
    const c = rsColumnCycles(tall, { S: 3, U: 1, F: 1 }).cols,
      d = rsColumnCycles(tall, { S: 3, U: 1, F: 2 }).cols;
    expect(d - c).toBe(3 + 3);
  });

  it('the loader moves a packed word per cycle plus its fixed phase costs', () => {
    // 1 filter row of 5 taps = 2 words, 1 ifmap row of 9 values = 3 words; LOADF 3 + LOADI 2.
    expect(rsLoadCycles(one, { S: 5, W: 9 })).toBe(2 + 3 + 3 + 2);
  });
});

describe('rs access model', () => {
  const layers: ConvShape[] = [
    { N: 1, C: 3, H: 9, W: 9, M: 5, R: 3, S: 3, U: 1, P: 1, E: 9, F: 9 },
    { N: 2, C: 7, H: 12, W: 10, M: 9, R: 5, S: 2, U: 2, P: 0, E: 4, F: 5 },
    { N: 1, C: 16, H: 13, W: 13, M: 24, R: 3, S: 3, U: 1, P: 1, E: 13, F: 13 },
  ];
  for (const name of ['rs-4x4', 'eyeriss']) {
    const cfg = rsPresets[name]!;
    it(`${name}: writes each output once, does every MAC, and its energy is the sum of its levels`, () => {
      for (const sh of layers) {
        for (const objective of ['cycles', 'energy'] as const) {
          const m = mapConv(cfg, sh, true, objective);
          const c = rsAccesses(cfg, m, sh, true);
          expect(c.dramWrites).toBe(sh.N * sh.M * sh.E * sh.F);
          expect(c.macs).toBeGreaterThanOrEqual(sh.N * sh.M * sh.E * sh.F * sh.C * sh.R * sh.S);
          expect(c.filterSpadReads).toBe(c.macs);
          expect(c.cycles).toBe(rsCycles(cfg, m, sh, true));
          expect(c.activePesPeak).toBeLessThanOrEqual(cfg.peRows * cfg.peCols);
          const lv = rsAccessLevels(c),
            e = rsEnergy(c);
          expect(e.total).toBe(200 * lv.dram + 6 * lv.glb + 2 * lv.array + lv.rf + c.macs);
        }
      }
    });
  }
});
