// How an eie problem lands in the engine's per-PE memories: each layer
// encoded (numerics.md's storage format) and placed, pointer words and
// sparse-matrix lines counted; refused by name when a memory is too small.
// Pure: the host program (testbenches/eie/host.ts) writes what this places.
import type { EieConfig } from './config.js';
import { InputError } from '../common/errors.js';
import { encodeCsc, type PeColumns } from './format.js';
import type { EieProblem } from './problem.js';

/** Per-layer placement in the per-PE memories. */
export interface EieLayout {
  encoded: PeColumns[][]; // [layer][pe]
  ptrBase: number[]; // per layer, pointer words (same in both banks and all PEs)
  entryBase: number[][]; // [layer][pe], line-aligned entry address
  /** Memory the layers need: pointer words per bank, sparse-matrix lines of the fullest PE. */
  ptrWords: number;
  matLines: number;
}

/** Encodes every layer and places it; InputError when a memory is too small. */
export function layoutEie(cfg: EieConfig, p: EieProblem): EieLayout {
  const E = cfg.entriesPerLine;
  const encoded = p.layers.map((l) => encodeCsc(l.index, cfg.pes, cfg.indexBits));
  const ptrBase: number[] = [];
  let ptrWords = 0;
  p.layers.forEach((l) => {
    ptrBase.push(ptrWords);
    ptrWords += Math.ceil((l.index[0]!.length + 1) / 2);
  });
  if (ptrWords > cfg.ptrDepth) {
    throw new InputError(`the layers need ${ptrWords} pointer words per bank; ptrDepth is ${cfg.ptrDepth}`);
  }
  const entryBase = p.layers.map(() => Array<number>(cfg.pes).fill(0));
  let matLines = 0;
  for (let k = 0; k < cfg.pes; k++) {
    let lines = 0;
    encoded.forEach((layer, l) => {
      entryBase[l]![k] = lines * E;
      lines += Math.ceil(layer[k]!.v.length / E);
    });
    if (lines > cfg.matDepth) {
      throw new InputError(
        `PE ${k} needs ${lines} sparse-matrix lines (entries including padding); matDepth is ${cfg.matDepth}`,
      );
    }
    matLines = Math.max(matLines, lines);
  }
  // The placement moves every layer's words and lines up by the same amount, inside the free rows.
  const at = (f: number, depth: number, used: number) => Math.floor(f * (depth - used + 1));
  const ptrOff = at(p.placement?.ptr ?? 0, cfg.ptrDepth, ptrWords);
  const matOff = at(p.placement?.mat ?? 0, cfg.matDepth, matLines) * E;
  return {
    encoded,
    ptrBase: ptrBase.map((b) => b + ptrOff),
    entryBase: entryBase.map((l) => l.map((b) => b + matOff)),
    ptrWords,
    matLines,
  };
}
