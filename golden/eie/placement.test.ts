// The eie host's placement: every layer's pointer words and matrix lines move
// up together inside the rows their memories leave free; bad fractions are
// refused naming the key.
import { describe, expect, it } from 'vitest';
import { eiePresets } from './config.js';
import { layoutEie } from './layout.js';
import { parseEieProblem, randomEieProblem } from './problem.js';
import { Random } from '../common/random.js';

const cfg = eiePresets['eie-4pe']!;
const p = randomEieProblem(
  cfg,
  12,
  [
    { rows: 9, weightDensity: 0.5 },
    { rows: 5, weightDensity: 0.5 },
  ],
  1,
  new Random(4),
);

describe('eie placement', () => {
  it('moves the pointer words and matrix lines of every layer by one offset inside the free rows', () => {
    const at0 = layoutEie(cfg, p);
    const top = layoutEie(cfg, { ...p, placement: { ptr: 0.999999, mat: 0.999999 } });
    // The highest placement ends on the last row of each memory.
    const ptrOff = cfg.ptrDepth - at0.ptrWords;
    expect(top.ptrBase).toEqual(at0.ptrBase.map((b) => b + ptrOff));
    const matOff = (cfg.matDepth - at0.matLines) * cfg.entriesPerLine;
    expect(top.entryBase).toEqual(at0.entryBase.map((l) => l.map((b) => b + matOff)));
    expect([top.ptrWords, top.matLines]).toEqual([at0.ptrWords, at0.matLines]);
  });

  it('parses placement and refuses a fraction outside [0, 1) or an unknown key', () => {
    const raw = {
      activations: [1, 2],
      layers: [{ codebook: Array.from({ length: 1 << cfg.codebookBits }, (_, i) => i), index: [[1, 0]], shift: 0 }],
    };
    expect(parseEieProblem({ ...raw, placement: { ptr: 0.5, mat: 0.25 } }, cfg).placement).toEqual({
      ptr: 0.5,
      mat: 0.25,
    });
    expect(() => parseEieProblem({ ...raw, placement: { ptr: 1 } }, cfg, 'in.json')).toThrow(
      "in.json: 'placement.ptr' is 1; expected a number in [0, 1)",
    );
    expect(() => parseEieProblem({ ...raw, placement: { act: 0.1 } }, cfg, 'in.json')).toThrow(
      "unknown key 'placement.act'; allowed: ptr, mat",
    );
  });
});
