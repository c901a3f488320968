// Exact cycle models of the systolic engines, one per dataflow (the RTL's
// busy-cycle counter equals them; the tests hold it to them). Pure functions
// of the config and the pass shape.
//
// ws (weight stationary): per pass T = ceil(K/R) ceil(N/C) tiles, each
// streaming the pass's M rows. In the controller's issue domain (cycle 0 =
// first busy cycle), with W = max(C - 1, 1) cycles for the last row using a
// weight bank to clear the last PE column:
//   L_0 = 0                                       (weight load start of tile 0)
//   L_j = max(L_{j-1} + R, S_{j-2} + M - 1 + W)   (load port free; bank free)
//   S_j = max(L_j + 1, S_{j-1} + M)               (loaded before use; stream free)
//   cycles = S_{T-1} + M + R + C + 1
// (the last row issued at S_{T-1} + M - 1 reaches the array a cycle later,
// leaves it R + C - 1 cycles after that, and is accumulated in two more).
// When M >= max(R, W) every S_j = 1 + j M, so cycles = T M + R + C + 2.
//
// os (output stationary): T = ceil(M/R) ceil(N/C) tiles; tile j's K steps
// issue from cycle j P (P = max(K, 2R - 1): a tile shorter than 2R - 1 steps
// is padded so its sums do not meet the next tile's in the result chains).
// The last step reaches the array a cycle later, PE (R-1, C-1) R + C - 2
// cycles after that; the sum climbs R - 1 slots, is de-skewed, and written a
// cycle after it arrives: cycles = (T - 1) P + K + 2R + C.
import type { Dataflow } from './config.js';

export interface GemmShape {
  m: number;
  k: number;
  n: number;
}

interface Dims {
  rows: number;
  cols: number;
}

export const wsTiles = (cfg: Dims, s: GemmShape) => Math.ceil(s.k / cfg.rows) * Math.ceil(s.n / cfg.cols);
export const osTiles = (cfg: Dims, s: GemmShape) => Math.ceil(s.m / cfg.rows) * Math.ceil(s.n / cfg.cols);
export const osPeriod = (cfg: Dims, s: GemmShape) => Math.max(s.k, 2 * cfg.rows - 1);

/** Busy cycles of one ws pass of shape s. */
export function wsPassCycles(cfg: Dims, s: GemmShape): number {
  const R = cfg.rows,
    C = cfg.cols,
    M = s.m;
  const T = wsTiles(cfg, s);
  const W = Math.max(C - 1, 1);
  if (M >= Math.max(R, W)) return T * M + R + C + 2;
  const S: number[] = [];
  let L = 0;
  for (let j = 0; j < T; j++) {
    if (j > 0) L = Math.max(L + R, j >= 2 ? S[j - 2]! + M - 1 + W : 0);
    S.push(Math.max(L + 1, j > 0 ? S[j - 1]! + M : 0));
  }
  return S[T - 1]! + M + R + C + 1;
}

/** Busy cycles of one os pass of shape s. */
export function osPassCycles(cfg: Dims, s: GemmShape): number {
  if (s.m === 0 || s.n === 0 || s.k === 0) return 0;
  return (osTiles(cfg, s) - 1) * osPeriod(cfg, s) + s.k + 2 * cfg.rows + cfg.cols;
}

/**
 * The output stage's cycles after a run's final write (CTRL bit 5): per tile
 * column Cols cycles loading its table entries and one per row of M, and two
 * more until the last row is written.
 */
export const requantCycles = (cfg: Dims, s: GemmShape) => Math.ceil(s.n / cfg.cols) * (cfg.cols + s.m) + 2;

/** Busy cycles of one pass in a dataflow (`requant`: the output stage runs after it). */
export const passCycles = (cfg: Dims, df: Dataflow, s: GemmShape, requant = false) =>
  (df === 'ws' ? wsPassCycles(cfg, s) : osPassCycles(cfg, s)) + (requant ? requantCycles(cfg, s) : 0);

/** SCALE-Sim's analytical model of the same shape (its WS and OS dataflows; no overlap of weight loads or tiles). */
export function scaleSimCycles(cfg: Dims, s: GemmShape, df: Dataflow = 'ws'): number {
  if (df === 'ws') return wsTiles(cfg, s) * (2 * cfg.rows + cfg.cols + s.m - 2);
  return osTiles(cfg, s) * (2 * cfg.rows + cfg.cols + s.k - 2);
}

/** Utilization: useful MACs over array-cycles. */
export function utilization(cfg: Dims, s: GemmShape, cycles: number): number {
  return (s.m * s.n * s.k) / (cycles * cfg.rows * cfg.cols);
}
