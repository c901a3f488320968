// rs functional bins from a layer and the mapping a run used.
import { describe, expect, it } from 'vitest';
import { rsPresets } from '../../golden/rs/config.js';
import type { ConvProblem } from '../../golden/rs/golden.js';
import { rsBins } from './bins.js';
import type { RsRunResult } from './sim.js';

const cfg = rsPresets['rs-4x4']!;
const t4 = (a: number, b: number, c: number, d: number) =>
  Array.from({ length: a }, () =>
    Array.from({ length: b }, () => Array.from({ length: c }, () => Array<number>(d).fill(1))),
  );

describe('rs bins', () => {
  it('hits the shape bins and the mapping bins of the run', () => {
    const p: ConvProblem = { ifmap: t4(2, 3, 9, 9), filters: t4(4, 3, 3, 2), stride: 3, padding: 1, relu: true };
    const m = {
      Rg: 3,
      rFolds: 2,
      w: 1,
      strips: 3,
      V: 1,
      Hs: 1,
      q: 2,
      p: cfg.psumSpad,
      cGroups: 2,
      mGroups: 1,
      tileRows: 3,
      ring: 2,
      prefetch: 1,
      ifAhead: 0,
    };
    const hits = rsBins.hit(cfg, p, { mapping: m } as RsRunResult, {});
    expect(hits.sort()).toEqual(
      [
        'stride > 1',
        'stride past the filter',
        'padding',
        'batch',
        'ReLU',
        'filter rows folded',
        'ifmap strips',
        'channel groups',
        'channels per PE',
        'filters per PE',
        'psum spad full',
        'prefetch',
      ].sort(),
    );
  });
});
