// ws / os functional bins on problems built by hand: which bins a case hits
// follows from its shape, operands, stalls and dataflow alone.
import { describe, expect, it } from 'vitest';
import { parseOsConfig, parseWsConfig } from '../../golden/gemm/config.js';
import { BinTally, binsText } from '../common/bins.js';
import { systolicBins } from './bins.js';
import type { GemmEngineResult } from './sim.js';

const cfg = parseWsConfig({ rows: 4, cols: 4, dataWidth: 8, accWidth: 18, dataflow: 'both' }, 'test');
const mat = (r: number, c: number, v = 1n) => Array.from({ length: r }, () => Array<bigint>(c).fill(v));
const ran = (dataflow: 'ws' | 'os') => ({ dataflow }) as GemmEngineResult;

describe('systolic bins', () => {
  it('lists what the configuration can reach', () => {
    const names = systolicBins.list(cfg).map((b) => b.name);
    expect(names).toContain('dataflow os');
    // 18-bit accumulators: the generator's K (up to 26 on 4 rows) x 128 x 128 passes 2^17, so a sum can wrap.
    expect(names).toContain('accumulator can wrap');
    const wide = parseWsConfig({ rows: 4, cols: 4, dataflow: 'ws' }, 'test');
    const wideNames = systolicBins.list(wide).map((b) => b.name);
    expect(wideNames).not.toContain('accumulator can wrap');
    expect(wideNames).not.toContain('dataflow os');
    expect(wideNames).toContain('conv stride');
    const one = parseOsConfig({ rows: 1, cols: 1, dataflow: 'os' }, 'test');
    expect(systolicBins.list(one).map((b) => b.name)).not.toContain('M < rows');
  });

  it('lists conv passes only where a drawable convolution outgrows a buffer', () => {
    const names = (raw: object) => systolicBins.list(parseWsConfig(raw, 'test')).map((b) => b.name);
    // 16384-row buffers hold the largest drawn convolution (2 x 9 x 9 x 9 ifmap) in one pass.
    expect(names({ rows: 4, cols: 4 })).not.toContain('conv passes');
    expect(names({ rows: 2, cols: 2, aDepth: 32, bDepth: 32, accDepth: 64 })).toContain('conv passes');
  });

  it('hits bins from the problem, the stalls and the run', () => {
    const p = { a: mat(3, 9), b: mat(9, 5, -128n), d: mat(3, 5), relu: true, placement: { a: 0.5, b: 0, acc: 0 } };
    expect(systolicBins.hit(cfg, p, ran('os'), { stallPermille: 100 }).sort()).toEqual(
      [
        'M < rows',
        'M partial tile',
        'K folds',
        'K partial pass',
        'N partial tile',
        'N several tiles',
        'D',
        'ReLU',
        'B extreme',
        'host stalls',
        'buffers placed high',
        'dataflow os',
      ].sort(),
    );
    // K = 4: 4 x 127 x 127 = 64,516 stays under 2^17; K = 40: 40 x 127 x 128 = 650,240 can wrap.
    expect(systolicBins.hit(cfg, { a: mat(4, 4, 127n), b: mat(4, 4, -127n) }, ran('ws'), {})).toEqual(['dataflow ws']);
    expect(systolicBins.hit(cfg, { a: mat(4, 40, 127n), b: mat(40, 4, -128n) }, ran('ws'), {})).toContain(
      'accumulator can wrap',
    );
  });

  it('tallies the cases that hit each bin and names the empty ones', () => {
    const t = new BinTally(systolicBins.list(cfg));
    t.add(1, ['D', 'ReLU']);
    t.add(2, ['D']);
    const s = t.summary();
    expect(s.bins.find((b) => b.name === 'D')!.cases).toEqual([1, 2]);
    expect(s.covered).toBe(2);
    expect(binsText(s, true, 2)[1]).toBe('  not every bin was hit within 2 cases');
    expect(t.empty().map((b) => b.name)).toContain('conv');
  });

  it('hits the output stage bins from the problem and the limits from the RTL result', () => {
    const q = parseWsConfig({ rows: 4, cols: 4, quantDepth: 8 }, 'test');
    expect(systolicBins.list(q).map((b) => b.name)).toContain('requant high limit');
    expect(systolicBins.list(cfg).map((b) => b.name)).not.toContain('requant int8');
    const p = {
      a: mat(2, 3),
      b: mat(3, 2),
      relu: true,
      requant: { scale: [0.5, 0.25], offset: [0, 0], zeroPoint: 10, output: 'uint8' as const },
    };
    const r = {
      dataflow: 'ws',
      c: [
        [10n, 255n],
        [11n, 12n],
      ],
    } as GemmEngineResult;
    const hits = systolicBins.hit(q, p, r, {}).filter((h) => h.startsWith('requant'));
    // ReLU: the low limit is the zero point (10).
    expect(hits.sort()).toEqual(['requant high limit', 'requant low limit', 'requant per column', 'requant uint8']);
    expect(
      systolicBins.predict!(q, p, {})
        .filter((h) => h.startsWith('requant'))
        .sort(),
    ).toEqual(['requant per column', 'requant uint8']);
  });
});
