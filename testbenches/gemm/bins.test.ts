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

  it('counts passes, K passes and bands of a convolution planned within a budget of buffer rows', () => {
    const c4 = parseWsConfig({ rows: 4, cols: 4 }, 'test');
    const t4 = (a: number, b: number, c: number, d: number) =>
      Array.from({ length: a }, () =>
        Array.from({ length: b }, () => Array.from({ length: c }, () => Array<bigint>(d).fill(1n))),
      );
    const layer = { ifmap: t4(1, 8, 6, 6), filters: t4(4, 8, 3, 3), stride: 1, padding: 0 };
    const conv = (q: object) =>
      systolicBins.hit(c4, { ...layer, ...q }, ran('ws'), {}).filter((b) => b.startsWith('conv '));
    // Whole: one pass. 16384-row buffers hold it.
    expect(conv({})).not.toContain('conv passes');
    // B holds one K tile of 4 rows (of 3 x 3 x 2 = 18): K passes.
    expect(conv({ buffers: { b: 4 } })).toEqual(expect.arrayContaining(['conv passes', 'conv K passes']));
    // The accumulator holds one output row (4 pixels) of the 4 x 4 output: bands of rows.
    expect(conv({ buffers: { acc: 4 } })).toEqual(expect.arrayContaining(['conv passes', 'conv bands']));
    expect(conv({ buffers: { acc: 4 } })).not.toContain('conv K passes');
    expect(systolicBins.list(c4).map((b) => b.name)).toEqual(expect.arrayContaining(['conv passes', 'conv bands']));
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
        'K last pass one row',
        'K three passes',
        'K third pass one row',
        'N last tile one column',
        'D',
        'ReLU',
        'B extreme',
        'host stalls',
        'buffers placed high',
        'dataflow os',
      ].sort(),
    );
    // A at row floor(0.75 x (16384 - 9 + 1)) = 12282 of 16384: the top address bit; B and C at row 0.
    const high = systolicBins.hit(cfg, { ...p, placement: { a: 0.75, b: 0, acc: 0 } }, ran('os'), {});
    expect(high.filter((b) => b.endsWith('upper half'))).toEqual(['A in upper half']);
    expect(systolicBins.hit(cfg, { a: mat(9, 4), b: mat(4, 4) }, ran('ws'), {})).toContain('M last tile one row');
    // N = 9 on 4 columns: a third tile one column wide; N = 5 only a second.
    const n9 = systolicBins.hit(cfg, { a: mat(4, 4), b: mat(4, 9) }, ran('ws'), {});
    expect(n9.filter((b) => b.startsWith('N'))).toEqual([
      'N partial tile',
      'N several tiles',
      'N last tile one column',
      'N third tile one column',
    ]);
    const n5 = systolicBins.hit(cfg, { a: mat(4, 4), b: mat(4, 5) }, ran('ws'), {});
    expect(n5).toContain('N last tile one column');
    expect(n5).not.toContain('N third tile one column');
    // K = 4: 4 x 127 x 127 = 64,516 stays under 2^17; K = 40: 40 x 127 x 128 = 650,240 can wrap.
    expect(systolicBins.hit(cfg, { a: mat(4, 4, 127n), b: mat(4, 4, -127n) }, ran('ws'), {})).toEqual([
      'M whole tiles',
      'K whole passes',
      'N whole tiles',
      'dataflow ws',
    ]);
    expect(systolicBins.hit(cfg, { a: mat(4, 40, 127n), b: mat(40, 4, -128n) }, ran('ws'), {})).toContain(
      'accumulator can wrap',
    );
  });

  it('hits the convolution edge bins where a window reaches past the ifmap', () => {
    const ws = parseWsConfig({ rows: 4, cols: 4 }, 'test');
    const t4 = (a: number, b: number, c: number, d: number) =>
      Array.from({ length: a }, () =>
        Array.from({ length: b }, () => Array.from({ length: c }, () => Array<bigint>(d).fill(1n))),
      );
    const conv = (H: number, W: number, R: number, S: number, stride: number, padding: number) =>
      systolicBins.hit(ws, { ifmap: t4(1, 2, H, W), filters: t4(2, 2, R, S), stride, padding }, ran('ws'), {});
    // Stride 1 with padding: the last window always passes both edges (5 wide, 3 x 3, padding 1: columns 3 .. 5).
    expect(conv(6, 5, 2, 3, 1, 1).filter((b) => b.startsWith('conv padding'))).toEqual([
      'conv padding',
      'conv padding right',
      'conv padding bottom',
    ]);
    // Stride 3, 3 x 3, padding 1: rows -1 .. 1 and 2 .. 4 of 6 (inside), columns up to 5 .. 7 of 7 (one past).
    expect(conv(6, 7, 3, 3, 3, 1).filter((b) => b.startsWith('conv padding'))).toEqual([
      'conv padding',
      'conv padding right',
    ]);
    // Stride 2 over 5 with padding 1: windows start at -1, 1, 3 and end at 1, 3, 5 (past the edge) in both directions.
    expect(conv(5, 5, 3, 3, 2, 1)).toEqual(expect.arrayContaining(['conv padding right', 'conv padding bottom']));
    // Stride 3 over 6 with padding 1 and 3 x 3: windows -1 .. 1 and 2 .. 4: the right edge is never passed.
    expect(conv(6, 6, 3, 3, 3, 1)).not.toContain('conv padding right');
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
