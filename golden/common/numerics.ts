// The arithmetic of ../shared/spec/numerics.md, exact on BigInt so that no
// width up to 48 bits (or beyond) loses precision.

/** x modulo 2^w, read back signed in [-2^(w-1), 2^(w-1)) or unsigned in [0, 2^w). */
export function wrap(x: bigint, w: number, signed = true): bigint {
  const m = 1n << BigInt(w);
  let r = ((x % m) + m) % m;
  if (signed && r >= m >> 1n) r -= m;
  return r;
}

/** x clamped to the signed w-bit range. */
export function sat(x: bigint, w: number): bigint {
  const hi = (1n << BigInt(w - 1)) - 1n;
  const lo = -(1n << BigInt(w - 1));
  return x > hi ? hi : x < lo ? lo : x;
}

/** floor(x / 2^s): arithmetic shift right, rounding toward minus infinity. */
export function asr(x: bigint, s: number): bigint {
  return x >> BigInt(s); // BigInt >> is floor division by 2^s, also for negatives
}

export function relu(x: bigint): bigint {
  return x < 0n ? 0n : x;
}

/** Inclusive value range of a w-bit integer. */
export function range(w: number, signed: boolean): { min: bigint; max: bigint } {
  return signed
    ? { min: -(1n << BigInt(w - 1)), max: (1n << BigInt(w - 1)) - 1n }
    : { min: 0n, max: (1n << BigInt(w)) - 1n };
}

/** Two's complement bit pattern of x in w bits (what a w-bit port carries). */
export function toBits(x: bigint, w: number): bigint {
  return wrap(x, w, false);
}

/** Reads a w-bit pattern back as a signed or unsigned integer. */
export function fromBits(bits: bigint, w: number, signed: boolean): bigint {
  return wrap(bits, w, signed);
}
