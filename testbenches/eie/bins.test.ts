// eie functional bins on hand-built layers and counters.
import { describe, expect, it } from 'vitest';
import { parseEieConfig } from '../../golden/eie/config.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import { eieBins } from './bins.js';
import type { EieRunResult } from './sim.js';

const cfg = parseEieConfig({ pes: 2, rowsPerPe: 64, indexBits: 2, maxLayers: 2 }, 'test');
const counters = (entries: number[], queueFull = 0, starved = 0) =>
  ({ pes: entries.map((e) => ({ entries: e, queueFull, starved })) }) as unknown as EieRunResult;

describe('eie bins', () => {
  it('reads sparsity corner cases from the layers', () => {
    // 12 rows x 2 columns: column 1 empty; column 0 has rows 0 and 10 (PE 0's rows 0, 2, .., 10: four zero rows
    // between, more than 2^2 - 1 = 3, so a padding entry).
    const index = Array.from({ length: 12 }, (_, i) => [i === 0 || i === 10 ? 1 : 0, 0]);
    const p: EieProblem = {
      activations: [0n, 0n],
      layers: [{ codebook: [0n, 1n, 2n, 3n], index, shift: 0, relu: true }],
    };
    expect(eieBins.hit(cfg, p, counters([2, 0]), { stallPermille: 0 }).sort()).toEqual(
      ['empty column', 'zero activations', 'padding entries', 'ReLU', 'one PE does all the work'].sort(),
    );
    expect(eieBins.predict!(cfg, p, {})).toContain('one PE does all the work');
  });

  it('counts pointer words and matrix lines placed in the upper half of their memories', () => {
    const p: EieProblem = { activations: [1n], layers: [{ codebook: [0n, 1n, 2n, 3n], index: [[1], [1]], shift: 0 }] };
    const upper = (q: EieProblem) => eieBins.hit(cfg, q, counters([1, 1]), {}).filter((b) => b.endsWith('upper half'));
    expect(upper(p)).toEqual([]);
    expect(upper({ ...p, placement: { ptr: 0.99, mat: 0.99 } })).toEqual([
      'pointers in upper half',
      'matrix in upper half',
    ]);
    expect(upper({ ...p, placement: { ptr: 0, mat: 0.99 } })).toEqual(['matrix in upper half']);
  });

  it('counts a vector reaching the upper half of the activation rows', () => {
    // 2 PEs x 64 rows: index 64 and up is the upper half.
    const layer = (rows: number, cols: number) => ({
      codebook: [0n, 1n, 2n, 3n],
      index: Array.from({ length: rows }, () => Array.from({ length: cols }, () => 1)),
      shift: 0,
    });
    const hit = (rows: number, cols = 1) =>
      eieBins
        .hit(
          cfg,
          { activations: Array.from({ length: cols }, () => 1n), layers: [layer(rows, cols)] },
          counters([1, 1]),
          {},
        )
        .includes('activation file upper half');
    expect(hit(64)).toBe(false);
    expect(hit(65)).toBe(true);
    // An input of 65 activations (the first layer's columns).
    expect(hit(3, 65)).toBe(true);
    expect(hit(3, 64)).toBe(false);
  });

  it('takes queue and starvation from the RTL counters', () => {
    const p: EieProblem = { activations: [1n], layers: [{ codebook: [0n, 1n, 2n, 3n], index: [[1], [1]], shift: 0 }] };
    const hits = eieBins.hit(cfg, p, counters([1, 1], 2, 5), { stallPermille: 200 });
    expect(hits.sort()).toEqual(['host stalls', 'queue full', 'starved PE'].sort());
    expect(eieBins.list(cfg).map((b) => b.name)).toContain('chained layers');
  });
});
