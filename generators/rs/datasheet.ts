// The rs part of the datasheet (core/datasheet.ts): the DRAM protocol, the
// descriptor and the bounds the engine enforces, with this configuration's sizes.
import { rsLimits, type RsConfig } from '../../golden/rs/config.js';
import { rsCounterNames, rsDescriptorFields, rsMaxStride } from '../../golden/rs/contract.js';

export function rsDatasheet(cfg: RsConfig): string {
  const l = rsLimits(cfg);
  return `## DRAM protocol

The engine is a DRAM master; the memory answers. \`start_i\` is sampled while idle or done (a one-cycle pulse is enough). Reads: \`dram_rd_valid_o\` with a word address, always accepted; the memory returns the data on \`dram_rsp_valid_i\`/\`dram_rsp_rdata_i\` in request order, at least one cycle later (any latency); at most 16 reads are outstanding. Writes: \`dram_wr_valid_o\`, address and data on their own channel, always accepted. \`done_o\` rises at the end (with \`error_o\` if the descriptor was refused) and holds until the next start.

Timing example (start pulse, two reads answered two cycles later, in order, and a write):

\`\`\`
cycle              0     1     2     3     4     5    ...  k
start_i            1     0     0     0     0     0         0
busy_o             0     1     1     1     1     1         1
dram_rd_valid_o    0     1     1     0     0     0         0
dram_rd_addr_o     -     0     1     -     -     -         -
dram_rsp_valid_i   0     0     0     1     1     0         0
dram_rsp_rdata_i   -     -     -     d[0]  d[1]  -         -
dram_wr_valid_o    0     0     0     0     0     0         1
dram_wr_addr_o     -     -     -     -     -     -         a
\`\`\`

Ifmap and filter rows are packed four 16-bit values per 64-bit word (value j of a row in lane j % 4 of the row's word j / 4; each row starts a new word); bias, ofmap and counters take a word each (sign-extended).

## Descriptor

${rsDescriptorFields.length} words at DRAM address 0, one field per word in the low 32 bits:

| word | field |
|---|---|
${rsDescriptorFields.map((f, i) => `| ${i} | \`${f}\` |`).join('\n')}

\`flags\`: bit 0 add the bias, bit 1 ReLU${cfg.requant ? "; the output stage: bit 2 requantize each ofmap value to 8 bits (bias words then hold the filter's float32 scale in bits 63:32 and its int32 offset in 31:0; bit 0 must be set), bits 15:8 the output zero point, bit 16 int8 outputs (else uint8), ReLU a clamp at the zero point; values are written sign- or zero-extended (onnxruntime's requantization: int32 to float32 and the product with the scale both rounded to nearest even, then round half to even, add the zero point, clamp)" : ''}. Bases are word addresses: ifmap (N C H W rows), filters (M C R S rows), bias (M words), ofmap (N M E F words), counters. \`accelforge map rs\` (or \`run\`) computes a descriptor with the mapper; the bounds:

- N C H W M R S >= 1; 1 <= U <= ${rsMaxStride}; E = floor((H + 2P - R) / U) + 1 and F = floor((W + 2P - S) / U) + 1
- S <= ${Math.min(l.ifmapSpad, l.filterSpad)} (scratchpads); F <= ${l.psumHalf} (a psum bank)
- Rg = min(R, ${l.peRows}); V Rg <= ${l.peRows}; w Hs <= ${l.peCols}; tileRows = (w - 1) U + Rg
- 1 <= p <= ${l.psumSpad} and p F <= ${l.psumHalf}; ring = S or S + min(U, S); q ring <= ${l.ifmapSpad}
- p q S (prefetch + 1) <= ${l.filterSpad}; V q tileRows ceil(W / 4) (prefetch + 1) <= ${l.ifmapLines} buffer lines
- prefetch, ifAhead in {0, 1}; ifAhead needs prefetch, 2 q ring <= ${l.ifmapSpad} and R a multiple of Rg
- rFolds = ceil(R / Rg), strips = ceil(E / w), cGroups = ceil(C / (V q)), mGroups = ceil(M / (Hs p))

A descriptor outside them is refused right after it is read: \`error_o\` with \`done_o\`, nothing computed, nothing written.

## Counters

Written at statsBase + i at the end: ${rsCounterNames.map((n, i) => `${i} ${n}`).join(', ')}.

## Cycle formula

Cycles from start to done are given exactly (1-cycle DRAM reads) by \`rsCycles\` in golden/rs/cycles.ts, a replay of the sequencer's phases (DESC, CFG, per group BIAS, per pass LOAD and COLS, WB, DRAIN, STATS) over the mapping; no closed form.
`;
}
