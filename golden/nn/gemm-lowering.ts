// Quantized layers as GEMMs for the GEMM engines (ws, os): a fully connected
// layer is a GEMM with the batch of images as M; a convolution goes through
// im2col on the host side (data movement only) and becomes a GEMM with the
// batch's output pixels as M. The bias rides in D, ReLU in the RTL.
import type { QLayer } from './quant.js';
import { im2colInt } from './qforward.js';
import type { GemmProblem } from '../common/gemm.js';

/** Rows of the GEMM (M): the batch, or the batch's output pixels. */
export const gemmRows = (l: QLayer, batch: number) => (l.op === 'conv' ? batch * l.conv!.E * l.conv!.F : batch);

export function lowerToGemm(l: QLayer, x: Int32Array, batch: number): GemmProblem {
  const rows = gemmRows(l, batch);
  const cols = l.op === 'conv' ? im2colInt(x, batch, l.conv!) : x;
  const K = l.K,
    M = l.M;
  const a = Array.from({ length: rows }, (_, r) => Array.from(cols.subarray(r * K, (r + 1) * K), BigInt));
  const b = Array.from({ length: K }, (_, k) => Array.from({ length: M }, (_, m) => BigInt(l.w[m * K + k]!)));
  const d = Array.from({ length: rows }, () => l.bias.slice());
  return { a, b, d, relu: l.relu };
}

/** The GEMM's C back as the layer's raw outputs per image (outDims order). */
export function raiseFromGemm(l: QLayer, c: bigint[][], batch: number): Float64Array {
  const M = l.M;
  if (l.op === 'fc') return Float64Array.from(c.flatMap((row) => row.map(Number)));
  const { E, F } = l.conv!;
  const out = new Float64Array(batch * M * E * F);
  for (let n = 0; n < batch; n++)
    for (let p = 0; p < E * F; p++)
      for (let m = 0; m < M; m++) out[(n * M + m) * E * F + p] = Number(c[n * E * F + p]![m]!);
  return out;
}

/** The `describe` line of a GEMM engine's layer. */
export const describeGemm = (l: QLayer, batch: number, passes: number, rows: number, cols: number) =>
  `GEMM M=${gemmRows(l, batch)} K=${l.K} N=${l.M}${l.op === 'conv' ? ' (im2col)' : ''}, ${passes} pass${passes > 1 ? 'es' : ''} on ${rows}x${cols}`;
