// The rs mapper and problem parser on their own (no simulator).
import { describe, expect, it } from 'vitest';
import { parseRsConfig, rsPresets } from './config.js';
import { InputError } from '../common/errors.js';
import { mapConv } from './mapper.js';
import { parseRsProblem, type ConvSpec } from './problem.js';

describe('rs mapper and input', () => {
  const cfg = rsPresets['rs-4x4']!;
  const shape = (o: Partial<ConvSpec>) => {
    const s = { N: 1, C: 1, H: 8, W: 8, M: 1, R: 3, S: 3, stride: 1, padding: 0, ...o };
    return {
      N: s.N,
      C: s.C,
      H: s.H,
      W: s.W,
      M: s.M,
      R: s.R,
      S: s.S,
      U: s.stride,
      P: s.padding,
      E: Math.floor((s.H + 2 * s.padding - s.R) / s.stride) + 1,
      F: Math.floor((s.W + 2 * s.padding - s.S) / s.stride) + 1,
    };
  };
  it('keeps every mapping inside the scratchpads and the buffer', () => {
    for (const o of [{}, { C: 40, M: 50 }, { R: 9, H: 20 }, { S: 12, W: 30 }]) {
      const m = mapConv(cfg, shape(o));
      const sh = shape(o);
      expect(m.q * sh.S).toBeLessThanOrEqual(cfg.ifmapSpad);
      expect(m.p * m.q * sh.S).toBeLessThanOrEqual(Math.floor(cfg.filterSpad / (m.prefetch + 1)));
      expect(m.p).toBeLessThanOrEqual(cfg.psumSpad);
      expect(m.V * m.Rg).toBeLessThanOrEqual(cfg.peRows);
      expect(m.Hs * m.w).toBeLessThanOrEqual(cfg.peCols);
      expect(m.strips * m.w).toBeGreaterThanOrEqual(sh.E);
      expect(m.rFolds * m.Rg).toBeGreaterThanOrEqual(sh.R);
      expect(m.cGroups * m.V * m.q).toBeGreaterThanOrEqual(sh.C);
      expect(m.mGroups * m.Hs * m.p).toBeGreaterThanOrEqual(sh.M);
    }
  });
  it('loads ahead only when a pass fits half the filter spad', () => {
    expect(mapConv(cfg, shape({ C: 8, M: 8 })).prefetch).toBe(1);
    const small = parseRsConfig({ ...cfg, filterSpad: 12 });
    expect(mapConv(small, shape({ S: 12, W: 30 })).prefetch).toBe(0);
  });
  it('refuses layers that cannot fit, naming the limit', () => {
    expect(() => mapConv(cfg, shape({ S: 13, W: 20 }))).toThrow(
      /filter width S=13 needs an ifmap scratchpad of at least S entries; ifmapSpad is 12/,
    );
    const tiny = parseRsConfig({ ...cfg, glbBytes: 256 });
    expect(() => mapConv(tiny, shape({ W: 100 }))).toThrow(InputError);
    expect(() => mapConv(cfg, shape({ stride: 65 }))).toThrow(/stride U=65 is out of range; allowed: 1..64/);
    // A stride past the filter width maps (1 x 1 stride 2, as in ResNet projections).
    expect(mapConv(cfg, shape({ S: 1, R: 1, stride: 2 })).ring).toBe(2);
  });
  it('rejects bad fields with the field, value and allowed range', () => {
    const ok = {
      ifmap: [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ],
      filters: [[[[1]]]],
      stride: 1,
    };
    expect(parseRsProblem(ok, cfg).filters[0]![0]![0]![0]).toBe(1);
    expect(() =>
      parseRsProblem(
        {
          ...ok,
          ifmap: [
            [
              [
                [1, 200],
                [3, 4],
              ],
            ],
          ],
        },
        cfg,
      ),
    ).toThrow("'ifmap'[0][0][0][1] = 200 is out of range; allowed signed 8-bit (dataWidth): -128..127");
    expect(() => parseRsProblem({ ...ok, filters: [[[[1]], [[1]]]] }, cfg)).toThrow(
      "'filters'[0] has 2 entries; expected 1",
    );
    expect(() => parseRsProblem({ ...ok, stride: 0 }, cfg)).toThrow(
      "'stride' = 0 is out of range; allowed: an integer 1..64",
    );
    expect(parseRsProblem({ ...ok, stride: 2 }, cfg).stride).toBe(2);
    expect(() => parseRsProblem({ ...ok, bias: [1, 2] }, cfg)).toThrow("'bias' must have 1 entries");
    expect(() => parseRsProblem({ ...ok, pad: 1 }, cfg)).toThrow("unknown key 'pad'");
  });
});
