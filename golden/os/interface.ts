// The os engine's hardware/software contract, written once: the same host
// targets and CSRs as ws (a program written for one drives the other's
// registers the same way), its own counters. os_pkg, the host program's
// constants and the datasheet's tables come from these lists.
import { byName, type CsrSpec, type TargetSpec } from '../common/csr-spec.js';

export const osTargets = [
  { name: 'csr', sel: 0, doc: 'CSR' },
  { name: 'a', sel: 1, doc: 'A buffer (write only; reads answer zero)' },
  { name: 'b', sel: 2, doc: 'B buffer (write only; reads answer zero)' },
  { name: 'acc', sel: 3, doc: 'accumulator buffer (only while idle)' },
] as const satisfies readonly TargetSpec[];

/** Counters of the last run, from CSR firstCounter on (cleared at a start). */
export const osCounterNames = [
  'cycles',
  'macs',
  'peSteps',
  'aReads',
  'bReads',
  'accReads',
  'accWrites',
  'tiles',
  'rfReads',
  'rfWrites',
  'arrayHops',
] as const;
export type OsCounters = Record<(typeof osCounterNames)[number], number>;
export const firstCounter = 8;
const counterDocs: Record<(typeof osCounterNames)[number], string> = {
  cycles: 'busy cycles of the last run',
  macs: 'useful MACs (outputs inside M x N)',
  peSteps: 'PE multiply-accumulate steps (padding rows and columns included)',
  aReads: 'A buffer row reads',
  bReads: 'B buffer row reads',
  accReads: 'accumulator row reads (D or an earlier K pass)',
  accWrites: 'accumulator row writes',
  tiles: 'output tiles',
  rfReads: "PE sum register reads (every step but a tile's first)",
  rfWrites: 'PE sum register writes',
  arrayHops: 'values moved PE to PE: A right, B down, sums up the result chains',
};

export const osCsrs = [
  {
    name: 'ctrl',
    addr: 0,
    access: 'rw',
    doc: 'write: bit 0 start, bit 1 ReLU, bit 2 accumulate onto the accumulator buffer (D); read: bits 1, 2',
  },
  { name: 'status', addr: 1, access: 'ro', doc: 'bit 0 busy, bit 1 done' },
  { name: 'm', addr: 2, access: 'rw', doc: 'M: rows of A and C' },
  { name: 'n', addr: 3, access: 'rw', doc: 'N: columns of B and C' },
  { name: 'k', addr: 4, access: 'rw', doc: 'K: columns of A, rows of B' },
  { name: 'aBase', addr: 5, access: 'rw', doc: "A buffer row of the first tile's k = 0" },
  { name: 'bBase', addr: 6, access: 'rw', doc: "B buffer row of the first tile's k = 0" },
  { name: 'accBase', addr: 7, access: 'rw', doc: "accumulator row of C's first row" },
  ...osCounterNames.map((name, i) => ({ name, addr: firstCounter + i, access: 'ro' as const, doc: counterDocs[name] })),
  { name: 'hostWrites', addr: firstCounter + osCounterNames.length, access: 'ro', doc: 'host writes since reset' },
  { name: 'hostReads', addr: firstCounter + osCounterNames.length + 1, access: 'ro', doc: 'host reads since reset' },
] as const satisfies readonly CsrSpec[];

export const Sel = byName(osTargets, 'sel') as { [K in (typeof osTargets)[number]['name']]: number };
export const Csr = byName(osCsrs, 'addr') as { [K in (typeof osCsrs)[number]['name']]: number };
