// The rs host side: the DRAM image a layer runs from (descriptor at 0, then
// ifmap and filters with rows packed four values to a word, bias, ofmap and
// counter regions). It moves data only.
import { InputError } from '../../golden/common/errors.js';
import type { RsConfig } from '../../golden/rs/config.js';
import { convShape, type ConvProblem, type ConvShape } from '../../golden/rs/golden.js';
import {
  rsCounterNames,
  rsDescriptorFields,
  rsLanes,
  type RsDescriptorField,
  type RsMapping,
} from '../../golden/rs/contract.js';
import { mapConv } from '../../golden/rs/mapper.js';
import { fp32Bits } from '../../golden/common/requant.js';

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

/** Descriptor flags of the output stage: bit 2 requantize, bits 15:8 the output zero point, bit 16 int8. */
export const requantFlags = (p: Pick<ConvProblem, 'requant'>) =>
  p.requant ? 4 | ((p.requant.zeroPoint & 0xff) << 8) | (p.requant.output === 'int8' ? 1 << 16 : 0) : 0;

/**
 * The DRAM image: descriptor at 0, then ifmap and filters (rows packed,
 * packRow), bias, ofmap and counters (a word each).
 */
export function rsImage(cfg: RsConfig, p: ConvProblem, mapping?: RsMapping): RsImage {
  const sh = convShape(p);
  const { desc, size, mapping: m } = rsLayout(cfg, sh, p.bias !== undefined, !!p.relu, mapping, requantFlags(p));
  const words = new Map<number, bigint>();
  let i = desc.ifmapBase;
  for (const img of p.ifmap)
    for (const ch of img) for (const row of ch) for (const w of packRow(row)) words.set(i++, w);
  i = desc.filterBase;
  for (const f of p.filters) for (const ch of f) for (const row of ch) for (const w of packRow(row)) words.set(i++, w);
  // With the output stage a bias word carries its filter's float32 scale in bits 63:32.
  const q = p.requant;
  p.bias?.forEach((b, k) =>
    words.set(
      desc.biasBase + k,
      q ? BigInt.asIntN(64, (BigInt(fp32Bits(q.scale[k]!)) << 32n) | BigInt.asUintN(32, b)) : b,
    ),
  );
  rsDescriptorFields.forEach((k, j) => words.set(j, BigInt(desc[k])));
  return { words, size, desc, shape: sh, mapping: m };
}

/**
 * The descriptor and DRAM layout of a layer shape (no data): descriptor at
 * 0, then the ifmap, filter, bias, ofmap and counter regions.
 */
export function rsLayout(
  cfg: RsConfig,
  sh: ConvShape,
  hasBias: boolean,
  relu: boolean,
  mapping?: RsMapping,
  quantFlags = 0,
): { desc: Record<RsDescriptorField, number>; size: number; mapping: RsMapping } {
  let at = rsDescriptorFields.length;
  const region = (n: number) => {
    const base = at;
    at += n;
    return base;
  };
  const wq = Math.ceil(sh.W / rsLanes),
    sq = Math.ceil(sh.S / rsLanes);
  const ifmapBase = region(sh.N * sh.C * sh.H * wq);
  const filterBase = region(sh.M * sh.C * sh.R * sq);
  const biasBase = region(sh.M);
  const ofmapBase = region(sh.N * sh.M * sh.E * sh.F);
  const statsBase = region(rsCounterNames.length);
  // The descriptor's address fields and the DRAM port are 32 bits wide (checked before mapping).
  if (at > 2 ** 32)
    throw new InputError(
      `the layer's DRAM image needs ${at} words; the rs engine's 32-bit DRAM addresses reach ${2 ** 32} words (reduce N, C, H, W or M)`,
    );
  const m = mapping ?? mapConv(cfg, sh, hasBias);
  const desc: Record<RsDescriptorField, number> = {
    ...sh,
    ...m,
    flags: (hasBias ? 1 : 0) | (relu ? 2 : 0) | quantFlags,
    ifmapBase,
    filterBase,
    biasBase,
    ofmapBase,
    statsBase,
  };
  return { desc, size: at, mapping: m };
}
