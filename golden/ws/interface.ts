// The ws engine's hardware/software contract, written once: host-port
// targets, CSRs and counters. ws_pkg (the RTL's decode), the host program's
// constants and the datasheet's tables are generated from these lists.
import { byName, type CsrSpec, type TargetSpec } from '../common/csr-spec.js';

export const wsTargets = [
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
export type WsCounters = Record<(typeof counterNames)[number], number>;
export const firstCounter = 8;
const counterDocs: Record<(typeof counterNames)[number], string> = {
  cycles: 'busy cycles of the last run',
  stallCycles: 'cycles of the last run with no row entering the array',
  macs: 'useful MACs of the last run',
  aReads: 'A buffer reads of the last run',
  bReads: 'B buffer reads of the last run',
  accReads: 'accumulator reads of the last run',
  accWrites: 'accumulator writes of the last run',
  tiles: 'tiles of the last run',
  peSteps: 'PE multiply-accumulate steps (padding rows and columns included)',
  rfReads: 'PE weight register reads (one per step)',
  rfWrites: 'PE weight register writes (weight loads)',
  arrayHops: 'values moved PE to PE: activations right, partial sums down',
};

export const wsCsrs = [
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
  { name: 'aBase', addr: 5, access: 'rw', doc: "A buffer row of A's first tile row" },
  { name: 'bBase', addr: 6, access: 'rw', doc: "B buffer row of B's first tile row" },
  { name: 'accBase', addr: 7, access: 'rw', doc: "accumulator row of C's first row" },
  ...counterNames.map((name, i) => ({ name, addr: firstCounter + i, access: 'ro' as const, doc: counterDocs[name] })),
  { name: 'hostWrites', addr: firstCounter + counterNames.length, access: 'ro', doc: 'host writes since reset' },
  { name: 'hostReads', addr: firstCounter + counterNames.length + 1, access: 'ro', doc: 'host reads since reset' },
] as const satisfies readonly CsrSpec[];

/** Host-port targets and CSR numbers of ws_engine. */
export const Sel = byName(wsTargets, 'sel') as { [K in (typeof wsTargets)[number]['name']]: number };
export const Csr = byName(wsCsrs, 'addr') as { [K in (typeof wsCsrs)[number]['name']]: number };
