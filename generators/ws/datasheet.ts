// The ws part of the datasheet (core/datasheet.ts): host protocol, CSR map,
// buffer layouts and the cycle formula, with this configuration's numbers.
import type { WsConfig } from '../../golden/ws/config.js';
import { wsHostWidths } from './generate.js';
import { wsCsrs, wsTargets } from '../../golden/ws/interface.js';
import { registerTables } from '../common/csr.js';

export function wsDatasheet(cfg: WsConfig): string {
  const h = wsHostWidths(cfg);
  const R = cfg.rows,
    C = cfg.cols;
  const targetCells: Record<string, { address: string; data: string }> = {
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
  wsTargets.map((t) => ({ ...t, ...targetCells[t.name] })),
  wsCsrs,
)}

A and B writes are accepted at any time; accumulator reads and writes only while idle (\`host_req_ready_o\` is low while busy). CSR writes while \`busy_o\` is high are accepted but ignored: write M, N, K, the bases and CTRL only when idle. A start clears the counters of the last run.

Buffer layouts (KT = ceil(K / ${R}), offsets from the base CSRs): A row \`kt M + m\` holds \`A[m][kt ${R} + r]\` in element r; B row \`(nt KT + kt) ${R} + r\` holds \`B[kt ${R} + r][nt ${C} + c]\` in element c; accumulator row \`nt M + m\` holds \`C[m][nt ${C} + c]\`; entries past K or N are zero.

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

The busy-cycle counter (CSR 8) of one run, with T = ceil(K / ${R}) ceil(N / ${C}) tiles of M rows and W = ${Math.max(C - 1, 1)}: L_0 = 0, L_j = max(L_{j-1} + ${R}, S_{j-2} + M - 1 + W), S_j = max(L_j + 1, S_{j-1} + M), cycles = S_{T-1} + M + ${R + C + 1}. When M >= ${Math.max(R, Math.max(C - 1, 1))} this is T M + ${R + C + 2}.
`;
}
