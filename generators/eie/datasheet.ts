// The eie part of the datasheet (core/datasheet.ts): host targets, CSRs, the
// memory encodings and the driving sequence, with this configuration's widths.
import type { EieConfig } from '../../golden/eie/config.js';
import { eieWidths } from './generate.js';
import { clog2 } from '../common/design.js';
import {
  EieSel,
  eieCsrs,
  eieLayerCsrs,
  eieTargets,
  layerBase,
  layerStride,
  peCounterNames,
} from '../../golden/eie/interface.js';
import { registerTables } from '../common/csr.js';

export function eieDatasheet(cfg: EieConfig): string {
  const w = eieWidths(cfg);
  const pad = (1 << cfg.indexBits) - 1;
  const targetCells: Record<string, { address: string; data: string }> = {
    csr: { address: 'CSR number (below)', data: '64-bit' },
    ptr: { address: `{bank, word}: (bank << ${w.ptrAddr}) | word`, data: `${w.ptr}-bit absolute entry index` },
    mat: {
      address: `line (0..${cfg.matDepth - 1})`,
      data: `${cfg.entriesPerLine} entries of ${w.entry} bits: slot s at [s ${w.entry} +: ${w.entry}], entry = {z[${cfg.indexBits - 1}:0], v[${cfg.codebookBits - 1}:0]}`,
    },
    bias: { address: `layer x ${cfg.rowsPerPe} + local row`, data: "16-bit two's complement" },
    cb: { address: `layer x ${1 << cfg.codebookBits} + v`, data: '16-bit' },
    act: { address: 'local row', data: "write: the source file; read: the last layer's output" },
    cnt: { address: peCounterNames.map((n, i) => `${i} ${n}`).join(', '), data: '64-bit' },
  };
  return `## Host protocol

A request is accepted at a rising edge with \`host_req_valid_i\` and \`host_req_ready_o\` both high; a read's data is on \`host_rsp_rdata_o\` with \`host_rsp_valid_o\` the cycle after. For per-PE targets \`host_req_addr_i\` = {pe, local}: pe in the high ${w.pe} bits, local in the low ${w.local} bits.

${registerTables(
  eieTargets.map((t) => ({ ...t, ...targetCells[t.name] })),
  eieCsrs,
)}

Layer l (0..${cfg.maxLayers - 1}) has a block of CSRs at ${layerBase} + ${layerStride} l:

| CSR | name | access | meaning |
|---|---|---|---|
${eieLayerCsrs.map((c) => `| ${layerBase} + ${layerStride} l + ${c.addr} | \`${c.name}\` | ${c.access === 'ro' ? 'read-only' : 'read/write'} | ${c.doc} |`).join('\n')}

Timing example (a pointer write, a CSR write, start, the wait and an output read):

\`\`\`
cycle             0        1       2      3     ...    n      n+1
host_req_valid_i  1        1       1      0            1      0
host_req_write_i  1        1       1      -            0      -
host_req_sel_i    1 (ptr)  0       0      -            5      -
host_req_addr_i   {pe,w}   2       0      -            {pe,r} -
host_req_wdata_i  p[j]     layers  1      -            -      -
busy_o            0        0       0      1   ...  1   0      0
done_o            0        0       0      0   ...  0   1      1
host_rsp_valid_o  0        0       0      0            0      1
host_rsp_rdata_o  -        -       -      -            -      b[i]
\`\`\`

## Encodings

- Output row i of a layer belongs to PE i mod ${cfg.pes} (local row i div ${cfg.pes}); activation j lives in PE j mod ${cfg.pes} at local row j div ${cfg.pes}. Rows per layer: at most ${cfg.pes * cfg.rowsPerPe}.
- Per PE and column j, the entries of that PE's rows in compressed sparse columns: v the codebook index (0 is zero), z the number of zero local rows since the previous entry of the column (the first entry counts from local row 0); a gap longer than ${pad} inserts a padding entry (v = 0, z = ${pad}).
- Pointers are absolute entry indices into the PE's sparse-matrix memory (line x ${cfg.entriesPerLine} + slot): pointer j (0..cols) of a layer is in bank j mod 2 at word PTR_BASE + j div 2; p[j + 1] - p[j] is column j's entry count. Each layer's entries start on a line boundary.

${hostDetails(cfg)}

## Driving sequence

Write CTRL = 2 (clear every activation) as its own write; write the nonzero input activations (sel ${EieSel.act}); per layer ROWS, PTR_BASE, FLAGS, its pointers, lines, biases and codebook; NUM_LAYERS; CTRL = 1 (start); wait for \`done_o\` with \`busy_o\` low; read the last layer's outputs at their activation addresses. Another input on the loaded layers starts again from the clear.

## Cycle formula

Cycles depend on the data (queue dynamics): \`golden/eie/cycles.ts\` replays the control rules exactly (no arithmetic). A layer first sets each destination row to its bias (ceil(rows / ${cfg.pes}) cycles), broadcasts one nonzero activation per cycle unless a queue is full, and ends when every queue and pipeline has drained.
`;
}

/** What an integrator otherwise finds by experiment (issue 30): holding, widths, resets, wrap. */
function hostDetails(cfg: EieConfig): string {
  const w = eieWidths(cfg);
  return [
    '## Host port details',
    '',
    '- A refused request (`host_req_valid_i` high, `host_req_ready_o` low) must stay up unchanged (write, select, address and data) until it is accepted; an assertion in `af_host_port` checks it.',
    '- While `busy_o` is high every request but a CSR one (target 0) is refused; the held request is accepted in the first cycle `busy_o` is low again. CSR reads are answered while busy; CSR writes while busy are accepted and ignored.',
    `- CSRs use the low 64 bits of the data: a write takes CTRL from bits 1..0, numLayers from bits ${clog2(cfg.maxLayers)}..0, a layer's rows from bits 31..0, its ptrBase from bits ${w.ptrAddr - 1}..0 and its flags from bits 5..0, and ignores the other bits; a read answers in bits 63..0, the other bits zero. A CSR number not in the tables reads 0 and ignores writes.`,
    `- Memory writes take a pointer from data bits ${w.ptr - 1}..0, a line from bits ${w.line - 1}..0 and a bias, codebook entry or activation from bits 15..0. Reads of the pointer, line, bias and codebook targets answer 0; an activation read answers the 16-bit value sign-extended to 64 bits; a per-PE counter number past the list reads 0.`,
    '- After reset every CSR and counter reads 0. A start with numLayers 0 ends at once: `done_o` rises, `busy_o` stays low.',
    `- The local address is the low ${w.local} bits of \`host_req_addr_i\`; each memory uses its own low bits (pointer words ${w.ptrAddr}, lines ${w.matAddr}), so addresses wrap silently; a word at or past a memory's depth (pointers ${cfg.ptrDepth}, lines ${cfg.matDepth}) is not stored and reads of it are undefined. The PE number is the ${w.pe} bits above it: use 0..${cfg.pes - 1}.`,
  ].join('\n');
}
