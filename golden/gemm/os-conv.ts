// A convolution run natively on the os engine (issue 27): the A buffer
// layout of the ifmap, the host's passes, and the exact cycle and access
// models of each run. Pure functions. The numbers it computes are the ws
// native convolution's (golden/gemm/conv.ts convGolden: the GEMM of the
// im2col view); only the schedule differs.
//
// Layout: in padded coordinates (the ifmap shifted by P) input column w
// sits at position x = (w + P) div U of phase ph = (w + P) mod U. A row
// ((c N + n) Hb + h) U + ph) XW + j holds, in lane i, position x = j Rows + i
// of phase ph of input row hFirst + h of channel c (of the run) and image n;
// positions outside the ifmap are never read (the host writes zero there).
// The engine's tile (n, e, fb) computes output pixels f = fb Rows + i of
// row e; its steps walk (c, r, s), s innermost, and step (c, r, s) needs
// position fb Rows + i + s div U of phase s mod U of input row e U + r - P:
// Rows consecutive positions, two consecutive A rows (rtl/gemm/os_convaddr).
import { InputError } from '../common/errors.js';
import type { GemmCounters } from './interface.js';
import { osPassAccess } from './access.js';
import { scaleSimCycles } from './cycles.js';
import type { ConvGeometry } from './conv.js';
import { bandRows, convCsrLimits, sumPasses, withinBudget, type Buffers, type ConvLayerModel } from './conv-passes.js';

interface Dims {
  rows: number;
  cols: number;
}

const ceil = (a: number, b: number) => Math.ceil(a / b);

/** CSR convOs and the A rows an input row takes: XW rows per phase, U phases. */
export interface OsConvLayout {
  XW: number;
  loA: number;
  loB: number;
  hiA: number;
  hiB: number;
  /** A rows of one input row of one channel and image: U XW. */
  rowWords: number;
}

export function osConvLayout(cfg: Pick<Dims, 'rows'>, g: Pick<ConvGeometry, 'W' | 'P' | 'U'>): OsConvLayout {
  const hi0 = ceil(g.W + g.P, g.U);
  const XW = ceil(hi0, cfg.rows);
  return {
    XW,
    loA: Math.floor(g.P / g.U),
    loB: g.P % g.U,
    hiA: Math.floor((g.W + g.P) / g.U),
    hiB: (g.W + g.P) % g.U,
    rowWords: g.U * XW,
  };
}

/**
 * The steps of a run's A row walk (CSRs convOsStride, convOsStride2; the
 * controller adds one per event, modulo the buffer's addresses) and hl0:
 * the band's input row (0 = its first stored row) that the first output
 * row's filter row 0 reads. The run's aBase is where that row would start
 * (rows + hl0 row). From tap (c, r, 0) of tile (n, e, fb), whose row is
 * rows + c chan + n img + (hl0 + e U + r) row + fb, the walk moves to the
 * next filter row (+row), channel (+chanNext), tile (+tileNext), output row
 * (+rowNext) or image (+imgNext).
 */
export function osConvStrides(cfg: Pick<Dims, 'rows'>, pg: ConvGeometry) {
  const l = osConvLayout(cfg, pg);
  const row = l.rowWords,
    img = pg.hRows * row,
    chan = pg.N * img,
    eStride = pg.U * row,
    FB = ceil(pg.F, cfg.rows);
  const tileNext = 1 - (pg.C - 1) * chan - (pg.R - 1) * row;
  return {
    row,
    chanNext: chan - (pg.R - 1) * row,
    tileNext,
    rowNext: tileNext - FB + eStride,
    imgNext: tileNext - FB + img - (pg.E - 1) * eStride,
    hl0: pg.e0 * pg.U - pg.P - pg.hFirst,
  };
}

/** Positions of phase ph that hold the ifmap: [lo, hi). */
export function phaseBounds(l: OsConvLayout, ph: number): { lo: number; hi: number } {
  return { lo: l.loA + (ph < l.loB ? 1 : 0), hi: l.hiA + (ph < l.hiB ? 1 : 0) };
}

/**
 * A pass of a layer on os: images n0 .. n0 + nN - 1, output rows e0 ..
 * e0 + eN - 1 (every column), filters m0 .. m0 + mM - 1 and channels c0 ..
 * c0 + cN - 1 (passes over channels accumulate: the bias with the first,
 * ReLU with the last).
 */
export interface OsConvPass {
  n0: number;
  nN: number;
  e0: number;
  eN: number;
  m0: number;
  mM: number;
  c0: number;
  cN: number;
}

/**
 * The passes of a layer on os (one when it fits whole): channels as many as
 * the B buffer (R S rows each per column tile) and the A buffer (a band of
 * one output row) allow; filter column tiles as B and the accumulator allow;
 * whole images grouped, or one image a pass in bands of output rows. Images
 * outer, bands, filters, then channels inner. A string says why not even
 * one output row fits.
 */
export function osConvPasses(all: Buffers, g: ConvGeometry): OsConvPass[] | string {
  const cfg = withinBudget(all, g);
  const room = (k: 'a' | 'b' | 'acc', depth: number, key: string) =>
    g.budget?.[k] === depth ? `the input's buffers.${k} leaves ${depth}` : `${key} is ${depth}`;
  const l = osConvLayout(cfg, g);
  const RS = g.R * g.S;
  if (RS > cfg.bDepth)
    return `one channel's filter taps take R S = ${RS} B buffer rows; ${room('b', cfg.bDepth, 'bDepth')}`;
  // A rows of a band of eN output rows (at most (eN - 1) U + R input rows, inside the ifmap).
  const rowA = (cN: number, nN: number, eN: number) => cN * nN * Math.min(g.H, (eN - 1) * g.U + g.R) * l.rowWords;
  // The tallest band of one output row (its window's rows inside the ifmap).
  const minRows = Math.min(g.H, g.R);
  if (minRows * l.rowWords > cfg.aDepth)
    return `one output row of one channel reads min(H, R) x U x ceil(ceil((W + P) / U) / rows) = ${minRows * l.rowWords} A buffer rows; ${room('a', cfg.aDepth, 'aDepth')}`;
  if (g.F > cfg.accDepth)
    return `one output row takes F = ${g.F} accumulator rows; ${room('acc', cfg.accDepth, 'accDepth')}`;
  const cN = Math.min(g.C, Math.floor(cfg.bDepth / RS), Math.floor(cfg.aDepth / (minRows * l.rowWords)));
  let tiles = Math.max(1, Math.min(ceil(g.M, cfg.cols), Math.floor(cfg.bDepth / (cN * RS))));
  const perImageA = cN * g.H * l.rowWords;
  const whole = perImageA <= cfg.aDepth && g.E * g.F <= cfg.accDepth;
  const rowsOut = whole ? g.E * g.F : g.F;
  while (tiles > 1 && tiles * rowsOut > cfg.accDepth) tiles--;
  const mM = Math.min(g.M, tiles * cfg.cols);
  let nN = 1,
    eN = g.E;
  if (whole) nN = Math.min(g.N, Math.floor(cfg.aDepth / perImageA), Math.floor(cfg.accDepth / (tiles * g.E * g.F)));
  else {
    eN = Math.min(g.E, Math.floor(cfg.accDepth / (tiles * g.F)));
    while (eN > 1 && rowA(cN, 1, eN) > cfg.aDepth) eN--;
  }
  const passes: OsConvPass[] = [];
  for (let n0 = 0; n0 < g.N; n0 += nN)
    for (let e0 = 0; e0 < g.E; e0 += eN)
      for (let m0 = 0; m0 < g.M; m0 += mM)
        for (let c0 = 0; c0 < g.C; c0 += cN)
          passes.push({
            n0,
            nN: Math.min(nN, g.N - n0),
            e0,
            eN: Math.min(eN, g.E - e0),
            m0,
            mM: Math.min(mM, g.M - m0),
            c0,
            cN: Math.min(cN, g.C - c0),
          });
  return passes;
}

/** A pass's own layer: its images, band of output rows, filters and channels (the run's CSRs). */
export function osPassGeometry(g: ConvGeometry, ps: OsConvPass): ConvGeometry {
  const band = bandRows(g, ps.e0, ps.eN);
  const l = osConvLayout(g, g);
  return {
    ...g,
    N: ps.nN,
    M: ps.mM,
    C: ps.cN,
    E: ps.eN,
    e0: ps.e0,
    hFirst: band.first,
    hRows: band.rows,
    gm: ps.nN * ps.eN * g.F,
    gn: ps.mM,
    gk: ps.cN * g.R * g.S,
    firstK: ps.c0 === 0,
    lastK: ps.c0 + ps.cN === g.C,
    aRows: ps.cN * ps.nN * band.rows * l.rowWords,
  };
}

/** The tiles of a pass: ceil(M / Cols) column tiles of N E ceil(F / Rows) pixel tiles. */
export const osConvTiles = (cfg: Dims, pg: ConvGeometry) => ceil(pg.gn, cfg.cols) * pg.N * pg.E * ceil(pg.F, cfg.rows);

/**
 * A run's counters: os's tile schedule (osPassAccess of N E ceil(F / Rows)
 * Rows pixel rows), the MACs and accumulator rows of the pixels inside F,
 * and the A rows read: per step whose input row is inside the ifmap, one,
 * and a second when the step's first position is not a row's lane 0.
 */
export function osConvAccess(cfg: Dims, pg: ConvGeometry, bias: boolean): GemmCounters {
  const FB = ceil(pg.F, cfg.rows);
  const accumulate = bias || !pg.firstK;
  const c = osPassAccess(cfg, { m: pg.N * pg.E * FB * cfg.rows, k: pg.gk, n: pg.gn }, accumulate);
  const NT = ceil(pg.gn, cfg.cols);
  let rowSteps = 0; // (e, r) with the input row inside the ifmap
  for (let e = 0; e < pg.E; e++)
    for (let r = 0; r < pg.R; r++) {
      const hp = (pg.e0 + e) * pg.U + r;
      if (hp >= pg.P && hp < pg.H + pg.P) rowSteps++;
    }
  let perS = 0;
  for (let s = 0; s < pg.S; s++) perS += Math.floor(s / pg.U) % cfg.rows === 0 ? 1 : 2;
  return {
    ...c,
    macs: pg.gm * pg.gn * pg.gk,
    aReads: NT * pg.N * FB * pg.C * rowSteps * perS,
    accReads: accumulate ? NT * pg.gm : 0,
    accWrites: NT * pg.gm,
  };
}

/** Values the host moves for a pass: the ifmap's A rows (lanes included), B, the bias rows as D, C back. */
export function osConvDramValues(cfg: Dims, pg: ConvGeometry, bias: boolean, w = { a: true, b: true }): number {
  const NT = ceil(pg.gn, cfg.cols);
  const accRows = (bias && pg.firstK ? 1 : 0) + (pg.lastK ? 1 : 0);
  return (w.a ? pg.aRows * cfg.rows : 0) + (w.b ? NT * pg.gk * cfg.cols : 0) + accRows * NT * pg.gm * cfg.cols;
}

/** Whether pass i writes the A buffer (new images, band or channels) and the B buffer (new filters or channels). */
export function osWrites(passes: OsConvPass[], i: number): { a: boolean; b: boolean } {
  const prev = passes[i - 1],
    ps = passes[i]!;
  return {
    a: !prev || prev.n0 !== ps.n0 || prev.e0 !== ps.e0 || prev.c0 !== ps.c0,
    b: !prev || prev.m0 !== ps.m0 || prev.c0 !== ps.c0,
  };
}

/** Busy cycles and counters of a whole layer on os: the sum over its passes. */
export function osConvModel(cfg: Buffers, g: ConvGeometry, bias: boolean): ConvLayerModel {
  const passes = osConvPasses(cfg, g);
  if (typeof passes === 'string') throw new InputError(`the layer does not fit: ${passes}`);
  return sumPasses(
    passes.map((ps, i) => {
      const pg = osPassGeometry(g, ps);
      return {
        counters: osConvAccess(cfg, pg, bias),
        dramValues: osConvDramValues(cfg, pg, bias, osWrites(passes, i)),
      };
    }),
  );
}

/** The CSR field limits and the buffers on os: why the layer does not fit, or undefined. */
export function osConvFit(cfg: Buffers, g: ConvGeometry): string | undefined {
  const limits = convCsrLimits(g, [['(W + padding) / stride', osConvLayout(cfg, g).hiA, 0xffff]]);
  if (limits) return limits;
  const passes = osConvPasses(cfg, g);
  return typeof passes === 'string' ? passes : undefined;
}

/** SCALE-Sim's estimate of the layer (its OS model of the im2col GEMM). */
export const osConvScaleSimCycles = (cfg: Dims, g: ConvGeometry) =>
  scaleSimCycles(cfg, { m: g.gm, k: g.C * g.R * g.S, n: g.gn }, 'os');
