// The os part of the datasheet (core/datasheet.ts): host protocol, CSR map,
// buffer layouts and the cycle formula, with this configuration's numbers.
import type { OsConfig } from '../../golden/os/config.js';
import { osHostWidths } from './generate.js';
import { osCsrs, osTargets } from '../../golden/os/interface.js';
import { registerTables } from '../common/csr.js';

export function osDatasheet(cfg: OsConfig): string {
  const h = osHostWidths(cfg);
  const R = cfg.rows,
    C = cfg.cols;
  const targetCells: Record<string, { address: string; data: string }> = {
    csr: { address: 'CSR number (below)', data: '64-bit value' },
    a: {
      address: `row (0..${cfg.aDepth - 1})`,
      data: `${R} values of ${cfg.dataWidth} bits, element 0 in the low bits`,
    },
    b: { address: `row (0..${cfg.bDepth - 1})`, data: `${C} values of ${cfg.dataWidth} bits` },
    acc: { address: `row (0..${cfg.accDepth - 1})`, data: `${C} values of ${cfg.accWidth} bits` },
  };
  return `## Host protocol

The host port of ws (af_host_port): a request is accepted at a rising edge with \`host_req_valid_i\` and \`host_req_ready_o\` both high; a read's data is on \`host_rsp_rdata_o\` with \`host_rsp_valid_o\` the cycle after. Address ${h.addr} bits, data ${h.data} bits. The targets and CSR numbers are those of ws.

${registerTables(
  osTargets.map((t) => ({ ...t, ...targetCells[t.name] })),
  osCsrs,
)}

A and B writes are accepted at any time; accumulator reads and writes only while idle. CSR writes while \`busy_o\` is high are ignored. A start clears the counters of the last run.

Buffer layouts (MT = ceil(M / ${R}), offsets from the base CSRs): A row \`mt K + k\` holds \`A[mt ${R} + r][k]\` in element r (zeros past M); B row \`nt K + k\` holds \`B[k][nt ${C} + c]\` in element c (zeros past N); accumulator row \`nt M + m\` holds \`C[m][nt ${C} + c]\`.

## Dataflow

Output stationary: PE (r, c) keeps C[mt ${R} + r][nt ${C} + c] of the current tile and accumulates in place; per step k, A's column k enters the left edge (row r delayed r cycles) and B's row k the top edge (column c delayed c cycles), meeting at PE (r, c). After a tile's last step each PE puts its sum into its column's result chain, which moves one row up per cycle; row r leaves the top of column c at 2 r + c + 1 cycles after PE (r, 0)'s last step, columns are de-skewed, and the output unit writes one row of ${C} results every second cycle (adding the accumulator's contents with accumulate, ReLU at the end).

## Cycle formula

The busy-cycle counter of one run with T = ceil(M / ${R}) ceil(N / ${C}) tiles and P = max(K, ${2 * R - 1}) (a tile shorter than ${2 * R - 1} steps is padded so consecutive tiles' sums do not meet in the result chains): cycles = (T - 1) P + K + ${2 * R + C}.
`;
}
