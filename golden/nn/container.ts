// The compressed container (model.afz, docs/compression.md "The container"):
// one binary file holding everything needed to decode a Deep-Compressed
// network and run it on eie: the network's structure and shapes, per weight
// layer its float16 codebook and biases, the canonical Huffman code lengths,
// the column entry counts (the column pointers, Exp-Golomb coded) and the
// Huffman streams of the weight codes and relative row indices. A 16-byte
// header carries a magic, a version and a CRC-32 of the payload. The
// documented size of a compressed network is this file's size.
import { InputError } from '../common/errors.js';
import type { Graph } from './graph.js';
import { Conv, Dense, type Layer } from './layers.js';
import { graphToNet, netToGraph } from './net-graph.js';
import { BitWriter, expGolombBits, uleb128 } from './bitstream.js';
import { buildCode } from './huffman.js';
import { encodeCsc } from './eie-format.js';
import { toHalfBits } from './half.js';
import { crc32 } from './crc32.js';
import { decodePayload } from './container-read.js';

export const containerMagic = 'AFZC';
export const containerVersion = 1;
export const headerBytes = 16;

export interface ContainerLayer {
  name: string;
  op: 'fc' | 'conv';
  /** Outputs; inputs per output (FC inputs, conv C x R x S). */
  rows: number;
  cols: number;
  codeBits: number;
  /** 2^codeBits float16 values; entry 0 is 0 (pruned). */
  centroids: number[];
  bias: number[];
  /** rows x cols codes (0 = pruned). */
  codes: Uint8Array[];
}

export interface ContainerModel {
  model: string;
  /** The network with its shared weights expanded (float). */
  graph: Graph;
  indexBits: number;
  layers: ContainerLayer[];
}

/** Bytes of each part of a container (they sum to its size). */
export interface ContainerSize {
  total: number;
  header: number;
  network: number;
  layers: {
    name: string;
    head: number;
    codebook: number;
    bias: number;
    tables: number;
    pointers: number;
    codes: number;
    index: number;
  }[];
}

/** Layer kinds of the network section. */
export const layerKinds = ['dense', 'conv', 'relu', 'maxpool', 'avgpool', 'flatten'] as const;

const utf8 = (s: string) => [...uleb128(new TextEncoder().encode(s).length), ...new TextEncoder().encode(s)];

function networkSection(m: ContainerModel): number[] {
  const out = [...utf8(m.model), m.graph.input.dims.length];
  for (const d of m.graph.input.dims) out.push(...uleb128(d > 0 ? d : 0));
  const layers: Layer[] = graphToNet(m.graph).layers;
  out.push(...uleb128(layers.length));
  for (const l of layers) {
    out.push(1 + layerKinds.indexOf(l.kind));
    if (l instanceof Dense) out.push(...uleb128(l.inF), ...uleb128(l.outF), ...utf8(nameOf(l)));
    else if (l instanceof Conv) out.push(...uleb128(l.cin), ...uleb128(l.cout), l.k, l.pad, ...utf8(nameOf(l)));
  }
  return out;
}

const nameOf = (l: Dense | Conv) => l.weight.name.replace(/\.weight$/, '');

/** The cheapest Exp-Golomb order for the counts. */
function bestOrder(counts: number[]): number {
  let best = 0,
    bits = Infinity;
  for (let k = 0; k < 24; k++) {
    const b = counts.reduce((s, c) => s + expGolombBits(c, k), 0);
    if (b < bits) [best, bits] = [k, b];
  }
  return best;
}

function f16(values: number[]): number[] {
  return values.flatMap((v) => {
    const h = toHalfBits(v);
    return [h & 0xff, h >> 8];
  });
}

function layerSection(l: ContainerLayer, indexBits: number): { bytes: number[]; size: ContainerSize['layers'][0] } {
  const csc = encodeCsc(l.codes, 1, indexBits)[0]!;
  const counts = l.codes[0] ? Array.from({ length: l.cols }, (_, j) => csc.p[j + 1]! - csc.p[j]!) : [];
  const cv = buildCode(csc.v, 1 << l.codeBits),
    cz = buildCode(csc.z, 1 << indexBits);
  const maxLen = Math.max(1, ...cv.lengths, ...cz.lengths);
  const w = Math.floor(Math.log2(maxLen)) + 1;
  const k = bestOrder(counts);
  const tables = new BitWriter();
  for (const len of [...cv.lengths, ...cz.lengths]) tables.write(len, w);
  const pointers = new BitWriter();
  for (const c of counts) pointers.expGolomb(c, k);
  const stream = (syms: number[], code: typeof cv) => {
    const bw = new BitWriter();
    for (const s of syms) bw.write(code.codes[s]!, code.lengths[s]!);
    return bw.finish();
  };
  const head = [l.codeBits, indexBits, w, k];
  const parts = {
    head,
    codebook: f16(l.centroids.slice(1)),
    bias: f16(l.bias),
    tables: [...tables.finish()],
    pointers: [...pointers.finish()],
    codes: [...stream(csc.v, cv)],
    index: [...stream(csc.z, cz)],
  };
  const size = { name: l.name, ...Object.fromEntries(Object.entries(parts).map(([n, b]) => [n, b.length])) };
  return { bytes: Object.values(parts).flat(), size: size as ContainerSize['layers'][0] };
}

/** The container's bytes and what each part takes. */
export function encodeContainer(m: ContainerModel): { bytes: Uint8Array; size: ContainerSize } {
  const network = networkSection(m);
  const sections = m.layers.map((l) => layerSection(l, m.indexBits));
  const payload = Uint8Array.from([...network, ...sections.flatMap((s) => s.bytes)]);
  const out = new Uint8Array(headerBytes + payload.length);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode(containerMagic), 0);
  dv.setUint16(4, containerVersion, true);
  dv.setUint16(6, 0, true);
  dv.setUint32(8, payload.length, true);
  dv.setUint32(12, crc32(payload), true);
  out.set(payload, headerBytes);
  return {
    bytes: out,
    size: { total: out.length, header: headerBytes, network: network.length, layers: sections.map((s) => s.size) },
  };
}

/** Reads a container; InputError naming the field on any damage (`file` names it in messages). */
export function decodeContainer(bytes: Uint8Array, file = 'model.afz'): ContainerModel {
  const fail = (field: string, what: string) => new InputError(`${file}: ${field} ${what}`);
  if (bytes.length < headerBytes)
    throw fail('header', `is cut short: ${bytes.length} bytes, a container has at least ${headerBytes}`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== containerMagic)
    throw fail(
      'magic',
      `is '${magic.replace(/[^\x20-\x7e]/g, '?')}'; an accelforge container starts with '${containerMagic}'`,
    );
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint16(4, true);
  if (version !== containerVersion)
    throw fail('version', `is ${version}; this accelforge reads version ${containerVersion}`);
  if (dv.getUint16(6, true) !== 0) throw fail('flags', `are ${dv.getUint16(6, true)}; version 1 defines none (0)`);
  const length = dv.getUint32(8, true);
  if (length !== bytes.length - headerBytes)
    throw fail(
      'payload length',
      `is ${length} bytes but the file holds ${bytes.length - headerBytes} after the header (${length > bytes.length - headerBytes ? 'truncated' : 'trailing bytes'})`,
    );
  const payload = bytes.subarray(headerBytes);
  const sum = crc32(payload);
  if (sum !== dv.getUint32(12, true))
    throw fail(
      'checksum',
      `does not match: the header says CRC-32 ${dv.getUint32(12, true).toString(16).padStart(8, '0')}, the payload's is ${sum.toString(16).padStart(8, '0')} (the file is damaged)`,
    );
  const d = decodePayload(payload, fail);
  const graph = netToGraph(d.net);
  graph.name = d.model;
  graph.input = { ...graph.input, dims: d.inputDims.map((x) => (x === 0 ? -1 : x)) };
  return { model: d.model, graph, indexBits: d.indexBits, layers: d.layers };
}
