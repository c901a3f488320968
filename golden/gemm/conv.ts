// A convolution run natively on the ws engine (issue 27): the layer as the
// engine computes it, the GEMM of its im2col view with the channels tiled by
// the array's rows, and its exact cycle and access models. Pure functions.
//
// The A buffer holds the ifmap once: row ct N H W + (n H + h) W + w holds
// channels ct R .. ct R + R - 1 of pixel (n, h, w) (zeros past C), R the
// array's rows. The controller forms im2col row m = (n E + e) F + f, K tile
// kt = (r S + s) CT + ct on chip; padding pixels are not stored or read.
// So the engine computes C = A B + D with A[m][kt R + lane] = the ifmap at
// (n, c = ct R + lane, e U + r - P, f U + s - P) (zero outside),
// B[kt R + lane][m'] = filter m' at (c, r, s) (zero past C), D[m][m'] = bias[m'].
import { gemm, type GemmNumerics, type GemmProblem } from '../common/gemm.js';
import type { ConvShape } from '../common/conv-shape.js';
import type { GemmCounters } from './interface.js';
import { wsPassAccess } from './access.js';
import { scaleSimCycles, wsTiles } from './cycles.js';

export interface GemmConvProblem {
  /** N x C x H x W values of the config's data range. */
  ifmap: bigint[][][][];
  /** M x C x R x S values of the config's data range. */
  filters: bigint[][][][];
  /** M values of the accumulator's range (added through D). */
  bias?: bigint[];
  stride: number;
  padding: number;
  relu?: boolean;
  /** Rows of each buffer the host may use (the rest left to others): it plans its passes within them. */
  buffers?: ConvBudget;
}

/** A budget of buffer rows for a layer's passes (each at most the configuration's depth). */
export interface ConvBudget {
  a?: number;
  b?: number;
  acc?: number;
}

/** The layer's shape (golden/common/conv-shape.ts) and how it sits on the array. */
export interface ConvGeometry extends ConvShape {
  /** Channel tiles: ceil(C / rows). */
  CT: number;
  /** The GEMM the engine runs: gm = N E F im2col rows, gk = R S CT rows (padded K), gn = M filters. */
  gm: number;
  gk: number;
  gn: number;
  /** A buffer rows the ifmap takes: CT N hRows W. */
  aRows: number;
  /** A band of output rows (a pass of a layer too tall for the buffers): its first output row, the input rows the A buffer holds. */
  e0: number;
  hFirst: number;
  hRows: number;
  /** Likewise a band of output columns (when one output row is too wide): its first column, the input columns held. */
  f0: number;
  wFirst: number;
  wCols: number;
  /** The array's rows (a K tile's lanes). */
  rows: number;
  /** The K tiles of a run: kt0 .. kt0 + kTiles - 1 of the R S CT (a K pass when the filters do not fit the B buffer); gk = kTiles rows. */
  kt0: number;
  kTiles: number;
  /** Whether the run is its outputs' first K pass (it adds the bias) and last (ReLU, read back). */
  firstK: boolean;
  lastK: boolean;
  /** The input's buffer budget: the passes fit within it. */
  budget?: ConvBudget;
}

interface Dims {
  rows: number;
  cols: number;
}

export const isConvProblem = (p: object): p is GemmConvProblem => 'ifmap' in p;

/** A layer's geometry from its sizes alone (the models of a layer not simulated). */
export function convGeometryOf(
  cfg: Pick<Dims, 'rows'>,
  d: { N: number; C: number; H: number; W: number; M: number; R: number; S: number; U: number; P: number },
): ConvGeometry {
  const E = Math.floor((d.H + 2 * d.P - d.R) / d.U) + 1,
    F = Math.floor((d.W + 2 * d.P - d.S) / d.U) + 1;
  const CT = Math.ceil(d.C / cfg.rows);
  return {
    ...d,
    E,
    F,
    CT,
    gm: d.N * E * F,
    gk: d.R * d.S * CT * cfg.rows,
    gn: d.M,
    aRows: CT * d.N * d.H * d.W,
    e0: 0,
    hFirst: 0,
    hRows: d.H,
    f0: 0,
    wFirst: 0,
    wCols: d.W,
    rows: cfg.rows,
    kt0: 0,
    kTiles: d.R * d.S * CT,
    firstK: true,
    lastK: true,
  };
}

export function convGeometry(cfg: Pick<Dims, 'rows'>, p: GemmConvProblem): ConvGeometry {
  const g = convGeometryOf(cfg, {
    N: p.ifmap.length,
    C: p.ifmap[0]!.length,
    H: p.ifmap[0]![0]!.length,
    W: p.ifmap[0]![0]![0]!.length,
    M: p.filters.length,
    R: p.filters[0]![0]!.length,
    S: p.filters[0]![0]![0]!.length,
    U: p.stride,
    P: p.padding,
  });
  return p.buffers ? { ...g, budget: p.buffers } : g;
}

/** The GEMM the engine computes for the layer (im2col rows, channels tiled by the rows, bias as D). */
export function convGemm(cfg: Pick<Dims, 'rows'>, p: GemmConvProblem): GemmProblem {
  const g = convGeometry(cfg, p);
  const R = cfg.rows;
  const a: bigint[][] = [];
  for (let n = 0; n < g.N; n++)
    for (let e = 0; e < g.E; e++)
      for (let f = 0; f < g.F; f++) {
        const row: bigint[] = new Array<bigint>(g.gk).fill(0n);
        for (let r = 0; r < g.R; r++)
          for (let s = 0; s < g.S; s++) {
            const h = e * g.U + r - g.P,
              w = f * g.U + s - g.P;
            if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
            for (let c = 0; c < g.C; c++) row[(r * g.S + s) * g.CT * R + c] = p.ifmap[n]![c]![h]![w]!;
          }
        a.push(row);
      }
  const b: bigint[][] = [];
  for (let r = 0; r < g.R; r++)
    for (let s = 0; s < g.S; s++)
      for (let c = 0; c < g.CT * R; c++) b.push(p.filters.map((flt) => (c < g.C ? flt[c]![r]![s]! : 0n)));
  const out: GemmProblem = { a, b };
  if (p.bias) out.d = a.map(() => [...p.bias!]);
  if (p.relu) out.relu = true;
  return out;
}

/** C[m][m'] of the engine's GEMM as the ofmap N x M x E x F. */
export function ofmapFromGemm(g: ConvGeometry, c: bigint[][]): bigint[][][][] {
  return Array.from({ length: g.N }, (_, n) =>
    Array.from({ length: g.M }, (_, m) =>
      Array.from({ length: g.E }, (_, e) => Array.from({ length: g.F }, (_, f) => c[(n * g.E + e) * g.F + f]![m]!)),
    ),
  );
}

/** The golden ofmap (numerics.md `ws`: the GEMM of the im2col view, wrapped to accWidth, ReLU). */
export function convGolden(cfg: GemmNumerics & Pick<Dims, 'rows'>, p: GemmConvProblem): bigint[][][][] {
  return ofmapFromGemm(convGeometry(cfg, p), gemm(cfg, convGemm(cfg, p)));
}

/** im2col rows that are zero padding, summed over the taps (r, s): the A reads a K tile pass skips. */
export function convPadRows(g: ConvGeometry): number {
  const inside = (n: number, k: number, len: number, first = 0) => {
    let v = 0;
    for (let i = first; i < first + n; i++) if (i * g.U + k - g.P >= 0 && i * g.U + k - g.P < len) v++;
    return v;
  };
  // Per K tile kt = (r S + s) CT + ct of the run: the rows of tap (r, s) that fall in the padding.
  let pads = 0;
  for (let kt = g.kt0; kt < g.kt0 + g.kTiles; kt++) {
    const s = Math.floor(kt / g.CT) % g.S,
      r = Math.floor(kt / (g.CT * g.S));
    pads += g.N * (g.E * g.F - inside(g.E, r, g.H, g.e0) * inside(g.F, s, g.W, g.f0));
  }
  return pads;
}

/** The layer's own channels in the run's K tiles (a tile past C has fewer): the MACs per output of one filter. */
function realK(g: ConvGeometry): number {
  let k = 0;
  for (let kt = g.kt0; kt < g.kt0 + g.kTiles; kt++) k += Math.min(g.rows, g.C - (kt % g.CT) * g.rows);
  return k;
}

const shapeOf = (g: ConvGeometry) => ({ m: g.gm, k: g.gk, n: g.gn });

/** The counters: the GEMM pass's, with the padding rows' A reads skipped and the MACs of the layer itself. */
export function wsConvAccess(cfg: Dims, g: ConvGeometry, bias: boolean): GemmCounters {
  // The accumulator is read for the bias (D) and by every K pass after the first.
  const c = wsPassAccess(cfg, shapeOf(g), bias || !g.firstK);
  const NT = Math.ceil(g.gn / cfg.cols);
  return {
    ...c,
    aReads: wsTiles(cfg, shapeOf(g)) * g.gm - NT * convPadRows(g),
    macs: g.gm * g.gn * realK(g),
  };
}

/** Values the host moves for a pass: the ifmap once (CT N H W rows of R values), B, the bias rows as D, C back. */
export function wsConvDramValues(cfg: Dims, g: ConvGeometry, bias: boolean, w = { a: true, b: true }): number {
  const NT = Math.ceil(g.gn / cfg.cols),
    KT = g.gk / cfg.rows;
  // The bias goes in with a run's first K pass, C comes back after its last.
  const accRows = (bias && g.firstK ? 1 : 0) + (g.lastK ? 1 : 0);
  return (w.a ? g.aRows * cfg.rows : 0) + (w.b ? NT * KT * cfg.rows * cfg.cols : 0) + accRows * NT * g.gm * cfg.cols;
}

/** SCALE-Sim's estimate of the layer (its WS model of the im2col GEMM, unpadded K). */
export const convScaleSimCycles = (cfg: Dims, g: ConvGeometry) =>
  scaleSimCycles(cfg, { m: g.gm, k: g.C * g.R * g.S, n: g.gn }, 'ws');
