// The systolic engines' hardware/software contract, written once for ws and
// os: host-port targets, CSRs and counters. <design>_pkg (the RTL's
// decode), the host programs' constants, the datasheets' tables and the docs
// are generated from these lists.
import { byName, type CsrSpec, type TargetSpec } from '../common/csr-spec.js';

export const gemmTargets = [
  { name: 'csr', sel: 0, doc: 'CSR' },
  { name: 'a', sel: 1, doc: 'A buffer (write only; reads answer zero)' },
  { name: 'b', sel: 2, doc: 'B buffer (write only; reads answer zero)' },
  { name: 'acc', sel: 3, doc: 'accumulator buffer (only while idle)' },
] as const satisfies readonly TargetSpec[];

/** Counters of the last run, from CSR firstCounter on (cleared at a start). */
export const counterNames = [
  'cycles',
  'stallCycles',
  'macs',
  'aReads',
  'bReads',
  'accReads',
  'accWrites',
  'tiles',
  'peSteps',
  'rfReads',
  'rfWrites',
  'arrayHops',
] as const;
export type GemmCounters = Record<(typeof counterNames)[number], number>;
export const firstCounter = 8;
const counterDocs: Record<(typeof counterNames)[number], string> = {
  cycles: 'busy cycles of the last run',
  stallCycles: 'busy cycles with nothing entering the array (no A row in ws, no step in os)',
  macs: 'useful MACs (outputs inside M x N, terms inside K)',
  aReads: 'A buffer row reads',
  bReads: 'B buffer row reads',
  accReads: 'accumulator row reads (D or an earlier K pass)',
  accWrites: 'accumulator row writes',
  tiles: 'tiles: weight tiles in ws, output tiles in os',
  peSteps: 'PE multiply-accumulate steps (padding rows and columns included)',
  rfReads:
    "PE register reads: ws the weight register (every step); os the sum register (every step but a tile's first)",
  rfWrites: 'PE register writes: ws the weight loads; os the sum register (every step)',
  arrayHops:
    'values moved PE to PE: activations right; partial sums down (ws); B down and sums up the result chains (os)',
};

/** CTRL bits. */
export const ctrlBits = { start: 0, relu: 1, accumulate: 2, os: 3 } as const;

export const gemmCsrs = [
  {
    name: 'ctrl',
    addr: 0,
    access: 'rw',
    doc: 'write: bit 0 start, bit 1 ReLU, bit 2 accumulate onto the accumulator buffer (D), bit 3 run output stationary (an array of dataflow both; else ignored: the array runs its own); read: bits 1-3 (bit 3 the dataflow the next run uses)',
  },
  { name: 'status', addr: 1, access: 'ro', doc: 'bit 0 busy, bit 1 done' },
  { name: 'm', addr: 2, access: 'rw', doc: 'M: rows of A and C' },
  { name: 'n', addr: 3, access: 'rw', doc: 'N: columns of B and C' },
  { name: 'k', addr: 4, access: 'rw', doc: 'K: columns of A, rows of B' },
  { name: 'aBase', addr: 5, access: 'rw', doc: "A buffer row of A's first tile row" },
  { name: 'bBase', addr: 6, access: 'rw', doc: "B buffer row of B's first tile row" },
  { name: 'accBase', addr: 7, access: 'rw', doc: "accumulator row of C's first row" },
  ...counterNames.map((name, i) => ({ name, addr: firstCounter + i, access: 'ro' as const, doc: counterDocs[name] })),
  { name: 'hostWrites', addr: firstCounter + counterNames.length, access: 'ro', doc: 'host writes since reset' },
  { name: 'hostReads', addr: firstCounter + counterNames.length + 1, access: 'ro', doc: 'host reads since reset' },
  {
    name: 'dataflows',
    addr: firstCounter + counterNames.length + 2,
    access: 'ro',
    doc: 'bit 0 the array runs ws, bit 1 it runs os',
  },
] as const satisfies readonly CsrSpec[];

/** Host-port targets and CSR numbers of the engines. */
export const Sel = byName(gemmTargets, 'sel') as { [K in (typeof gemmTargets)[number]['name']]: number };
export const Csr = byName(gemmCsrs, 'addr') as { [K in (typeof gemmCsrs)[number]['name']]: number };
