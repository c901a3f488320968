// A second reader of model.afz, written from docs/compression.md ("The
// container") and sharing no code with golden/nn/container*.ts: its own bit
// reader, canonical Huffman table, Exp-Golomb and float16 decoding, and
// node:zlib's CRC-32. It decodes what `compress` writes and must rebuild the
// compressed network's weights and biases bit for bit.
import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { defaultRecipe } from '../../golden/nn/compress.js';
import { compressGraph, compressedFiles, containerFile } from './compressed.js';
import { tinyFc, quickNet } from '../../testbenches/support/nets.js';

interface RefLayer {
  kind: number;
  name?: string;
  dims?: number[];
  pad?: number;
}

/** Decodes a container into { layer name -> weights (row-major, rows x cols), biases }. */
function referenceDecode(buf: Uint8Array) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (String.fromCharCode(...buf.subarray(0, 4)) !== 'AFZC') throw new Error('magic');
  if (dv.getUint16(4, true) !== 1) throw new Error('version');
  const n = dv.getUint32(8, true);
  if (crc32(buf.subarray(16, 16 + n)) !== dv.getUint32(12, true)) throw new Error('crc');
  let pos = 16;
  const byte = () => buf[pos++]!;
  const varint = (): number => {
    let v = 0;
    for (let shift = 1; ; shift *= 128) {
      const b = byte();
      v += (b & 127) * shift;
      if (b < 128) return v;
    }
  };
  const str = () => {
    const len = varint();
    pos += len;
    return new TextDecoder().decode(buf.subarray(pos - len, pos));
  };
  const half = (): number => {
    const h = byte() | (byte() << 8);
    const e = (h >> 10) & 31,
      f = h & 1023,
      s = h >> 15 ? -1 : 1;
    return e === 0 ? s * f * 2 ** -24 : s * (1 + f / 1024) * 2 ** (e - 15);
  };
  const model = str();
  const rank = byte();
  const dims = Array.from({ length: rank }, () => varint());
  const layers: RefLayer[] = [];
  for (let i = varint(); i > 0; i--) {
    const kind = byte();
    if (kind === 1) {
      const inF = varint(),
        outF = varint();
      layers.push({ kind, dims: [outF, inF], name: str() });
    } else if (kind === 2) {
      const c = varint(),
        m = varint(),
        k = byte(),
        pad = byte();
      layers.push({ kind, dims: [m, c * k * k], pad, name: str() });
    } else layers.push({ kind });
  }
  const out = new Map<string, { weights: number[]; bias: number[] }>();
  for (const l of layers.filter((x) => x.kind <= 2)) {
    const R = l.dims![0]!,
      C = l.dims![1]!;
    const b = byte(),
      x = byte(),
      w = byte(),
      k = byte();
    const book = [0, ...Array.from({ length: 2 ** b - 1 }, half)];
    const bias = Array.from({ length: R }, half);
    // One bit cursor per stream; each stream starts on a byte.
    let bit = 0;
    const next = () => (buf[pos + (bit >> 3)]! >> (7 - (bit++ & 7))) & 1;
    const bits = (len: number) => {
      let v = 0;
      for (let i = 0; i < len; i++) v = 2 * v + next();
      return v;
    };
    const endStream = () => {
      pos += Math.ceil(bit / 8);
      bit = 0;
    };
    const vLen = Array.from({ length: 2 ** b }, () => bits(w));
    const zLen = Array.from({ length: 2 ** x }, () => bits(w));
    endStream();
    const counts = Array.from({ length: C }, () => {
      let zeros = 0;
      while (next() === 0) zeros++;
      return 2 ** (zeros + k) + bits(zeros + k) - 2 ** k;
    });
    endStream();
    const entries = counts.reduce((a, c) => a + c, 0);
    // Canonical code: symbols by (length, symbol), consecutive codes, shifted left when the length grows.
    const table = (lens: number[]) => {
      const map = new Map<string, number>();
      let code = 0,
        len = 0;
      for (const s of lens
        .map((l, i) => [l, i] as const)
        .filter(([l]) => l > 0)
        .sort((p, q) => p[0] - q[0] || p[1] - q[1])) {
        code <<= s[0] - len;
        len = s[0];
        map.set(`${len}/${code++}`, s[1]);
      }
      return map;
    };
    const symbols = (lens: number[]) => {
      const map = table(lens);
      const got: number[] = [];
      while (got.length < entries) {
        let code = 0;
        for (let len = 1; ; len++) {
          code = 2 * code + next();
          const s = map.get(`${len}/${code}`);
          if (s !== undefined) {
            got.push(s);
            break;
          }
        }
      }
      endStream();
      return got;
    };
    const v = symbols(vLen),
      z = symbols(zLen);
    const weights = Array<number>(R * C).fill(0);
    let e = 0;
    counts.forEach((cnt, col) => {
      let row = -1;
      for (let i = 0; i < cnt; i++, e++) {
        row += z[e]! + 1;
        weights[row * C + col] = book[v[e]!]!;
      }
    });
    out.set(l.name!, { weights, bias });
  }
  if (pos !== buf.length) throw new Error(`${buf.length - pos} bytes left over`);
  return { model, dims, layers, out };
}

describe('model.afz read by a reference decoder written from the doc', () => {
  const quick = { ...defaultRecipe(), steps: 1, epochsPerStep: 0, finalEpochs: 0, finetuneEpochs: 0, tableEpochs: 0 };
  for (const [name, graph] of [
    ['tiny-fc', () => tinyFc()],
    ['lenet-5 (conv layers)', () => quickNet('lenet-5')],
  ] as const) {
    it(`${name}: the decoded weights and biases equal the compressed network's, bit for bit`, () => {
      const cm = compressGraph(graph(), name, quick, undefined, { bitsTable: [] });
      const bytes = compressedFiles(cm).get(containerFile) as Uint8Array;
      const ref = referenceDecode(bytes);
      expect(ref.model).toBe(name);
      expect(ref.out.size).toBe(cm.layers.length);
      for (const l of cm.layers) {
        const got = ref.out.get(l.name)!;
        const w = cm.graph.initializers.get(`${l.name}.weight`)!.data;
        const b = cm.graph.initializers.get(`${l.name}.bias`)!.data;
        expect(Float32Array.from(got.weights)).toEqual(Float32Array.from(w));
        expect(Float32Array.from(got.bias)).toEqual(Float32Array.from(b));
        expect(got.weights.filter((x) => x !== 0).length).toBeGreaterThan(0);
      }
    });
  }
});
