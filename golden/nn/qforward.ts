// The integer (quantized) network, computed exactly in TypeScript: each
// layer is acc = wrap(bias + sum of products, accWidth), then ReLU if fused:
// the numerics of the ws and rs designs (numerics.md). Sums are exact in
// float64 because |products| < 2^32 and K < 2^20; the wrap is applied at the
// end. This is the golden integer model the RTL is checked against, layer
// by layer, and the "quantized" accuracy of a model.
import { InputError } from '../common/errors.js';
import { requant, type QLayer, type QNet } from './quant.js';
import { hostOp } from './chain.js';

const two = (w: number) => 2 ** w;

/** wrap(x, w) for an exact integer-valued double |x| < 2^53 (signed result). */
export function wrapNumber(x: number, w: number): number {
  const m = two(w);
  let r = x % m;
  if (r < 0) r += m;
  return r >= m / 2 ? r - m : r;
}

/** im2col rows (n, e, f) x (c, r, s) of an integer NCHW batch; zero padding. */
export function im2colInt(x: Int32Array, batch: number, c: NonNullable<QLayer['conv']>): Int32Array {
  const K = c.C * c.R * c.S;
  const out = new Int32Array(batch * c.E * c.F * K);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let e = 0; e < c.E; e++) {
      for (let f = 0; f < c.F; f++) {
        for (let ch = 0; ch < c.C; ch++) {
          for (let r = 0; r < c.R; r++) {
            const h = e * c.U + r - c.P;
            for (let s = 0; s < c.S; s++) {
              const w = f * c.U + s - c.P;
              out[o++] = h >= 0 && h < c.H && w >= 0 && w < c.W ? x[((n * c.C + ch) * c.H + h) * c.W + w]! : 0;
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * A layer's accumulators for a batch, in the layer's output layout per image
 * (fc: [M]; conv: [M, E, F]), wrapped to accWidth, ReLU applied if fused.
 */
export function qLayerAcc(l: QLayer, x: Int32Array, batch: number, accWidth: number): Float64Array {
  if (l.K >= 2 ** 20)
    throw new InputError(`layer '${l.name}': K = ${l.K} is too large for the exact integer model (at most 2^20)`);
  const rows = l.op === 'conv' ? batch * l.conv!.E * l.conv!.F : batch;
  const cols = l.op === 'conv' ? im2colInt(x, batch, l.conv!) : x;
  const K = l.K,
    M = l.M;
  const bias = l.bias.map(Number);
  const y = new Float64Array(rows * M);
  for (let r = 0; r < rows; r++) {
    const xo = r * K;
    for (let m = 0; m < M; m++) {
      const wo = m * K;
      let s = bias[m]!;
      for (let k = 0; k < K; k++) s += cols[xo + k]! * l.w[wo + k]!;
      let v = wrapNumber(s, accWidth);
      if (l.relu && v < 0) v = 0;
      y[r * M + m] = v;
    }
  }
  if (l.op === 'fc') return y;
  // rows (n, e, f) x M -> (n, m, e, f)
  const { E, F } = l.conv!;
  const out = new Float64Array(y.length);
  for (let n = 0; n < batch; n++)
    for (let p = 0; p < E * F; p++)
      for (let m = 0; m < M; m++) out[(n * M + m) * E * F + p] = y[(n * E * F + p) * M + m]!;
  return out;
}

/** Requantizes a layer's accumulators (per output channel) and applies its host operations: the next layer's input. */
export function qLayerNext(l: QLayer, acc: ArrayLike<number>, batch: number): Int32Array {
  if (!l.requant) throw new Error(`layer '${l.name}' is the last layer: it has no requantization`);
  const qmax = 2 ** (l.bits - 1) - 1;
  const per = acc.length / batch / l.M;
  const out = new Int32Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const m = Math.floor(i / per) % l.M;
    out[i] = requant(BigInt(acc[i]!), l.requant.mult[m]!, l.requant.shift, qmax);
  }
  let cur: { x: Int32Array; dims: number[] } = { x: out, dims: l.outDims };
  for (const h of l.post) cur = hostOp(h, cur.x, cur.dims, batch);
  return cur.x;
}

/** Applies the operations before the first layer to the quantized input. */
export function qPre(q: QNet, x: Int32Array, batch: number): Int32Array {
  let cur: { x: Int32Array; dims: number[] } = { x, dims: q.inDims };
  for (const h of q.pre) cur = hostOp(h, cur.x, cur.dims, batch);
  return cur.x;
}

/** The whole integer network: the last layer's accumulators (logits) per image. */
export function qForward(q: QNet, xq: Int32Array, batch: number, accWidth: number): Float64Array {
  let x = qPre(q, xq, batch);
  for (let i = 0; i < q.layers.length; i++) {
    const l = q.layers[i]!;
    const acc = qLayerAcc(l, x, batch, accWidth);
    if (i === q.layers.length - 1) return acc;
    x = qLayerNext(l, acc, batch);
  }
  throw new Error('unreachable');
}
