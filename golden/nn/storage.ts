// Storage of a compressed layer, as Deep Compression counts it: the shared
// weight codes and relative row indices of the nonzero entries in column
// form (padding entries included, numerics.md's rule), the column pointers,
// the codebook and the bias, before and after canonical Huffman coding of
// the codes and of the indices.
import { z } from 'zod';
import { parseWith } from '../common/schema.js';
import { encodeCsc, type PeColumns } from './eie-format.js';
import { buildCode, huffmanDecode, huffmanEncode } from './huffman.js';

export interface LayerStorage {
  name: string;
  op: 'fc' | 'conv';
  /** Outputs (rows) and inputs per output (columns: FC inputs, conv C x R x S). */
  rows: number;
  cols: number;
  weights: number;
  kept: number;
  density: number;
  /** Stored entries (kept + padding). */
  entries: number;
  padding: number;
  bits: { weights: number; index: number; pointers: number; codebook: number; bias: number };
  huffman: { weights: number; index: number; tables: number };
  /** Bytes: weights + index + codebook + bias (+ pointers), before and after Huffman. */
  bytes: { before: number; after: number; pointers: number };
}

export interface StorageOptions {
  codeBits: number;
  indexBits: number;
  /** Bits per codebook entry (32: float centroids). */
  codebookEntryBits: number;
  /** Bits per bias value. */
  biasBits: number;
}

/** The layer's codes as a rows x cols matrix (0 = pruned). */
export type CodeMatrix = ArrayLike<number>[];

export function cscOf(codes: CodeMatrix, indexBits: number): PeColumns {
  return encodeCsc(codes, 1, indexBits)[0]!;
}

export function layerStorage(name: string, op: 'fc' | 'conv', codes: CodeMatrix, o: StorageOptions): LayerStorage {
  const rows = codes.length,
    cols = codes[0]?.length ?? 0;
  const csc = cscOf(codes, o.indexBits);
  const entries = csc.v.length;
  const padding = csc.v.filter((v) => v === 0).length;
  const kept = entries - padding;
  const ptrBits = Math.max(1, Math.ceil(Math.log2(entries + 1)));
  const bits = {
    weights: entries * o.codeBits,
    index: entries * o.indexBits,
    pointers: (cols + 1) * ptrBits,
    codebook: (1 << o.codeBits) * o.codebookEntryBits,
    bias: rows * o.biasBits,
  };
  const hv = huffmanEncode(csc.v, buildCode(csc.v, 1 << o.codeBits));
  const hz = huffmanEncode(csc.z, buildCode(csc.z, 1 << o.indexBits));
  // A canonical code is described by its code lengths: 4 bits per symbol.
  const tables = 4 * ((1 << o.codeBits) + (1 << o.indexBits));
  const huffman = { weights: hv.bits, index: hz.bits, tables };
  const bytes = (n: number) => Math.ceil(n / 8);
  return {
    name,
    op,
    rows,
    cols,
    weights: rows * cols,
    kept,
    density: kept / (rows * cols),
    entries,
    padding,
    bits,
    huffman,
    bytes: {
      before: bytes(bits.weights + bits.index + bits.codebook + bits.bias),
      after: bytes(huffman.weights + huffman.index + huffman.tables + bits.codebook + bits.bias),
      pointers: bytes(bits.pointers),
    },
  };
}

/** The Huffman-coded form of a layer (binary; huffmanLayerDecode reverses it). */
export function huffmanLayer(codes: CodeMatrix, codeBits: number, indexBits: number): Uint8Array {
  const csc = cscOf(codes, indexBits);
  const cv = buildCode(csc.v, 1 << codeBits),
    cz = buildCode(csc.z, 1 << indexBits);
  const ev = huffmanEncode(csc.v, cv),
    ez = huffmanEncode(csc.z, cz);
  const header = JSON.stringify({
    format: 'accelforge-huffman/1',
    rows: codes.length,
    cols: codes[0]?.length ?? 0,
    codeBits,
    indexBits,
    entries: csc.v.length,
    pointers: csc.p,
    vLengths: cv.lengths,
    zLengths: cz.lengths,
    vBytes: ev.bytes.length,
    zBytes: ez.bytes.length,
  });
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(4 + h.length + ev.bytes.length + ez.bytes.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 4);
  out.set(ev.bytes, 4 + h.length);
  out.set(ez.bytes, 4 + h.length + ev.bytes.length);
  return out;
}

const size = z
  .number()
  .int()
  .min(0)
  .max(2 ** 26);
const huffmanHeader = z
  .object({
    format: z.literal('accelforge-huffman/1'),
    rows: size.min(1),
    cols: size.min(1),
    entries: size,
    pointers: z.array(size),
    vLengths: z.array(z.number().int().min(0).max(32)).max(256),
    zLengths: z.array(z.number().int().min(0).max(32)).max(256),
    vBytes: size,
    zBytes: size,
  })
  .refine((h) => h.rows * h.cols <= 2 ** 26, { message: 'rows x cols is above 2^26 weights', path: ['rows'] });

/** Decodes huffmanLayer's bytes back to the code matrix; throws on a damaged file. */
export function huffmanLayerDecode(bytes: Uint8Array): { rows: number; cols: number; codes: number[][] } {
  if (bytes.length < 4) throw new RangeError('the file is shorter than its header');
  const hl = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + hl > bytes.length) throw new RangeError('the header runs past the end of the file');
  const h = parseWith(huffmanHeader, JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + hl))), 'the header');
  if (4 + hl + h.vBytes + h.zBytes !== bytes.length)
    throw new RangeError(`the file holds ${bytes.length} bytes; its header says ${4 + hl + h.vBytes + h.zBytes}`);
  if (h.pointers.length !== h.cols + 1) throw new RangeError('the pointers do not match the columns');
  if (
    h.pointers[0] !== 0 ||
    h.pointers.at(-1) !== h.entries ||
    h.pointers.some((p, j) => j > 0 && p < h.pointers[j - 1]!)
  )
    throw new RangeError(`the pointers do not run from 0 up to the ${h.entries} entries`);
  const v = huffmanDecode(bytes.subarray(4 + hl, 4 + hl + h.vBytes), h.entries, h.vLengths);
  const z = huffmanDecode(bytes.subarray(4 + hl + h.vBytes), h.entries, h.zLengths);
  const codes = Array.from({ length: h.rows }, () => Array<number>(h.cols).fill(0));
  for (let j = 0; j < h.cols; j++) {
    let row = -1;
    for (let e = h.pointers[j]!; e < h.pointers[j + 1]!; e++) {
      row += z[e]! + 1;
      if (row >= h.rows) throw new RangeError(`column ${j}: a relative index runs past row ${h.rows - 1}`);
      if (v[e]) codes[row]![j] = v[e]!;
    }
  }
  return { rows: h.rows, cols: h.cols, codes };
}
