// Canonical Huffman coding of small-alphabet symbol streams (Deep
// Compression's last stage: the weight codes and the relative indices).
// Code lengths come from the usual two-smallest merge (ties broken by
// symbol, so the code is deterministic); codes are assigned canonically
// (by length, then symbol), so the lengths alone describe the code. Bits
// are packed MSB first.

export interface HuffmanCode {
  /** Code length per symbol (0: the symbol does not occur). */
  lengths: number[];
  /** Canonical code per symbol. */
  codes: number[];
}

/** Code lengths for symbol frequencies (a lone symbol gets length 1). */
export function huffmanLengths(freq: number[]): number[] {
  const lengths = freq.map(() => 0);
  const used = freq.map((f, s) => ({ f, s })).filter((x) => x.f > 0);
  if (used.length === 0) return lengths;
  if (used.length === 1) {
    lengths[used[0]!.s] = 1;
    return lengths;
  }
  // Nodes: weight, smallest symbol (tie-break), leaf symbols below.
  let nodes = used.map((x) => ({ w: x.f, key: x.s, leaves: [x.s] }));
  while (nodes.length > 1) {
    nodes.sort((a, b) => a.w - b.w || a.key - b.key);
    const [a, b] = [nodes[0]!, nodes[1]!];
    for (const s of [...a.leaves, ...b.leaves]) lengths[s]!++;
    nodes = [{ w: a.w + b.w, key: Math.min(a.key, b.key), leaves: [...a.leaves, ...b.leaves] }, ...nodes.slice(2)];
  }
  return lengths;
}

/** Canonical codes from code lengths. */
export function canonicalCode(lengths: number[]): HuffmanCode {
  const order = lengths
    .map((l, s) => ({ l, s }))
    .filter((x) => x.l > 0)
    .sort((a, b) => a.l - b.l || a.s - b.s);
  const codes = lengths.map(() => 0);
  let code = 0,
    prev = order[0]?.l ?? 0;
  for (const { l, s } of order) {
    code <<= l - prev;
    prev = l;
    codes[s] = code++;
  }
  return { lengths, codes };
}

export function buildCode(symbols: ArrayLike<number>, alphabet: number): HuffmanCode {
  const freq = Array<number>(alphabet).fill(0);
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    if (!(s >= 0 && s < alphabet)) throw new RangeError(`symbol ${s} outside the alphabet 0..${alphabet - 1}`);
    freq[s]!++;
  }
  return canonicalCode(huffmanLengths(freq));
}

/** Encodes symbols; returns the packed bits and their count. */
export function huffmanEncode(symbols: ArrayLike<number>, code: HuffmanCode): { bytes: Uint8Array; bits: number } {
  let bits = 0;
  for (let i = 0; i < symbols.length; i++) bits += code.lengths[symbols[i]!]!;
  const bytes = new Uint8Array(Math.ceil(bits / 8));
  let at = 0;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!,
      l = code.lengths[s]!,
      c = code.codes[s]!;
    if (!l) throw new RangeError(`symbol ${s} has no code`);
    for (let k = l - 1; k >= 0; k--, at++) if ((c >> k) & 1) bytes[at >> 3]! |= 0x80 >> (at & 7);
  }
  return { bytes, bits };
}

/** Decodes `count` symbols from packed bits (canonical decoding by lengths). */
export function huffmanDecode(bytes: Uint8Array, count: number, lengths: number[]): number[] {
  const { codes } = canonicalCode(lengths);
  const table = new Map<string, number>();
  lengths.forEach((l, s) => l && table.set(`${l}:${codes[s]}`, s));
  const maxLen = Math.max(0, ...lengths);
  const out: number[] = [];
  let at = 0;
  const total = bytes.length * 8;
  while (out.length < count) {
    let c = 0,
      l = 0,
      found = -1;
    while (l < maxLen) {
      if (at >= total) throw new RangeError(`Huffman stream ends after ${out.length} of ${count} symbols`);
      c = (c << 1) | ((bytes[at >> 3]! >> (7 - (at & 7))) & 1);
      at++;
      l++;
      const s = table.get(`${l}:${c}`);
      if (s !== undefined) {
        found = s;
        break;
      }
    }
    if (found < 0) throw new RangeError(`invalid Huffman code at bit ${at}`);
    out.push(found);
  }
  return out;
}
