// Requantization: an int32 accumulator to an 8-bit output, defined as
// onnxruntime's CPU kernels compute it (MLAS's requantize output processor,
// behind QLinearMatMul, QLinearConv and the QDQ patterns fused into them), so
// that an int8 network on the RTL can equal onnxruntime bit for bit
// (docs/numerics.md, "Requantization"):
//   f = fp32(acc)                   int32 to float32, round to nearest even
//   p = fp32(f * scale)             float32 product, round to nearest even
//   p = min(max(p, lo - zp), hi - zp)   clamped in float32 (lo, hi the output range)
//   y = roundHalfEven(p) + zp
// with scale = fp32(fp32(aScale * wScale) / yScale), the order onnxruntime
// computes it in. ReLU is the clamp lo = max(lo, zp). Pure arithmetic.
import { InputError } from './errors.js';

export interface RequantParams {
  /** The float32 multiplier (a normal, positive float32). */
  scale: number;
  /** The output zero point (inside the output range). */
  zeroPoint: number;
  /** int8 outputs (-128..127) or uint8 (0..255). */
  signed: boolean;
  /** ReLU as a clamp at the zero point. */
  relu?: boolean;
}

const f32 = Math.fround;

/** The output range of an 8-bit type. */
export const outputRange = (signed: boolean) => (signed ? { lo: -128, hi: 127 } : { lo: 0, hi: 255 });

/** Round to nearest, ties to even (the rounding of cvtps2dq and of vcvtnq under the default mode). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties toward +infinity
  const tie = Math.abs(x - Math.trunc(x)) === 0.5;
  return (tie && Math.abs(r % 2) === 1 ? r - 1 : r) + 0; // + 0: no negative zero
}

/** The float32 multiplier of a layer: fp32(fp32(aScale * wScale) / yScale), as onnxruntime forms it. */
export function outputScale(aScale: number, wScale: number, yScale: number): number {
  return f32(f32(f32(aScale) * f32(wScale)) / f32(yScale));
}

/** The bit pattern of a float32 (the value a scale CSR holds). */
export function fp32Bits(x: number): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x, true);
  return b.getUint32(0, true);
}

/** The float32 of a bit pattern. */
export function fp32FromBits(bits: number): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setUint32(0, bits >>> 0, true);
  return b.getFloat32(0, true);
}

/**
 * Why a requantization parameter cannot be used, or undefined: the scale
 * must be a positive normal float32 (not 0, negative, NaN, infinite or
 * subnormal), the zero point an integer inside the output range.
 */
export function requantProblem(q: RequantParams): string | undefined {
  const { lo, hi } = outputRange(q.signed);
  if (!Number.isFinite(q.scale) || q.scale <= 0 || f32(q.scale) !== q.scale || q.scale < 2 ** -126)
    return `scale ${q.scale}: allowed: a positive normal float32 (2^-126 .. 3.4e38)`;
  if (!Number.isInteger(q.zeroPoint) || q.zeroPoint < lo || q.zeroPoint > hi)
    return `zero point ${q.zeroPoint}: allowed: an integer in ${lo} .. ${hi} (${q.signed ? 'int8' : 'uint8'})`;
  return undefined;
}

/** requantProblem as an InputError naming `what`. */
export function checkRequant(q: RequantParams, what: string): void {
  const p = requantProblem(q);
  if (p) throw new InputError(`${what}: ${p}`);
}

/** One accumulator (an int32 value) requantized to the 8-bit output. */
export function requantize(acc: bigint, q: RequantParams): number {
  const { lo, hi } = outputRange(q.signed);
  const low = q.relu ? Math.max(lo, q.zeroPoint) : lo;
  let p = f32(f32(Number(BigInt.asIntN(32, acc))) * q.scale);
  p = Math.min(Math.max(p, low - q.zeroPoint), hi - q.zeroPoint);
  return roundHalfEven(p) + q.zeroPoint;
}
