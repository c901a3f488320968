// The memory a configuration's on-chip buffers take in a Verilator model:
// the schemas refuse a configuration whose estimate exceeds the budget, so
// the limit is stated before any tool runs rather than found by an
// out-of-memory kill. Verilator stores a word of w bits in 1, 2, 4 or 8
// bytes up to 64 bits, above that in 32-bit chunks.

/** Bytes of simulator memory the buffers of one configuration may take: two simulations and a build fit in 24 GiB. */
export const SIM_MEMORY_BUDGET = 4 * 2 ** 30;

/** Bytes one word of `width` bits takes in a Verilator model. */
export function wordBytes(width: number): number {
  if (width <= 8) return 1;
  if (width <= 16) return 2;
  if (width <= 32) return 4;
  if (width <= 64) return 8;
  return Math.ceil(width / 32) * 4;
}

export interface BufferShape {
  /** What the memory is (the error message names it). */
  what: string;
  count: number;
  width: number;
  depth: number;
}

export const bufferBytes = (b: BufferShape) => b.count * b.depth * wordBytes(b.width);
export const totalBufferBytes = (bs: BufferShape[]) => bs.reduce((s, b) => s + bufferBytes(b), 0);

const gib = (n: number) => `${(n / 2 ** 30).toFixed(2)} GiB`;

/** The message of a configuration over the budget: the estimate, the largest memory and the keys that size it. */
export function memoryMessage(keys: string[], bs: BufferShape[]): string {
  const big = [...bs].sort((a, b) => bufferBytes(b) - bufferBytes(a))[0]!;
  return (
    `the on-chip buffers need an estimated ${gib(totalBufferBytes(bs))} of simulator memory ` +
    `(largest: ${big.what}, ${big.count} x ${big.depth} words of ${big.width} bits = ${gib(bufferBytes(big))}); ` +
    `allowed: at most ${gib(SIM_MEMORY_BUDGET)}, lower ${keys.map((k) => `'${k}'`).join(', ')}`
  );
}
