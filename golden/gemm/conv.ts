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
import type { ConvShape } from '../rs/golden.js';
import { InputError } from '../common/errors.js';
import type { GemmCounters } from './interface.js';
import { wsPassAccess } from './access.js';
import { scaleSimCycles, wsPassCycles, wsTiles } from './cycles.js';

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
}

/** The layer's shape (rs's ConvShape: N C H W M R S U P E F) and how it sits on the array. */
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
  return convGeometryOf(cfg, {
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

/** Busy cycles: the engine's GEMM pass (the address generator never stalls the streamer). */
export const wsConvCycles = (cfg: Dims, g: ConvGeometry) => wsPassCycles(cfg, shapeOf(g));

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

/**
 * A pass of a layer too large for the buffers at once: images n0 .. n0 + nN
 * and filters m0 .. m0 + mM (a multiple of the columns but the last). The
 * host splits over filters first (B and accumulator rows), then images (A
 * and accumulator rows); images outer, so each image group's ifmap is
 * written once and the filters again only when there is more than one group.
 */
export interface ConvPass {
  n0: number;
  nN: number;
  /** Output rows e0 .. e0 + eN - 1 (all E unless the image is too tall for the buffers: then one image a pass). */
  e0: number;
  eN: number;
  /** Output columns f0 .. f0 + fN - 1 (all F unless one output row is too wide: then one row a pass). */
  f0: number;
  fN: number;
  m0: number;
  mM: number;
  /** K tiles kt0 .. kt0 + kN - 1 (all R S CT unless one column of filters is too large for the B buffer). */
  kt0: number;
  kN: number;
}

type Buffers = Dims & { aDepth: number; bDepth: number; accDepth: number };

/** Input rows (or columns: len W, window S) a band of outputs e0 .. e0 + eN - 1 reads: [first, first + rows). */
function bandRows(g: ConvGeometry, e0: number, eN: number, len = g.H, win = g.R): { first: number; rows: number } {
  const first = Math.min(Math.max(0, e0 * g.U - g.P), len - 1);
  const end = Math.min(len, (e0 + eN - 1) * g.U - g.P + win);
  return { first, rows: Math.max(1, end - first) };
}

/**
 * The passes of a layer (one when it fits whole): filters split by column
 * tiles as B and the accumulator allow; whole images grouped as A and the
 * accumulator allow, or, when one image does not fit, one image a pass in
 * bands of output rows (the A buffer holds the band's input rows) or, when
 * a row is too wide, of output columns; when one column of filters does
 * not fit the B buffer, its K tiles in groups that accumulate (the bias with
 * the first, ReLU with the last). Images outer, bands, filters, then K
 * inner. A string says why not even one output pixel fits.
 */
export function convPasses(cfg: Buffers, g: ConvGeometry): ConvPass[] | string {
  const KT = g.R * g.S * g.CT;
  const colTiles = Math.max(1, Math.min(Math.ceil(g.M / cfg.cols), Math.floor(cfg.bDepth / g.gk)));
  const kPer = g.gk <= cfg.bDepth ? KT : Math.floor(cfg.bDepth / cfg.rows);
  // A rows a band of eN output rows of fN columns reads.
  const bandA = (eN: number, fN: number) =>
    g.CT * Math.min(g.H, (eN - 1) * g.U + g.R) * Math.min(g.W, (fN - 1) * g.U + g.S);
  if (bandA(1, 1) > cfg.aDepth)
    return `one output pixel reads ceil(C / rows) x min(H, R) x min(W, S) = ${bandA(1, 1)} A buffer rows; aDepth is ${cfg.aDepth}`;
  const perImageA = g.CT * g.H * g.W;
  const whole = perImageA <= cfg.aDepth && g.E * g.F <= cfg.accDepth;
  const wide = !whole && (bandA(1, g.F) > cfg.aDepth || g.F > cfg.accDepth);
  let tiles = colTiles;
  const rowsOut = whole ? g.E * g.F : wide ? 1 : g.F;
  while (tiles > 1 && tiles * rowsOut > cfg.accDepth) tiles--;
  const mM = Math.min(g.M, tiles * cfg.cols);
  let nN = 1,
    eN = g.E,
    fN = g.F;
  if (whole) nN = Math.min(g.N, Math.floor(cfg.aDepth / perImageA), Math.floor(cfg.accDepth / (tiles * g.E * g.F)));
  else if (!wide) {
    eN = Math.min(g.E, Math.floor(cfg.accDepth / (tiles * g.F)));
    while (eN > 1 && bandA(eN, g.F) > cfg.aDepth) eN--;
  } else {
    eN = 1;
    fN = Math.min(g.F, Math.floor(cfg.accDepth / tiles));
    while (fN > 1 && bandA(1, fN) > cfg.aDepth) fN--;
  }
  const passes: ConvPass[] = [];
  for (let n0 = 0; n0 < g.N; n0 += nN)
    for (let e0 = 0; e0 < g.E; e0 += eN)
      for (let f0 = 0; f0 < g.F; f0 += fN)
        for (let m0 = 0; m0 < g.M; m0 += mM)
          for (let kt0 = 0; kt0 < KT; kt0 += kPer)
            passes.push({
              n0,
              nN: Math.min(nN, g.N - n0),
              e0,
              eN: Math.min(eN, g.E - e0),
              f0,
              fN: Math.min(fN, g.F - f0),
              m0,
              mM: Math.min(mM, g.M - m0),
              kt0,
              kN: Math.min(kPer, KT - kt0),
            });
  return passes;
}

/** A pass's own layer: its images, band of output rows and filters. */
export function passGeometry(g: ConvGeometry, ps: ConvPass): ConvGeometry {
  const band = bandRows(g, ps.e0, ps.eN),
    cols = bandRows(g, ps.f0, ps.fN, g.W, g.S);
  return {
    ...g,
    N: ps.nN,
    M: ps.mM,
    E: ps.eN,
    F: ps.fN,
    e0: ps.e0,
    hFirst: band.first,
    hRows: band.rows,
    f0: ps.f0,
    wFirst: cols.first,
    wCols: cols.rows,
    gm: ps.nN * ps.eN * ps.fN,
    gn: ps.mM,
    gk: ps.kN * g.rows,
    kt0: ps.kt0,
    kTiles: ps.kN,
    firstK: ps.kt0 === 0,
    lastK: ps.kt0 + ps.kN === g.R * g.S * g.CT,
    aRows: g.CT * ps.nN * band.rows * cols.rows,
  };
}

/** Busy cycles and counters of a whole layer: the sum over its passes. */
export function wsConvModel(
  cfg: Buffers,
  g: ConvGeometry,
  bias: boolean,
): { cycles: number; counters: GemmCounters; dramValues: number } {
  const passes = convPasses(cfg, g);
  if (typeof passes === 'string') throw new InputError(`the layer does not fit: ${passes}`);
  const sum = {} as GemmCounters;
  let dram = 0;
  passes.forEach((ps, i) => {
    const pg = passGeometry(g, ps);
    for (const [k, v] of Object.entries(wsConvAccess(cfg, pg, bias)))
      sum[k as keyof GemmCounters] = (sum[k as keyof GemmCounters] ?? 0) + v;
    dram += wsConvDramValues(cfg, pg, bias, writes(passes, i));
  });
  return { cycles: sum.cycles, counters: sum, dramValues: dram };
}

/** Whether pass i writes the A buffer (new images or band) and the B buffer (new filters). */
export function writes(passes: ConvPass[], i: number): { a: boolean; b: boolean } {
  const prev = passes[i - 1],
    ps = passes[i]!;
  return {
    a: !prev || prev.n0 !== ps.n0 || prev.e0 !== ps.e0 || prev.f0 !== ps.f0,
    b: !prev || prev.m0 !== ps.m0 || prev.kt0 !== ps.kt0,
  };
}

/** The CSR field limits (golden/gemm/interface.ts convFields) and the buffers: why the layer does not fit, or undefined. */
export function convFit(cfg: Buffers, g: ConvGeometry): string | undefined {
  for (const [k, v, max] of [
    ['C', g.C, 0xffff],
    ['H', g.H, 0xffff],
    ['W', g.W, 0xffff],
    ['N', g.N, 0xffff],
    ['E', g.E, 0xffff],
    ['F', g.F, 0xffff],
    ['R', g.R, 0xff],
    ['S', g.S, 0xff],
    ['stride', g.U, 0xff],
    ['padding', g.P, 0xff],
  ] as const)
    if (v > max) return `${k} = ${v} is above the engine's ${max} (its convolution CSRs)`;
  const passes = convPasses(cfg, g);
  return typeof passes === 'string' ? passes : undefined;
}
