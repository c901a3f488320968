// The systolic engines' part of the datasheet (generators/common/datasheet.ts):
// host protocol, CSR map, buffer layouts of each dataflow the array runs,
// the dataflow itself and the cycle formulas, with this configuration's numbers.
import { runs, type GemmConfig } from '../../golden/gemm/config.js';
import { convFields, ctrlBits, gemmCsrs, gemmTargets } from '../../golden/gemm/interface.js';
import { registerTables } from '../common/csr.js';
import { gemmHostWidths } from './generate.js';
import { clog2 } from '../common/design.js';

function layouts(cfg: GemmConfig): string {
  const R = cfg.rows,
    C = cfg.cols;
  const out: string[] = [];
  if (runs(cfg, 'ws'))
    out.push(
      `- Weight stationary (KT = ceil(K / ${R})): A row \`kt M + m\` holds \`A[m][kt ${R} + r]\` in element r; B row \`(nt KT + kt) ${R} + r\` holds \`B[kt ${R} + r][nt ${C} + c]\` in element c; entries past K or N are zero.`,
    );
  if (runs(cfg, 'os'))
    out.push(
      `- Output stationary (MT = ceil(M / ${R})): A row \`mt K + k\` holds \`A[mt ${R} + r][k]\` in element r (zeros past M); B row \`nt K + k\` holds \`B[k][nt ${C} + c]\` in element c (zeros past N).`,
    );
  out.push(`- Accumulator row \`nt M + m\` holds \`C[m][nt ${C} + c]\` in element c (both dataflows).`);
  return `Buffer layouts (offsets from the base CSRs):\n\n${out.join('\n')}`;
}

function cycleFormulas(cfg: GemmConfig): string {
  const R = cfg.rows,
    C = cfg.cols,
    W = Math.max(C - 1, 1);
  const out: string[] = [];
  if (runs(cfg, 'ws'))
    out.push(
      `- Weight stationary, with T = ceil(K / ${R}) ceil(N / ${C}) tiles of M rows and W = ${W}: L_0 = 0, L_j = max(L_{j-1} + ${R}, S_{j-2} + M - 1 + W), S_j = max(L_j + 1, S_{j-1} + M), cycles = S_{T-1} + M + ${R + C + 1}. When M >= ${Math.max(R, W)} this is T M + ${R + C + 2}.`,
    );
  if (runs(cfg, 'os'))
    out.push(
      `- Output stationary, with T = ceil(M / ${R}) ceil(N / ${C}) tiles and P = max(K, ${2 * R - 1}) (a tile shorter than ${2 * R - 1} steps is padded so consecutive tiles' sums do not meet in the result chains): cycles = (T - 1) P + K + ${2 * R + C}.`,
    );
  return out.join('\n');
}

const dataflowText = (cfg: GemmConfig) =>
  cfg.dataflow === 'both'
    ? `The array runs either dataflow; CTRL bit ${ctrlBits.os}, written with the start, picks output stationary for that run (0: weight stationary), and the buffer images must be in that dataflow's layout. CSR \`dataflows\` reads 3.`
    : `The array runs ${cfg.dataflow === 'ws' ? 'weight' : 'output'} stationary only; CTRL bit ${ctrlBits.os} is ignored. CSR \`dataflows\` reads ${cfg.dataflow === 'ws' ? 1 : 2}.`;

export function gemmDatasheet(cfg: GemmConfig): string {
  const h = gemmHostWidths(cfg);
  const R = cfg.rows,
    C = cfg.cols;
  const cells: Record<string, { address: string; data: string }> = {
    csr: { address: 'CSR number (below)', data: '64-bit value' },
    a: {
      address: `row (0..${cfg.aDepth - 1})`,
      data: `${R} values of ${cfg.dataWidth} bits, element 0 in the low bits`,
    },
    b: { address: `row (0..${cfg.bDepth - 1})`, data: `${C} values of ${cfg.dataWidth} bits` },
    acc: { address: `row (0..${cfg.accDepth - 1})`, data: `${C} accumulators of ${cfg.accWidth} bits` },
  };
  return `## Host protocol

A request is accepted at a rising edge with \`host_req_valid_i\` and \`host_req_ready_o\` both high; a read's data is on \`host_rsp_rdata_o\` with \`host_rsp_valid_o\` the cycle after. Address ${h.addr} bits, data ${h.data} bits.

${registerTables(
  gemmTargets.map((t) => ({ ...t, ...cells[t.name] })),
  gemmCsrs,
)}

A and B writes are accepted at any time; accumulator reads and writes only while idle (\`host_req_ready_o\` is low while busy). CSR writes while \`busy_o\` is high are accepted but ignored: write M, N, K, the bases and CTRL only when idle. A start clears the counters of the last run.

${hostDetails(cfg)}

## Dataflow

${dataflowText(cfg)}

${layouts(cfg)}

Timing example (one request per cycle, then the run and a read-back):

\`\`\`
cycle             0      1      2      3      4     ...    n     n+1
host_req_valid_i  1      1      1      1      0            1      0
host_req_sel_i    A      B      CSR    CSR    -            ACC    -
host_req_addr_i   row    row    2(M)   0      -            row    -
host_req_wdata_i  A row  B row  M      start  -            -      -
busy_o            0      0      0      0      1  ...  1    0      0
done_o            0      0      0      0      0  ...  0    1      1
host_rsp_valid_o  0      0      0      0      0            0      1
host_rsp_rdata_o  -      -      -      -      -            -      C row
\`\`\`

## Cycle formula

The busy-cycle counter (CSR ${gemmCsrs.find((c) => c.name === 'cycles')!.addr}) of one run:

${cycleFormulas(cfg)}
${cfg.quantDepth > 0 ? outputStage(cfg) : ''}${runs(cfg, 'ws') ? nativeConv(cfg) : ''}${runs(cfg, 'os') ? osNativeConv(cfg) : ''}`;
}

/** The output stage (quantDepth > 0): what it computes, its table, its timing. */
function outputStage(cfg: GemmConfig): string {
  const C = cfg.cols;
  return `
## Output stage (requantization)

With CTRL bit ${ctrlBits.requant} set at the start, once the run's last row is written the engine rewrites every value of C in place as an 8-bit output, exactly as onnxruntime's CPU kernels requantize (docs/numerics.md of accelforge, "Requantization"):

- v = int32(c + offset[n]) (c as int32: ${cfg.accWidth < 32 ? `sign-extended from ${cfg.accWidth} bits` : cfg.accWidth > 32 ? 'its low 32 bits' : 'as is'}; the sum wraps at 32 bits); f = float32(v) and p = float32(f x scale[n]), both rounded to nearest even; y = clamp(round-half-even(p) + zp, lo, hi) with lo, hi = -128, 127 (int8) or 0, 255 (uint8); ReLU (CTRL bit ${ctrlBits.relu}) raises lo to zp instead of clamping c.
- CSR \`quant\`: zp in bits 7:0 (two's complement for int8), bit 8 int8. CSR \`quantAddr\` then ${cfg.quantDepth} writes at most of CSR \`quantData\` fill the table: entry n (the run's output column n) = {offset[n] int32 in bits 63:32, scale[n] float32 bits in 31:0}; a scale must be a positive normal float32 (the stage does not model zero, subnormals, infinities or NaN). Write the table while idle.
- A run may have at most ${cfg.quantDepth} columns (N) when it requantizes.
- Each accumulator element is then y sign-extended (int8) or zero-extended (uint8) to ${cfg.accWidth} bits; read the accumulator rows as usual.
- Timing: the run's cycles plus ceil(N / ${C}) (${C} + M) + 2 (per tile column ${C} cycles loading its table entries, then one per row); \`accReads\` and \`accWrites\` count ceil(N / ${C}) M more, \`stallCycles\` the extra cycles.
`;
}

/** A convolution CSR's fields as the datasheet names them: "C in bits 15:0, H in bits 31:16, ...". */
const convCsrFields = (csr: keyof typeof convFields) =>
  Object.entries(convFields[csr])
    .map(([k, [lsb, bits]]) => `${k} in bits ${lsb + bits - 1}:${lsb}`)
    .join(', ');

/** The native convolution of weight-stationary runs: layouts, CSRs, what the controller forms, timing. */
function nativeConv(cfg: GemmConfig): string {
  const R = cfg.rows,
    C = cfg.cols;
  return `
## Native convolution (weight stationary)

With CTRL bit ${ctrlBits.conv} set at the start, a weight-stationary run convolves an ifmap of N images of C x H x W with M filters of C x R x S (stride U, zero padding P, E x F outputs): the A buffer holds the ifmap once and the controller forms each window on chip; padding is neither stored nor read.

- CSR \`convIn\`: ${convCsrFields('convIn')}; \`convWin\`: ${convCsrFields('convWin')}; \`convOut\`: ${convCsrFields('convOut')} (E = floor((H + 2P - R) / U) + 1, F likewise).
- CSRs M = N E F, N = M (the filters), K = R S CT ${R} with CT = ceil(C / ${R}) channel tiles.
- A row \`aBase + ct N Hb W + (n Hb + h - hFirst) W + w\` holds channels \`ct ${R} + r\` of pixel (n, h, w) in element r (zeros past C), for the Hb input rows from hFirst that CSR \`convBand\` names (${convCsrFields('convBand')}; a band of output rows e0 .. e0 + E - 1 when an image is too tall for the buffers; hRows 0 means H).
- B as for a GEMM with k = ((r S + s) CT + ct) ${R} + lane: B row \`(nt KT + kt) ${R} + lane\` holds filter \`nt ${C} + c\` at (channel \`ct ${R} + lane\`, r, s) in element c, kt = (r S + s) CT + ct, KT = R S CT (zeros past C and M).
- The bias rides in the accumulator (CTRL bit ${ctrlBits.accumulate}): accumulator row \`nt M + m\` preloaded with the biases of filters \`nt ${C} + c\`; ReLU by CTRL bit ${ctrlBits.relu}.
- The result: accumulator row \`nt M + m\`, m = (n E + e) F + f, holds ofmap[n][nt ${C} + c][e][f] in element c.
- Timing: the weight-stationary formula above with M = N E F and K = R S CT ${R} (the controller forms a row a cycle, never stalling the stream); counters as for that GEMM, except \`aReads\` (padding rows are not read) and \`macs\` (N E F M C R S).
- A layer larger than the buffers runs as several such runs (accelforge's host splits it over images and filters).
`;
}

/** The native convolution of output-stationary runs: the phase layout, CSRs, what the controller forms, timing. */
function osNativeConv(cfg: GemmConfig): string {
  const R = cfg.rows,
    C = cfg.cols;
  return `
## Native convolution (output stationary)

With CTRL bit ${ctrlBits.conv} set at the start${cfg.dataflow === 'both' ? ` (and bit ${ctrlBits.os})` : ''}, an output-stationary run convolves N images of C x H x W with M filters of C x R x S (stride U, zero padding P, E x F outputs): the A buffer holds the ifmap once, in phase rows, and the controller reads each step's window on chip; padding is neither stored nor read.

- Positions: in the padded ifmap (shifted by P), input column w sits at position x = (w + P) div U of phase ph = (w + P) mod U. A row \`aBase + ((c N + n) Hb + h) U + ph) XW + j\` holds position \`j ${R} + i\` of phase ph of input row hFirst + h, channel c and image n in element i (any value where that position is padding: it is never used). The A buffer is two banks (even and odd rows) so a step reads two consecutive rows in one cycle.
- CSR \`convIn\`: ${convCsrFields('convIn')}; \`convWin\`: ${convCsrFields('convWin')}; \`convOut\`: ${convCsrFields('convOut')}; \`convBand\`: ${convCsrFields('convBand')} (hRows 0 means H); \`convOs\`: ${convCsrFields('convOs')}, where XW = ceil(ceil((W + P) / U) / ${R}), P = loA U + loB and W + P = hiA U + hiB (0 <= loB, hiB < U).
- The controller walks the A rows by constant steps the host computes from the layout (modulo 2^20; the A address wraps at its own width): CSR \`convOsStride\`: ${convCsrFields('convOsStride')}; \`convOsStride2\`: ${convCsrFields('convOsStride2')}. With row = U XW, img = Hb row, chan = N img, eStride = U row and FB = ceil(F / ${R}): chanNext = chan - (R - 1) row, tileNext = 1 - (C - 1) chan - (R - 1) row, rowNext = tileNext - FB + eStride, imgNext = tileNext - FB + img - (E - 1) eStride, and hl0 = e0 U - P - hFirst (two's complement, the band's input row that output row e0's filter row 0 reads). aBase is then the layout's first A row plus hl0 row (modulo the A address width): where that row would start.
- CSRs M = N E F, N = M (the filters), K = C R S.
- B row \`nt K + (c R + r) S + s\` holds filter \`nt ${C} + col\` at (c, r, s) in element col (zeros past M).
- The engine's tiles are ${R} output pixels \`fb ${R} .. fb ${R} + ${R - 1}\` of one output row (fb innermost, then e, then n; tile columns of ${C} filters outer); a tile's K steps walk c, r, s (s innermost). Pixels past F are computed and dropped.
- The bias rides in the accumulator (CTRL bit ${ctrlBits.accumulate}): accumulator row \`nt M + m\` preloaded with the biases of filters \`nt ${C} + c\`; ReLU by CTRL bit ${ctrlBits.relu}.
- The result: accumulator row \`nt M + m\`, m = (n E + e) F + f, holds ofmap[n][nt ${C} + c][e][f] in element c.
- Timing: the output-stationary formula above with T = ceil(M / ${C}) N E ceil(F / ${R}) tiles of K = C R S steps. Counters as for that schedule, except \`macs\` (N E F M C R S), \`accReads\`/\`accWrites\` (N E F rows per tile column) and \`aReads\`: a step whose input row is padding reads nothing; else one row, and a second when (s div U) mod ${R} is not 0.
- A layer larger than the buffers runs as several such runs (accelforge's host splits it over images, bands of output rows, filters and channel groups that accumulate).
`;
}

/** What an integrator otherwise finds by experiment (issue 30): holding, widths, resets, order, wrap. */
function hostDetails(cfg: GemmConfig): string {
  const h = gemmHostWidths(cfg);
  const [aw, bw, cw] = [clog2(cfg.aDepth), clog2(cfg.bDepth), clog2(cfg.accDepth)];
  const ctrl3 =
    cfg.dataflow === 'os'
      ? `, except CTRL bit ${ctrlBits.os}, which reads 1 (the array runs output stationary only)`
      : '';
  return [
    'The rest of the contract:',
    '',
    '- A refused request (`host_req_valid_i` high, `host_req_ready_o` low) must stay up unchanged (write, select, address and data) until it is accepted; an assertion in `af_host_port` checks it.',
    `- Only accumulator requests (target 3) are ever refused, and only while \`busy_o\` is high: the held request is accepted in the first cycle \`busy_o\` is low again, so it waits for the rest of the run.`,
    `- CSRs use the low 64 bits of the ${h.data}-bit data: a write takes M, N and K from bits 31..0, aBase from bits ${aw - 1}..0, bBase from bits ${bw - 1}..0, accBase from bits ${cw - 1}..0 and CTRL from bits 3..0, and ignores the other bits; a read answers in bits 63..0, the other bits zero. A CSR number not in the table reads 0 and ignores writes.`,
    `- After reset every CSR and counter reads 0${ctrl3}, except dataflows, which reads the dataflows the array runs (bit 0 ws, bit 1 os). A start with M, N or K equal to 0 ends at once: \`done_o\` rises, \`busy_o\` stays low, nothing is written.`,
    `- Element e of a row is bits e w + w - 1 .. e w (element 0 in the low bits), w = ${cfg.dataWidth} for A and B rows and ${cfg.accWidth} for accumulator rows.`,
    `- \`host_req_addr_i\` is ${h.addr} bits; the A buffer uses its low ${aw} bits, B ${bw} and the accumulator ${cw}, and so does the engine's base + offset: row addresses wrap silently modulo 2^${aw}, 2^${bw} and 2^${cw}. A row at or past a buffer's depth (${cfg.aDepth}, ${cfg.bDepth}, ${cfg.accDepth}) is not stored and reads of it are undefined: keep base + offset below the depth.`,
    `- A run writes the accumulator rows accBase .. accBase + ceil(N / ${cfg.cols}) M - 1 and no other. It writes whole rows: an element past N gets 0, or its old value when CTRL bit ${ctrlBits.accumulate} (accumulate) is set (given the zeros the layouts put past N in B), then ReLU when CTRL bit ${ctrlBits.relu} is set.`,
  ].join('\n');
}
