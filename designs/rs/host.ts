// The rs host side: the DRAM image a layer runs from (descriptor at 0, then
// ifmap and filters with rows packed four values to a word, bias, ofmap and
// counter regions). It moves data only.
import type { RsConfig } from './config.js';
import { convShape, type ConvProblem, type ConvShape } from './golden.js';
import { rsCounterNames, rsDescriptorFields, rsLanes, type RsDescriptorField, type RsMapping } from './contract.js';
import { mapConv } from './mapper.js';

export interface RsImage {
  /** Word address -> value (two's complement, 64-bit). */
  words: Map<number, bigint>;
  size: number;
  desc: Record<RsDescriptorField, number>;
  shape: ConvShape;
  mapping: RsMapping;
}

/** A row packed rsLanes values to a 64-bit word (16-bit two's complement lanes). */
function packRow(row: number[]): bigint[] {
  const out: bigint[] = [];
  for (let j = 0; j < row.length; j += rsLanes) {
    let w = 0n;
    row.slice(j, j + rsLanes).forEach((v, l) => (w |= BigInt.asUintN(16, BigInt(v)) << BigInt(16 * l)));
    out.push(BigInt.asIntN(64, w));
  }
  return out;
}

/**
 * The DRAM image: descriptor at 0, then ifmap and filters (rows packed,
 * packRow), bias, ofmap and counters (a word each).
 */
export function rsImage(cfg: RsConfig, p: ConvProblem, mapping?: RsMapping): RsImage {
  const sh = convShape(p);
  const m = mapping ?? mapConv(cfg, sh, p.bias !== undefined);
  const words = new Map<number, bigint>();
  let at = rsDescriptorFields.length;
  const region = (n: number) => {
    const base = at;
    at += n;
    return base;
  };
  const wq = Math.ceil(sh.W / rsLanes), sq = Math.ceil(sh.S / rsLanes);
  const ifmapBase = region(sh.N * sh.C * sh.H * wq);
  const filterBase = region(sh.M * sh.C * sh.R * sq);
  const biasBase = region(sh.M);
  const ofmapBase = region(sh.N * sh.M * sh.E * sh.F);
  const statsBase = region(rsCounterNames.length);
  let i = ifmapBase;
  for (const img of p.ifmap) for (const ch of img) for (const row of ch) for (const w of packRow(row)) words.set(i++, w);
  i = filterBase;
  for (const f of p.filters) for (const ch of f) for (const row of ch) for (const w of packRow(row)) words.set(i++, w);
  p.bias?.forEach((b, k) => words.set(biasBase + k, b));
  const desc: Record<RsDescriptorField, number> = {
    ...sh,
    ...m,
    flags: (p.bias ? 1 : 0) | (p.relu ? 2 : 0),
    ifmapBase, filterBase, biasBase, ofmapBase, statsBase,
  };
  rsDescriptorFields.forEach((k, j) => words.set(j, BigInt(desc[k])));
  return { words, size: at, desc, shape: sh, mapping: m };
}

