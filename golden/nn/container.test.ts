// The container's format (docs/compression.md "The container") on a
// network small enough to check by hand, and its refusals: every damage
// named by its field.
import { describe, expect, it } from 'vitest';
import { InputError } from '../common/errors.js';
import { Dense, Flatten } from './layers.js';
import { netToGraph } from './net-graph.js';
import { decodeContainer, encodeContainer, headerBytes, type ContainerModel } from './container.js';
import { BitReader, BitWriter, expGolombBits } from './bitstream.js';
import { fromHalfBits, toHalfBits } from './half.js';
import { crc32 } from './crc32.js';

// fc1: 2 inputs -> 24 outputs. Column 0 keeps rows 2, 3, 22 (a padding entry before 22, the numerics spec's
// example), column 1 keeps row 0.
const rows = 24;
const codes = Array.from({ length: rows }, (_, r) =>
  Uint8Array.from([r === 2 ? 5 : r === 3 ? 7 : r === 22 ? 1 : 0, r === 0 ? 3 : 0]),
);
function example(): ContainerModel {
  const net = { name: 'hand', inShape: [2], layers: [new Flatten(), new Dense(2, rows, 'fc1')] };
  const centroids = Array.from({ length: 16 }, (_, i) => (i ? (i - 8) / 4 : 0));
  const bias = Array.from({ length: rows }, (_, i) => i / 8);
  const d = net.layers[1] as Dense;
  for (let r = 0; r < rows; r++) for (let j = 0; j < 2; j++) d.weight.w[r * 2 + j] = centroids[codes[r]![j]!]!;
  d.bias.w.set(bias);
  const graph = { ...netToGraph(net), name: 'hand' };
  graph.input = { ...graph.input, dims: [-1, 2] };
  return {
    model: 'hand',
    graph,
    indexBits: 4,
    layers: [{ name: 'fc1', op: 'fc', rows, cols: 2, codeBits: 4, centroids, bias, codes }],
  };
}

const refused = (bytes: Uint8Array) => {
  try {
    decodeContainer(bytes, 'x.afz');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('the container was accepted');
};

/** A copy with a payload byte changed and the checksum made right again (damage past the CRC). */
function rechecked(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const b = bytes.slice();
  b[at] = value;
  new DataView(b.buffer).setUint32(12, crc32(b.subarray(headerBytes)), true);
  return b;
}

describe('container', () => {
  const m = example();
  const { bytes, size } = encodeContainer(m);

  it('lays out the header, the network and the layer as documented', () => {
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('AFZC');
    const dv = new DataView(bytes.buffer);
    expect([dv.getUint16(4, true), dv.getUint16(6, true), dv.getUint32(8, true)]).toEqual([1, 0, bytes.length - 16]);
    // name 'hand', rank 2, dims 0 (batch) and 2, two layers: flatten; dense 2 -> 24 named fc1.
    expect([...bytes.subarray(16, 16 + size.network)]).toEqual([
      4, 104, 97, 110, 100, 2, 0, 2, 2, 6, 1, 2, 24, 3, 102, 99, 49,
    ]);
    const l = size.layers[0]!;
    expect(l).toMatchObject({ head: 4, codebook: 30, bias: 48, pointers: 1 });
    const at = 16 + size.network;
    // codeBits, indexBits, length-field bits (the longest code is 2 bits), Exp-Golomb order 1 (6 bits, order 0: 8);
    // column counts 4 and 1 at order 1: 4 + 2 = 110 after one 0, 1 + 2 = 11 -> 0110 11(00).
    expect([...bytes.subarray(at, at + 4)]).toEqual([4, 4, 2, 1]);
    expect(bytes[at + 4 + 30 + 48 + l.tables]).toBe(0b01101100);
    expect(
      size.header + size.network + Object.values(l).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0),
    ).toBe(bytes.length);
  });

  it('decodes back to the same codes, codebook, bias and network', () => {
    const back = decodeContainer(bytes);
    expect(back.layers[0]!.codes).toEqual(codes);
    expect(back.layers[0]!.centroids).toEqual(m.layers[0]!.centroids);
    expect(back.layers[0]!.bias).toEqual(m.layers[0]!.bias);
    expect(back.graph.input.dims).toEqual([-1, 2]);
    expect([...back.graph.initializers.get('fc1.weight')!.data]).toEqual([
      ...m.graph.initializers.get('fc1.weight')!.data,
    ]);
  });

  it('refuses a damaged container naming the field', () => {
    expect(refused(bytes.slice(0, 10))).toMatch(/header is cut short/);
    expect(refused(bytes.slice(0, bytes.length - 1))).toMatch(/payload length .*truncated/);
    expect(refused(Uint8Array.from([...bytes, 0]))).toMatch(/payload length .*trailing/);
    const flipped = bytes.slice();
    flipped[40]! ^= 1;
    expect(refused(flipped)).toMatch(/checksum does not match/);
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(refused(v2)).toMatch(/version is 2; this accelforge reads version 1/);
    const magic = bytes.slice();
    magic[0] = 0x50;
    expect(refused(magic)).toMatch(/magic is 'PFZC'/);
    // The dense layer's input count (network byte 11) made 3: the flatten gives 2.
    expect(refused(rechecked(bytes, 16 + 11, 3))).toMatch(/network layer 1 inputs is 3; .*inconsistent shapes/);
    // Column 0's count made larger: the entries run past the streams.
    const at = 16 + size.network + 4 + 30 + 48 + size.layers[0]!.tables;
    expect(refused(rechecked(bytes, at, 0b00001000))).toMatch(
      /layer 'fc1' (column counts|relative indices|weight-code)/,
    );
  });
});

describe('container pieces', () => {
  it('writes Exp-Golomb codes of order k and reads them back', () => {
    const w = new BitWriter();
    for (const n of [0, 1, 2, 3]) w.expGolomb(n, 0);
    // 1 010 011 00100 -> 1010 0110 0100 0000
    expect([...w.finish()]).toEqual([0xa6, 0x40]);
    expect([0, 1, 2, 3, 7].map((n) => expGolombBits(n, 0))).toEqual([1, 3, 3, 5, 7]);
    const w2 = new BitWriter();
    const values = [0, 5, 17, 300, 2];
    for (const n of values) w2.expGolomb(n, 3);
    const r = new BitReader(w2.finish(), 't');
    expect(values.map(() => r.expGolomb(3))).toEqual(values);
  });

  it('encodes float16 bit patterns exactly', () => {
    expect([1 / 3, 65504, -0, 0.5, 2 ** -24, -2].map((v) => toHalfBits(v))).toEqual([
      0x3555, 0x7bff, 0x8000, 0x3800, 1, 0xc000,
    ]);
    expect([0x3555, 0x7bff, 0x8000, 1].map(fromHalfBits)).toEqual([0.333251953125, 65504, -0, 2 ** -24]);
  });

  it('computes zlib CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
