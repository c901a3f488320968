// Seeded random numbers (splitmix64 on BigInt state) so every random problem
// is reproduced by its printed seed.
import { InputError } from './errors.js';
export class Random {
  private s: bigint;
  constructor(readonly seed: number | bigint) {
    // Consecutive seeds would give correlated streams: hash the seed first.
    this.s = mix(BigInt.asUintN(64, BigInt(seed)) ^ 0x6a09e667f3bcc909n);
  }
  /** Next 64 random bits. */
  next64(): bigint {
    this.s = BigInt.asUintN(64, this.s + 0x9e3779b97f4a7c15n);
    return mix(this.s);
  }
  /** Uniform integer in [lo, hi]. */
  bigintIn(lo: bigint, hi: bigint): bigint {
    return lo + (this.next64() % (hi - lo + 1n));
  }
  int(lo: number, hi: number): number {
    return Number(this.bigintIn(BigInt(lo), BigInt(hi)));
  }
  /** Uniform in [0, 1). */
  float(): number {
    return Number(this.next64() >> 11n) / 2 ** 53;
  }
  bool(pTrue = 0.5): boolean {
    return this.float() < pTrue;
  }
}

function mix(x: bigint): bigint {
  let z = x;
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

/** A fresh seed when none is given (printed by callers so runs reproduce). */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * Draws until `fits` accepts (it throws an InputError when the draw does not
 * fit), passing the attempt number so the draw can shrink; after `attempts`
 * the last refusal is raised. The first draw is the plain one.
 */
export function drawFitting<T>(draw: (attempt: number) => T, fits: (x: T) => void, attempts = 13): T {
  for (let attempt = 0; ; attempt++) {
    const x = draw(attempt);
    try {
      fits(x);
      return x;
    } catch (e) {
      if (!(e instanceof InputError) || attempt + 1 >= attempts) throw e;
    }
  }
}
