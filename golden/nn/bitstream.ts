// Bit-level writing and reading for the compressed container (container.ts):
// bits most-significant first within each byte, each stream padded with 0
// bits to a whole byte; unsigned LEB128 integers; Exp-Golomb codes of
// order k (the column entry counts).
import { InputError } from '../common/errors.js';

export class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  /** Appends the `len` low bits of `value`, most significant first (len <= 31). */
  write(value: number, len: number): void {
    for (let k = len - 1; k >= 0; k--) {
      this.acc = (this.acc << 1) | ((value >>> k) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        this.acc = this.n = 0;
      }
    }
  }
  /** Exp-Golomb of order k: n + 2^k in binary, after as many 0 bits as it has bits past k + 1. */
  expGolomb(n: number, k: number): void {
    const v = n + 2 ** k;
    const len = Math.floor(Math.log2(v)) + 1;
    this.write(0, len - k - 1);
    this.write(v, len);
  }
  /** The stream, its last byte padded with 0 bits. */
  finish(): Uint8Array {
    if (this.n) this.bytes.push(this.acc << (8 - this.n));
    this.acc = this.n = 0;
    return Uint8Array.from(this.bytes);
  }
}

/** Bits of an Exp-Golomb code of order k for n. */
export const expGolombBits = (n: number, k: number) => 2 * Math.floor(Math.log2(n + 2 ** k)) + 1 - k;

export class BitReader {
  private at = 0;
  constructor(
    private readonly bytes: Uint8Array,
    /** Names the stream in errors. */
    private readonly field: string,
    /** Makes the error (the container's reader adds the file's name). */
    private readonly fail: (field: string, what: string) => Error = (f, w) => new InputError(`${f} ${w}`),
  ) {}
  bit(): number {
    if (this.at >= this.bytes.length * 8)
      throw this.fail(this.field, 'runs past the end of the container (truncated or damaged)');
    const b = (this.bytes[this.at >> 3]! >> (7 - (this.at & 7))) & 1;
    this.at++;
    return b;
  }
  read(len: number): number {
    let v = 0;
    for (let k = 0; k < len; k++) v = v * 2 + this.bit();
    return v;
  }
  expGolomb(k: number): number {
    let zeros = 0;
    while (this.bit() === 0)
      if (++zeros > 32) throw this.fail(this.field, 'holds an Exp-Golomb code longer than 32 bits');
    return 2 ** (zeros + k) + this.read(zeros + k) - 2 ** k;
  }
  /** Bytes used so far (the stream ends at a byte boundary); the padding bits must be 0. */
  end(): number {
    while (this.at & 7) if (this.bit()) throw this.fail(this.field, 'has a nonzero padding bit');
    return this.at >> 3;
  }
}

export function uleb128(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
