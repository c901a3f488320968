// Seeded random numbers (splitmix64 on BigInt state) so every random problem
// is reproduced by its printed seed.
export class Random {
  private s: bigint;
  constructor(readonly seed: number | bigint) {
    this.s = BigInt.asUintN(64, BigInt(seed));
  }
  /** Next 64 random bits. */
  next64(): bigint {
    this.s = BigInt.asUintN(64, this.s + 0x9e3779b97f4a7c15n);
    let z = this.s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  /** Uniform integer in [lo, hi]. */
  bigintIn(lo: bigint, hi: bigint): bigint {
    return lo + (this.next64() % (hi - lo + 1n));
  }
  int(lo: number, hi: number): number {
    return Number(this.bigintIn(BigInt(lo), BigInt(hi)));
  }
  bool(pTrue = 0.5): boolean {
    return Number(this.next64() >> 11n) / 2 ** 53 < pTrue;
  }
}

/** A fresh seed when none is given (printed by callers so runs reproduce). */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
