// The eie access model: what each PE's access counters (interface.ts) must
// read after a run, from the encoding, the placement and the nonzero
// activations of every layer (the golden chain gives them), and the
// accesses per energy level (core/energy.ts). The tests hold the RTL to it.
import type { EieConfig } from './config.js';
import type { PeColumns } from './format.js';
import { normalizedEnergy, type LevelAccesses } from '../common/energy.js';
import { EieSel } from './interface.js';

export interface EieAccessLayer {
  pes: PeColumns[];
  rows: number;
  /** Nonzero input activations j, ascending. */
  nonzero: number[];
}

export interface EiePeAccess {
  ptrReads: number;
  matReads: number;
  biasReads: number;
  rfReads: number;
  rfWrites: number;
  cbReads: number;
}

/**
 * Per PE: two pointer words per broadcast column; a sparse-matrix line read
 * whenever the walker's entry is on another line than the one it holds (the
 * held line survives across columns and layers; `entryBase` places each
 * layer's entries, line-aligned); a bias read per local row of every layer's
 * INIT; activation register-file reads (the destination row of every real
 * entry, and the head when a broadcast takes it from this PE) and writes
 * (every real entry's sum, every INIT row); a codebook read per real entry.
 * `held`: the line each PE holds at the start (undefined after host writes).
 */
export function eieAccess(
  cfg: Pick<EieConfig, 'pes' | 'entriesPerLine'>,
  layers: EieAccessLayer[],
  entryBase: number[][],
  held: (number | undefined)[] = [],
): { pes: EiePeAccess[]; held: (number | undefined)[] } {
  const N = cfg.pes,
    E = cfg.entriesPerLine;
  const out: EiePeAccess[] = [];
  const heldOut: (number | undefined)[] = [];
  for (let k = 0; k < N; k++) {
    const a: EiePeAccess = { ptrReads: 0, matReads: 0, biasReads: 0, rfReads: 0, rfWrites: 0, cbReads: 0 };
    let line = held[k];
    layers.forEach((l, li) => {
      const pe = l.pes[k]!;
      const init = Math.ceil(l.rows / N);
      a.biasReads += init;
      a.rfWrites += init;
      a.ptrReads += 2 * l.nonzero.length;
      for (const j of l.nonzero) {
        if (j % N === k) a.rfReads++; // the broadcast took this PE's head
        for (let e = pe.p[j]!; e < pe.p[j + 1]!; e++) {
          const ln = Math.floor((entryBase[li]![k]! + e) / E);
          if (ln !== line) {
            a.matReads++;
            line = ln;
          }
          if (pe.v[e] !== 0) {
            a.rfReads++;
            a.rfWrites++;
            a.cbReads++;
          }
        }
      }
    });
    out.push(a);
    heldOut.push(line);
  }
  return { pes: out, held: heldOut };
}

/** Accesses per level: host traffic (values), the PEs' memories, the broadcast network, register files, MACs. */
export function eieLevels(
  cfg: Pick<EieConfig, 'pes' | 'entriesPerLine'>,
  c: { dramValues: number; broadcasts: number; pes: (EiePeAccess & { entries: number })[] },
): LevelAccesses {
  const sum = (f: (p: EiePeAccess & { entries: number }) => number) => c.pes.reduce((s, p) => s + f(p), 0);
  return {
    dram: c.dramValues,
    buffer: sum((p) => p.ptrReads + p.matReads * cfg.entriesPerLine + p.biasReads),
    array: c.broadcasts * cfg.pes,
    rf: sum((p) => p.rfReads + p.rfWrites + p.cbReads),
    mac: sum((p) => p.entries),
  };
}

export const eieEnergy = (cfg: Pick<EieConfig, 'pes' | 'entriesPerLine'>, c: Parameters<typeof eieLevels>[1]) =>
  normalizedEnergy(eieLevels(cfg, c));

/**
 * Values a host program moves across the chip boundary (the DRAM level):
 * pointer words, matrix lines (entriesPerLine entries each), biases,
 * codebook entries, activations written and outputs read; CSRs and
 * counters are not data.
 */
export function eieDramValues(cfg: Pick<EieConfig, 'entriesPerLine'>, program: string): number {
  let v = 0;
  for (const line of program.split('\n')) {
    const [op, sel] = line.split(' ');
    if (op === 'W' && sel === String(EieSel.mat)) v += cfg.entriesPerLine;
    else if (op === 'W' && [EieSel.ptr, EieSel.bias, EieSel.cb, EieSel.act].map(String).includes(sel!)) v += 1;
    else if (op === 'R' && sel === String(EieSel.act)) v += 1;
  }
  return v;
}
