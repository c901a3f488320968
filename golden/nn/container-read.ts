// The payload of a container (container.ts) read back, every field checked:
// the network's shapes chain, each layer's code lengths form a prefix code,
// the column counts sum to the streams' entries, no relative index runs past
// the last row, no byte is left over.
import type { InputError } from '../common/errors.js';
import { AvgPool2, Conv, Dense, Flatten, MaxPool2, Relu, type Layer } from './layers.js';
import type { Net } from './train.js';
import { BitReader } from './bitstream.js';
import { fromHalfBits } from './half.js';
import type { ContainerLayer } from './container.js';

type Fail = (field: string, what: string) => InputError;

const maxWeights = 2 ** 26;

class ByteReader {
  at = 0;
  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: Fail,
  ) {}
  u8(field: string): number {
    if (this.at >= this.bytes.length) throw this.fail(field, 'runs past the end of the payload (truncated)');
    return this.bytes[this.at++]!;
  }
  uleb(field: string, max = maxWeights): number {
    let v = 0,
      scale = 1,
      b: number;
    do {
      b = this.u8(field);
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (scale > 2 ** 35) throw this.fail(field, 'is an integer of more than 5 bytes');
    } while (b & 0x80);
    if (v > max) throw this.fail(field, `is ${v}; at most ${max}`);
    return v;
  }
  text(field: string): string {
    const n = this.uleb(`${field} length`, 255);
    if (this.at + n > this.bytes.length) throw this.fail(field, 'runs past the end of the payload (truncated)');
    let s: string;
    try {
      s = new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(this.at, this.at + n));
    } catch {
      throw this.fail(field, 'is not UTF-8 text');
    }
    this.at += n;
    return s;
  }
  f16(field: string): number {
    const lo = this.u8(field);
    return fromHalfBits(lo | (this.u8(field) << 8));
  }
  bits(field: string): BitReader {
    return new BitReader(this.bytes.subarray(this.at), field, this.fail);
  }
}

interface NetworkSpec {
  model: string;
  inputDims: number[];
  net: Net;
  weights: (Dense | Conv)[];
}

function readLayer(r: ByteReader, i: number, shape: number[], fail: Fail): Layer {
  const field = `network layer ${i}`;
  const kind = r.u8(`${field} kind`);
  const need3 = (what: string) => {
    if (shape.length !== 3)
      throw fail(field, `is a ${what} on a ${shape.length}-D tensor [${shape}]; it needs C x H x W`);
  };
  if (kind === 1) {
    const inF = r.uleb(`${field} inputs`),
      outF = r.uleb(`${field} outputs`);
    const n = shape.reduce((a, b) => a * b, 1);
    if (shape.length !== 1 || inF !== n)
      throw fail(`${field} inputs`, `is ${inF}; the layer before gives [${shape}] (inconsistent shapes)`);
    if (outF < 1 || inF * outF > maxWeights) throw fail(`${field} outputs`, `is ${outF}; 1 .. 2^26 / inputs`);
    return new Dense(inF, outF, r.text(`${field} name`));
  }
  if (kind === 2) {
    const cin = r.uleb(`${field} channels`),
      cout = r.uleb(`${field} filters`),
      k = r.u8(`${field} kernel`),
      pad = r.u8(`${field} padding`);
    need3('convolution');
    if (cin !== shape[0])
      throw fail(`${field} channels`, `is ${cin}; the layer before gives ${shape[0]} (inconsistent shapes)`);
    if (cout < 1 || k < 1 || shape[1]! + 2 * pad < k || shape[2]! + 2 * pad < k || cout * cin * k * k > maxWeights)
      throw fail(field, `(${cout} filters of ${cin} x ${k} x ${k}, padding ${pad}) does not fit the input [${shape}]`);
    return new Conv(cin, cout, k, r.text(`${field} name`), pad);
  }
  if (kind === 3) return new Relu();
  if (kind === 4 || kind === 5) {
    need3('pooling');
    return kind === 4 ? new MaxPool2() : new AvgPool2();
  }
  if (kind === 6) return new Flatten();
  throw fail(`${field} kind`, `is ${kind}; 1 dense, 2 conv, 3 relu, 4 maxpool, 5 avgpool, 6 flatten`);
}

function readNetwork(r: ByteReader, fail: Fail): NetworkSpec {
  const model = r.text('model name');
  const rank = r.u8('input rank');
  if (rank < 2 || rank > 4) throw fail('input rank', `is ${rank}; 2 (N x features) to 4 (N x C x H x W)`);
  const inputDims = Array.from({ length: rank }, (_, i) => r.uleb(`input dimension ${i}`, 65535));
  if (inputDims.slice(1).some((x) => x === 0)) throw fail('input dimensions', `[${inputDims}] hold a 0 past the batch`);
  const count = r.uleb('network layer count', 1000);
  const layers: Layer[] = [];
  let shape = inputDims.slice(1);
  for (let i = 0; i < count; i++) {
    const l = readLayer(r, i, shape, fail);
    shape = l.outShape(shape);
    if (shape.some((x) => x < 1)) throw fail(`network layer ${i}`, `leaves an empty tensor [${shape}]`);
    layers.push(l);
  }
  const weights = layers.filter((l): l is Dense | Conv => l instanceof Dense || l instanceof Conv);
  if (!weights.length) throw fail('network', 'has no weight layer');
  return { model, inputDims, net: { name: model, inShape: inputDims.slice(1), layers }, weights };
}

/** Canonical Huffman decoding by code lengths (codes by length, then symbol); the lengths must be a prefix code. */
function canonicalDecoder(lengths: number[], field: string, fail: Fail): (r: BitReader) => number {
  const kraft = lengths.reduce((s, l) => s + (l ? 2 ** -l : 0), 0);
  if (kraft > 1) throw fail(field, 'are not a prefix code (the lengths over-fill the code space)');
  const maxLen = Math.max(0, ...lengths);
  const count = Array<number>(maxLen + 1).fill(0);
  lengths.forEach((l) => l && count[l]!++);
  const sorted = lengths
    .map((l, s) => ({ l, s }))
    .filter((x) => x.l > 0)
    .sort((a, b) => a.l - b.l || a.s - b.s)
    .map((x) => x.s);
  return (r) => {
    let code = 0,
      first = 0,
      index = 0;
    for (let len = 1; len <= maxLen; len++) {
      code |= r.bit();
      if (code - first < count[len]!) return sorted[index + code - first]!;
      index += count[len]!;
      first = (first + count[len]!) << 1;
      code <<= 1;
    }
    throw fail(field.replace('code lengths', 'stream'), 'holds a bit pattern that is no code');
  };
}

function readWeights(r: ByteReader, l: Dense | Conv, fail: Fail): ContainerLayer & { indexBits: number } {
  const name = nameOf(l);
  const f = (x: string) => `layer '${name}' ${x}`;
  const rows = l instanceof Dense ? l.outF : l.cout;
  const cols = l.weight.w.length / rows;
  const codeBits = r.u8(f('codeBits')),
    indexBits = r.u8(f('indexBits')),
    w = r.u8(f('lengthBits')),
    k = r.u8(f('countOrder'));
  if (codeBits < 1 || codeBits > 8) throw fail(f('codeBits'), `is ${codeBits}; 1 .. 8`);
  if (indexBits < 1 || indexBits > 8) throw fail(f('indexBits'), `is ${indexBits}; 1 .. 8`);
  if (w < 1 || w > 6) throw fail(f('lengthBits'), `is ${w}; 1 .. 6`);
  if (k > 23) throw fail(f('countOrder'), `is ${k}; 0 .. 23`);
  const centroids = [0, ...Array.from({ length: (1 << codeBits) - 1 }, () => r.f16(f('codebook')))];
  const bias = Array.from({ length: rows }, () => r.f16(f('bias')));
  const stream = (field: string) => {
    const br = r.bits(f(field));
    return { br, done: () => (r.at += br.end()) };
  };
  const t = stream('code lengths');
  const vLen = Array.from({ length: 1 << codeBits }, () => t.br.read(w));
  const zLen = Array.from({ length: 1 << indexBits }, () => t.br.read(w));
  t.done();
  const p = stream('column counts');
  const counts = Array.from({ length: cols }, () => p.br.expGolomb(k));
  p.done();
  const entries = counts.reduce((a, b) => a + b, 0);
  if (entries > 8 * (r.bytes.length - r.at))
    throw fail(f('column counts'), `sum to ${entries} entries, more than the rest of the file can hold`);
  const decode = (lengths: number[], field: string) => {
    if (entries && lengths.every((x) => !x)) throw fail(f(`${field} code lengths`), 'are all 0 but entries are stored');
    const dec = canonicalDecoder(lengths, f(`${field} code lengths`), fail);
    const s = stream(`${field} stream`);
    const out = Array.from({ length: entries }, () => dec(s.br));
    s.done();
    return out;
  };
  const v = decode(vLen, 'weight-code'),
    z = decode(zLen, 'relative-index');
  const codes = Array.from({ length: rows }, () => new Uint8Array(cols));
  const maxZ = (1 << indexBits) - 1;
  for (let j = 0, e = 0; j < cols; j++) {
    let row = -1;
    for (const end = e + counts[j]!; e < end; e++) {
      row += z[e]! + 1;
      if (row >= rows)
        throw fail(f('relative indices'), `of column ${j} run past row ${rows - 1} (inconsistent shapes)`);
      if (v[e] === 0 && z[e] !== maxZ)
        throw fail(f('weight codes'), `hold a 0 at entry ${e} that is not a padding entry (z = ${maxZ})`);
      codes[row]![j] = v[e]!;
    }
  }
  return { name, op: l instanceof Dense ? 'fc' : 'conv', rows, cols, codeBits, centroids, bias, codes, indexBits };
}

const nameOf = (l: Dense | Conv) => l.weight.name.replace(/\.weight$/, '');

/** The network and its compressed layers; sets the network's weights from the codes. */
export function decodePayload(payload: Uint8Array, fail: Fail) {
  const r = new ByteReader(payload, fail);
  const spec = readNetwork(r, fail);
  const layers = spec.weights.map((l) => readWeights(r, l, fail));
  if (r.at !== payload.length)
    throw fail('payload', `has ${payload.length - r.at} bytes after the last layer (inconsistent with the network)`);
  const indexBits = layers[0]!.indexBits;
  const other = layers.find((l) => l.indexBits !== indexBits);
  if (other) throw fail(`layer '${other.name}' indexBits`, `is ${other.indexBits}; the first layer's is ${indexBits}`);
  spec.weights.forEach((l, i) => {
    const c = layers[i]!;
    for (let row = 0; row < c.rows; row++)
      for (let j = 0; j < c.cols; j++) l.weight.w[row * c.cols + j] = c.centroids[c.codes[row]![j]!]!;
    l.bias.w.set(c.bias);
  });
  return {
    model: spec.model,
    inputDims: spec.inputDims,
    net: spec.net,
    indexBits,
    layers: layers.map(({ indexBits: _, ...l }) => l),
  };
}
