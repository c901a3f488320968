// The eie problem parser on its own (no simulator).
import { describe, expect, it } from 'vitest';
import { eiePresets } from './config.js';
import { InputError } from '../common/errors.js';
import { parseEieProblem } from './problem.js';

describe('eie limits and input', () => {
  const cfg = eiePresets['eie-4pe']!;
  it('refuses a layer with more rows than pes x rowsPerPe, naming the limit', () => {
    const rows = cfg.pes * cfg.rowsPerPe + 1;
    const raw = {
      activations: [1],
      layers: [{ codebook: Array(16).fill(0), index: Array.from({ length: rows }, () => [0]), shift: 0 }],
    };
    expect(() => parseEieProblem(raw, cfg)).toThrow(InputError);
    expect(() => parseEieProblem(raw, cfg)).toThrow(
      /index has 257 rows; this config holds at most pes x rowsPerPe = 256/,
    );
  });
  it('rejects bad fields with the field, value and allowed range', () => {
    const ok = { activations: [1, 2], layers: [{ codebook: [0, ...Array(15).fill(1)], index: [[1, 0]], shift: 3 }] };
    expect(() => parseEieProblem({ ...ok, activations: [1, 40000] }, cfg)).toThrow(
      "'activations'[1] = 40000 is out of range",
    );
    expect(() => parseEieProblem({ ...ok, layers: [{ ...ok.layers[0], index: [[1]] }] }, cfg)).toThrow(
      "'layers'[0].index[0] has 1 entries; expected 2",
    );
    expect(() => parseEieProblem({ ...ok, layers: [{ ...ok.layers[0], shift: 16 }] }, cfg)).toThrow(
      "'layers'[0].shift = 16 is out of range; allowed: 0..15",
    );
    expect(() =>
      parseEieProblem({ ...ok, layers: [{ ...ok.layers[0], codebook: [5, ...Array(15).fill(1)] }] }, cfg),
    ).toThrow('codebook[0] must be 0');
    expect(() => parseEieProblem({ ...ok, layers: [{ ...ok.layers[0], index: [[16, 0]] }] }, cfg)).toThrow(
      'index[0][0] = 16 is out of range; allowed: 0..15',
    );
  });
});
