// The eie host program: TypeScript acts as host/DMA. It encodes each layer
// in the storage format of numerics.md (format.ts), places the per-PE memory
// images, and writes the host-port transactions that load them, start the
// chain and read the outputs back. It never computes a layer's output.
import type { EieConfig } from '../../golden/eie/config.js';
import { eieWidths } from '../../generators/eie/generate.js';
import { type EieLayout } from '../../golden/eie/layout.js';
import { packHex } from '../common/host-program.js';
import { EieCsr, EieSel, layerCsr, peCounterNames } from '../../golden/eie/interface.js';
import type { EieProblem } from '../../golden/eie/problem.js';

const two16 = (v: bigint) => BigInt.asUintN(16, v);

/** The host program: clear, memories, activations, layer CSRs, start, wait, read back. */
export function eieProgram(cfg: EieConfig, p: EieProblem, lay: EieLayout): string {
  const w = eieWidths(cfg);
  const N = cfg.pes,
    E = cfg.entriesPerLine;
  const addr = (pe: number, local: number) => (BigInt(pe) << BigInt(w.local)) | BigInt(local);
  const lines: string[] = [];
  const W = (sel: number, a: bigint | number, data: bigint) => lines.push(`W ${sel} ${a} ${data.toString(16)}`);
  W(EieSel.csr, EieCsr.ctrl, 2n); // clear every activation mask
  p.layers.forEach((layer, l) => {
    const cols = layer.index[0]!.length;
    for (let k = 0; k < N; k++) {
      const pe = lay.encoded[l]![k]!;
      const base = lay.entryBase[l]![k]!;
      // Pointers: p[j] in bank j % 2, word ptrBase + j div 2.
      for (let j = 0; j <= cols; j++) {
        const local = ((j & 1) << w.ptrAddr) | (lay.ptrBase[l]! + (j >> 1));
        W(EieSel.ptr, addr(k, local), BigInt(base + pe.p[j]!));
      }
      // Matrix lines: entry = {z, v}, slot s at bits [s * entryBits +: entryBits].
      for (let e = 0; e < pe.v.length; e += E) {
        const entries: bigint[] = [];
        for (let s = 0; s < E && e + s < pe.v.length; s++) {
          entries.push((BigInt(pe.z[e + s]!) << BigInt(cfg.codebookBits)) | BigInt(pe.v[e + s]!));
        }
        W(EieSel.mat, addr(k, (base + e) / E), BigInt(`0x${packHex(entries, w.entry) || '0'}`));
      }
    }
    if (layer.bias) {
      layer.bias.forEach((b, i) => W(EieSel.bias, addr(i % N, l * cfg.rowsPerPe + Math.floor(i / N)), two16(b)));
    }
    layer.codebook.forEach((c, v) => W(EieSel.cb, (l << cfg.codebookBits) | v, two16(c)));
    W(EieSel.csr, layerCsr(l, 'rows'), BigInt(layer.index.length));
    W(EieSel.csr, layerCsr(l, 'ptrBase'), BigInt(lay.ptrBase[l]!));
    W(EieSel.csr, layerCsr(l, 'flags'), BigInt(layer.shift | (layer.relu ? 16 : 0) | (layer.bias ? 32 : 0)));
  });
  lines.push(...eieRunLines(cfg, p.activations, p.layers.length, p.layers.at(-1)!.index.length, ''));
  return lines.join('\n') + '\n';
}

/**
 * One chain run on the loaded layers: the input activations (nonzero ones),
 * the layer count, start, wait, then the counters and the last layer's
 * outputs. A later run must clear the activations first (`clear`).
 */
function eieRunLines(
  cfg: EieConfig,
  activations: bigint[],
  layers: number,
  rows: number,
  tag: string,
  clear = false,
): string[] {
  const w = eieWidths(cfg);
  const N = cfg.pes;
  const addr = (pe: number, local: number) => (BigInt(pe) << BigInt(w.local)) | BigInt(local);
  const lines: string[] = [];
  const W = (sel: number, a: bigint | number, data: bigint) => lines.push(`W ${sel} ${a} ${data.toString(16)}`);
  if (clear) W(EieSel.csr, EieCsr.ctrl, 2n);
  activations.forEach((a, j) => {
    if (a !== 0n) W(EieSel.act, addr(j % N, Math.floor(j / N)), two16(a));
  });
  W(EieSel.csr, EieCsr.numLayers, BigInt(layers));
  lines.push(`MARK start${tag}`);
  W(EieSel.csr, EieCsr.ctrl, 1n);
  lines.push('WAIT');
  lines.push(`MARK done${tag}`);
  for (const c of [EieCsr.cycles, EieCsr.broadcasts, EieCsr.fullStalls]) lines.push(`R ${EieSel.csr} ${c}`);
  for (let l = 0; l < layers; l++) lines.push(`R ${EieSel.csr} ${layerCsr(l, 'cycles')}`);
  for (let k = 0; k < N; k++)
    for (let c = 0; c < peCounterNames.length; c++) lines.push(`R ${EieSel.cnt} ${addr(k, c)}`);
  for (let i = 0; i < rows; i++) lines.push(`R ${EieSel.act} ${addr(i % N, Math.floor(i / N))}`);
  return lines;
}

/** Reads per run: cycles, broadcasts, stalls, per-layer cycles, per-PE counters, outputs. */
export function eieReadsPerRun(cfg: EieConfig, layers: number, rows: number): number {
  return 3 + layers + cfg.pes * peCounterNames.length + rows;
}

/**
 * Several input vectors through the same layers in one program: the
 * memories load once, then each input runs as its own chain (activations
 * cleared first). Run i's marks are start<i> / done<i> (run 0: start, done).
 */
export function eieBatchProgram(cfg: EieConfig, p: EieProblem, inputs: bigint[][], lay: EieLayout): string {
  const first = eieProgram(cfg, { ...p, activations: inputs[0]! }, lay);
  const rows = p.layers.at(-1)!.index.length;
  const rest = inputs.slice(1).flatMap((a, i) => eieRunLines(cfg, a, p.layers.length, rows, String(i + 1), true));
  return first + (rest.length ? rest.join('\n') + '\n' : '');
}
