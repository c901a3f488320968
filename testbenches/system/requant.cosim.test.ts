// af_requant (rtl/common) on its own in Icarus against the requantization
// golden (golden/common/requant.ts, itself checked against onnxruntime):
// random accumulators over the whole int32 range and near zero, realistic and
// extreme float32 scales, every zero point range, int8 and uint8, ReLU; and
// crafted vectors on exact ties (scales 2^-k with odd accumulators), on
// accumulators past 2^24 (the float32 conversion rounds), and on both limits.
import { describe, expect, it } from 'vitest';
import { fp32Bits, fp32FromBits, requantize } from '../../golden/common/requant.js';
import { Random } from '../../golden/common/random.js';
import { requantOnRtl, type RequantVector } from '../tools/icarus/requant-unit.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`af_requant seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const count = process.env.ACCELFORGE_FULL ? 200_000 : 20_000;

type Vec = RequantVector;

function randomScale(rng: Random): number {
  const kind = rng.int(0, 5);
  if (kind === 0) return 2 ** rng.int(-30, 4); // ties for odd accumulators
  if (kind === 1) return fp32FromBits(rng.int(0x00800000, 0x7f7fffff)); // any positive normal
  if (kind === 2) return 2 ** -126; // the smallest normal
  return Math.fround(10 ** (rng.float() * 6 - 6)); // 1e-6 .. 1, where layers live
}

function randomAcc(rng: Random): number {
  const kind = rng.int(0, 4);
  if (kind === 0) return rng.int(-(2 ** 31), 2 ** 31 - 1);
  if (kind === 1) return rng.int(-2000, 2000);
  if (kind === 2) return (rng.bool(0.5) ? 1 : -1) * (2 ** rng.int(24, 30) + rng.int(-3, 3)); // float32 rounding
  if (kind === 3) return rng.bool(0.5) ? -(2 ** 31) : 2 ** 31 - 1;
  return rng.int(-(2 ** 20), 2 ** 20);
}

function vectors(rng: Random, n: number): Vec[] {
  const out: Vec[] = [];
  // Ties: acc odd, scale 2^-1 (x.5) and 2^-2 with acc = 2 mod 4.
  for (let a = -41; a <= 41; a += 2) out.push({ acc: a, q: { scale: 0.5, zeroPoint: 0, signed: true } });
  for (let a = -42; a <= 42; a += 4) out.push({ acc: a, q: { scale: 0.25, zeroPoint: 7, signed: false } });
  while (out.length < n) {
    const signed = rng.bool(0.5);
    out.push({
      acc: randomAcc(rng),
      q: {
        scale: randomScale(rng),
        zeroPoint: signed ? rng.int(-128, 127) : rng.int(0, 255),
        signed,
        relu: rng.bool(0.3),
      },
    });
  }
  return out;
}

describe('af_requant', () => {
  it(`equals the golden requantization on ${count} vectors (Icarus)`, async () => {
    const vs = vectors(new Random(seed), count);
    const got = await requantOnRtl(vs);
    expect(got).toHaveLength(vs.length);
    const bad = vs.findIndex((v, i) => requantize(BigInt(v.acc), v.q) !== got[i]);
    if (bad >= 0) {
      const v = vs[bad]!;
      expect.fail(
        `vector ${bad}: acc ${v.acc}, scale ${v.q.scale} (0x${fp32Bits(v.q.scale).toString(16)}), zp ${v.q.zeroPoint}, ` +
          `${v.q.signed ? 'int8' : 'uint8'}${v.q.relu ? ', relu' : ''}: golden ${requantize(BigInt(v.acc), v.q)}, RTL ${got[bad]}`,
      );
    }
    // The vectors reach ties, both limits and values in between.
    const ys = vs.map((v) => requantize(BigInt(v.acc), v.q));
    expect(ys).toContain(127);
    expect(ys).toContain(-128);
    expect(ys).toContain(255);
    expect(new Set(ys).size).toBeGreaterThan(300);
  });
});
