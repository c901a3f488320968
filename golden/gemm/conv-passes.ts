// How the host splits a native convolution too large for the ws engine's
// buffers into runs (golden/gemm/conv.ts has one run's models): images,
// bands of output rows or columns, filters and K tiles. Pure functions.
import { InputError } from '../common/errors.js';
import type { GemmCounters } from './interface.js';
import { wsConvAccess, wsConvDramValues, type ConvGeometry } from './conv.js';

interface Dims {
  rows: number;
  cols: number;
}

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

export type Buffers = Dims & { aDepth: number; bDepth: number; accDepth: number };

/** The buffers as the layer's budget leaves them (input key `buffers`: rows of A, B and the accumulator). */
export const withinBudget = (cfg: Buffers, g: ConvGeometry): Buffers => ({
  ...cfg,
  aDepth: Math.min(cfg.aDepth, g.budget?.a ?? Infinity),
  bDepth: Math.min(cfg.bDepth, g.budget?.b ?? Infinity),
  accDepth: Math.min(cfg.accDepth, g.budget?.acc ?? Infinity),
});

/** Input rows (or columns: len W, window S) a band of outputs e0 .. e0 + eN - 1 reads: [first, first + rows). */
export function bandRows(
  g: ConvGeometry,
  e0: number,
  eN: number,
  len = g.H,
  win = g.R,
): { first: number; rows: number } {
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
export function convPasses(all: Buffers, g: ConvGeometry): ConvPass[] | string {
  const cfg = withinBudget(all, g);
  const KT = g.R * g.S * g.CT;
  const colTiles = Math.max(1, Math.min(Math.ceil(g.M / cfg.cols), Math.floor(cfg.bDepth / g.gk)));
  const kPer = g.gk <= cfg.bDepth ? KT : Math.floor(cfg.bDepth / cfg.rows);
  // A rows a band of eN output rows of fN columns reads.
  const bandA = (eN: number, fN: number) =>
    g.CT * Math.min(g.H, (eN - 1) * g.U + g.R) * Math.min(g.W, (fN - 1) * g.U + g.S);
  // When the input's budget, not the buffer, is what is too small: say so.
  const room = (k: 'a' | 'b', depth: number) =>
    g.budget?.[k] === depth ? `the input's buffers.${k} leaves ${depth}` : undefined;
  if (bandA(1, 1) > cfg.aDepth)
    return `one output pixel reads ceil(C / rows) x min(H, R) x min(W, S) = ${bandA(1, 1)} A buffer rows; ${room('a', cfg.aDepth) ?? `aDepth is ${cfg.aDepth}`}`;
  if (cfg.bDepth < cfg.rows)
    return `one K tile of filters takes ${cfg.rows} B buffer rows (the rows); ${room('b', cfg.bDepth) ?? `bDepth is ${cfg.bDepth}`}`;
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
export function wsConvModel(cfg: Buffers, g: ConvGeometry, bias: boolean): ConvLayerModel {
  const passes = convPasses(cfg, g);
  if (typeof passes === 'string') throw new InputError(`the layer does not fit: ${passes}`);
  return sumPasses(
    passes.map((ps, i) => {
      const pg = passGeometry(g, ps);
      return { counters: wsConvAccess(cfg, pg, bias), dramValues: wsConvDramValues(cfg, pg, bias, writes(passes, i)) };
    }),
  );
}

export interface ConvLayerModel {
  cycles: number;
  counters: GemmCounters;
  dramValues: number;
}

/** A layer's model from its passes': counters and host values summed. */
export function sumPasses(passes: { counters: GemmCounters; dramValues: number }[]): ConvLayerModel {
  const sum = {} as GemmCounters;
  let dram = 0;
  for (const p of passes) {
    for (const [k, v] of Object.entries(p.counters))
      sum[k as keyof GemmCounters] = (sum[k as keyof GemmCounters] ?? 0) + v;
    dram += p.dramValues;
  }
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
  const limits = convCsrLimits(g);
  if (limits) return limits;
  const passes = convPasses(cfg, g);
  return typeof passes === 'string' ? passes : undefined;
}

/** The layer's sizes against the convolution CSRs' fields (and `more` of a dataflow's own), or undefined. */
export function convCsrLimits(g: ConvGeometry, more: [string, number, number][] = []): string | undefined {
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
    ...more,
  ] as const)
    if (v > max) return `${k} = ${v} is above the engine's ${max} (its convolution CSRs)`;
  return undefined;
}
