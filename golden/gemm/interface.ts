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
export const ctrlBits = { start: 0, relu: 1, accumulate: 2, os: 3, conv: 4, requant: 5 } as const;

/**
 * A native convolution's geometry (ws runs with CTRL bit 4): the fields of
 * CSRs convIn, convWin and convOut, [lsb, bits] each. The A buffer holds the
 * ifmap and the controller forms each im2col row on chip (golden/gemm/conv.ts).
 */
export const convFields = {
  convIn: { C: [0, 16], H: [16, 16], W: [32, 16], N: [48, 16] },
  convWin: { R: [0, 8], S: [8, 8], U: [16, 8], P: [24, 8] },
  convOut: { E: [0, 16], F: [16, 16] },
  convBand: { e0: [0, 16], hFirst: [16, 16], hRows: [32, 16] },
  convBandW: { f0: [0, 16], wFirst: [16, 16], wCols: [32, 16] },
  convTap: { r0: [0, 8], s0: [8, 8], ct0: [16, 16] },
  convOs: { XW: [0, 16], loA: [16, 16], hiA: [32, 16], loB: [48, 8], hiB: [56, 8] },
  convOsStride: { row: [0, 20], chanNext: [20, 20], tileNext: [40, 20] },
  convOsStride2: { rowNext: [0, 20], imgNext: [20, 20], hl0: [40, 16] },
} as const;

export const gemmCsrs = [
  {
    name: 'ctrl',
    addr: 0,
    access: 'rw',
    doc: 'write: bit 0 start, bit 1 ReLU, bit 2 accumulate onto the accumulator buffer (D), bit 3 run output stationary (an array of dataflow both; else ignored: the array runs its own), bit 4 native convolution (A rows are formed on chip from the ifmap: convIn, convWin, convOut, convBand; ws also convBandW, convTap; os convOs), bit 5 requantize C to 8-bit outputs after the run (quantDepth > 0: the output stage; ReLU then clamps at the output zero point); read: bits 1-5 (bit 3 the dataflow the next run uses)',
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
  {
    name: 'convIn',
    addr: firstCounter + counterNames.length + 3,
    access: 'rw',
    doc: 'native convolution (CTRL bit 4), the ifmap: bits 15:0 C channels, 31:16 H, 47:32 W, 63:48 N images',
  },
  {
    name: 'convWin',
    addr: firstCounter + counterNames.length + 4,
    access: 'rw',
    doc: 'native convolution, the window: bits 7:0 R filter rows, 15:8 S filter columns, 23:16 U stride, 31:24 P zero padding',
  },
  {
    name: 'convOut',
    addr: firstCounter + counterNames.length + 5,
    access: 'rw',
    doc: 'native convolution, the ofmap: bits 15:0 E rows, 31:16 F columns',
  },
  {
    name: 'convBand',
    addr: firstCounter + counterNames.length + 6,
    access: 'rw',
    doc: "native convolution in output-row bands: bits 15:0 the band's first output row e0 (convOut E counts the band's rows), 31:16 the input row the A buffer's first row holds, 47:32 the input rows it holds per image (0: H, the whole ifmap)",
  },
  {
    name: 'convBandW',
    addr: firstCounter + counterNames.length + 7,
    access: 'rw',
    doc: "ws native convolution in output-column bands: bits 15:0 the band's first output column f0 (convOut F counts the band's columns), 31:16 the input column the A buffer's rows start at, 47:32 the input columns they hold (0: W)",
  },
  {
    name: 'convTap',
    addr: firstCounter + counterNames.length + 8,
    access: 'rw',
    doc: "ws native convolution in K passes: the first K tile of the run, bits 7:0 filter row r0, 15:8 filter column s0, 31:16 channel tile ct0 (K counts the run's tiles from there; 0: from the first)",
  },
  {
    name: 'quant',
    addr: firstCounter + counterNames.length + 9,
    access: 'rw',
    doc: 'output stage (quantDepth > 0; else reads 0): bits 7:0 the output zero point, bit 8 int8 outputs (else uint8)',
  },
  {
    name: 'quantAddr',
    addr: firstCounter + counterNames.length + 10,
    access: 'rw',
    doc: 'output stage: the table entry the next quantData write fills (each write moves it on by one)',
  },
  {
    name: 'quantData',
    addr: firstCounter + counterNames.length + 11,
    access: 'wo',
    doc: "output stage: table entry for output column n of the run (write entries while idle): bits 31:0 the scale (float32 bits, a positive normal number), 63:32 the column's int32 offset (bias and zero-point corrections) added to the accumulator before scaling",
  },
  {
    name: 'convOs',
    addr: firstCounter + counterNames.length + 12,
    access: 'rw',
    doc: 'native convolution on the os dataflow, the A layout: bits 15:0 XW, the A rows of one phase row; 31:16 loA and 55:48 loB, 47:32 hiA and 63:56 hiB: phase ph holds the ifmap at positions loA + (ph < loB) .. hiA + (ph < hiB) - 1, where P = loA U + loB and W + P = hiA U + hiB',
  },
  {
    name: 'convOsStride',
    addr: firstCounter + counterNames.length + 13,
    access: 'rw',
    doc: 'native convolution on the os dataflow, the steps of its A row walk (modulo 2^20): bits 19:0 row (U XW: to the next filter row), 39:20 chanNext (to the next channel, filter row 0), 59:40 tileNext (from the last tap of a tile to the first of the next tile in its output row)',
  },
  {
    name: 'convOsStride2',
    addr: firstCounter + counterNames.length + 14,
    access: 'rw',
    doc: "native convolution on the os dataflow: bits 19:0 rowNext (from the last tap of an output row's last tile to the next output row's first), 39:20 imgNext (likewise to the next image), 55:40 hl0 (two's complement): the band's input row (0 = its first stored row) that the first output row's filter row 0 reads; aBase is the A row where that input row's phase 0 would start",
  },
] as const satisfies readonly CsrSpec[];

/** Host-port targets and CSR numbers of the engines. */
export const Sel = byName(gemmTargets, 'sel') as { [K in (typeof gemmTargets)[number]['name']]: number };
export const Csr = byName(gemmCsrs, 'addr') as { [K in (typeof gemmCsrs)[number]['name']]: number };
