// The eie host program on its own: pointers in bank j % 2 at word
// PTR_BASE + j / 2 (absolute entry indices), matrix lines of {z, v} slots,
// activation j in PE j % N at local address j / N.
import { describe, expect, it } from 'vitest';
import { eiePresets, parseEieConfig } from '../../golden/eie/config.js';
import { eieWidths } from '../../generators/eie/generate.js';
import { eieProgram } from './host.js';
import { layoutEie } from '../../golden/eie/layout.js';
import { EieSel } from '../../golden/eie/interface.js';

describe('eie host program', () => {
  const cfg = parseEieConfig({ pes: 2, rowsPerPe: 4, ptrDepth: 8, matDepth: 8, entriesPerLine: 2 });
  const w = eieWidths(cfg);
  const addr = (pe: number, local: number) => ((BigInt(pe) << BigInt(w.local)) | BigInt(local)).toString();
  // 4 x 3: PE 0 holds rows 0 and 2, PE 1 rows 1 and 3.
  const index = [
    [1, 0, 2],
    [0, 0, 3],
    [4, 0, 0],
    [0, 5, 6],
  ];
  const p = {
    activations: [7n, 0n, -1n],
    layers: [{ codebook: [0n, ...Array.from({ length: 15 }, (_, i) => BigInt(i + 1))], index, shift: 2, relu: true }],
  };

  it('lays pointers and lines out per PE and refuses memories that are too small', () => {
    const lay = layoutEie(cfg, p);
    expect(lay.encoded[0]![0]).toEqual({ v: [1, 4, 2], z: [0, 0, 0], p: [0, 2, 2, 3] });
    expect(lay.encoded[0]![1]).toEqual({ v: [5, 3, 6], z: [1, 0, 0], p: [0, 0, 1, 3] });
    expect(lay.ptrWords).toBe(2);
    expect(() => layoutEie(parseEieConfig({ ...cfg, matDepth: 1 }), p)).toThrow(/PE 0 needs 2 sparse-matrix lines/);
  });

  it('writes the clear first, pointers by bank, lines, codebook, layer CSRs, activations, start and read-back', () => {
    const prog = eieProgram(cfg, p, layoutEie(cfg, p)).trim().split('\n');
    expect(prog[0]).toBe(`W ${EieSel.csr} 0 2`);
    const ptr = prog.filter((l) => l.startsWith(`W ${EieSel.ptr} `));
    // PE 0: p = [0, 2, 2, 3]: p[0] bank 0 word 0, p[1] bank 1 word 0, p[2] bank 0 word 1, p[3] bank 1 word 1.
    const bank = (b: number, word: number) => (b << w.ptrAddr) | word;
    expect(ptr.slice(0, 4)).toEqual([
      `W 1 ${addr(0, bank(0, 0))} 0`,
      `W 1 ${addr(0, bank(1, 0))} 2`,
      `W 1 ${addr(0, bank(0, 1))} 2`,
      `W 1 ${addr(0, bank(1, 1))} 3`,
    ]);
    // A line holds two {z, v} entries of 8 bits, slot 0 in the low bits.
    expect(prog.filter((l) => l.startsWith(`W ${EieSel.mat} ${addr(0, 0)} `))).toEqual([`W 2 ${addr(0, 0)} 401`]);
    expect(prog).toContain(`W ${EieSel.csr} 10 ${(2 | 16).toString(16)}`);
    // Nonzero activations only, after the clear: a[0] = 7 in PE 0, a[2] = -1 in PE 0 local 1.
    expect(prog.filter((l) => l.startsWith(`W ${EieSel.act} `))).toEqual([
      `W 5 ${addr(0, 0)} 7`,
      `W 5 ${addr(0, 1)} ffff`,
    ]);
    expect(prog.slice(-4)).toEqual([
      `R 5 ${addr(0, 0)}`,
      `R 5 ${addr(1, 0)}`,
      `R 5 ${addr(0, 1)}`,
      `R 5 ${addr(1, 1)}`,
    ]);
  });

  it('presets match cli.md', () => {
    expect(eiePresets['eie-64pe']).toMatchObject({ pes: 64, fifoDepth: 8, rowsPerPe: 64, accWidth: 32 });
    expect(() => parseEieConfig({ entriesPerLine: 3 })).toThrow(
      /entriesPerLine' has value 3; allowed: 1, 2, 4, 8 or 16/,
    );
  });
});
