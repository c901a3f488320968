// Exact cycle model of the os engine (designs/os/templates/os_ctrl.sv.hbs,
// os_array, os_out). Pure functions of the config and the pass shape; the
// tests hold the RTL's busy-cycle counter to them exactly.
//
// A pass has T = ceil(M/R) ceil(N/C) tiles; tile j's K steps issue from
// cycle j P (P = max(K, 2R - 1): a tile shorter than 2R - 1 steps is padded
// so that its sums do not meet the next tile's in the result chains). The
// last step (cycle (T-1) P + K - 1) reaches the array a cycle later (the
// buffers' read), PE (R-1, C-1) R + C - 2 cycles after that; the sum climbs
// R - 1 slots to the top, is de-skewed, and the output unit writes it a
// cycle after it arrives:
//   cycles = (T - 1) P + K + 2R + C
export interface OsShape {
  m: number;
  k: number;
  n: number;
}

interface Dims {
  rows: number;
  cols: number;
}

export const osTiles = (cfg: Dims, s: OsShape) => Math.ceil(s.m / cfg.rows) * Math.ceil(s.n / cfg.cols);
export const osPeriod = (cfg: Dims, s: OsShape) => Math.max(s.k, 2 * cfg.rows - 1);

/** Busy cycles of one engine run (one pass) of shape s. */
export function osPassCycles(cfg: Dims, s: OsShape): number {
  if (s.m === 0 || s.n === 0 || s.k === 0) return 0;
  return (osTiles(cfg, s) - 1) * osPeriod(cfg, s) + s.k + 2 * cfg.rows + cfg.cols;
}

/** Utilization: useful MACs over array-cycles. */
export function osUtilization(cfg: Dims, s: OsShape, cycles: number): number {
  return (s.m * s.n * s.k) / (cycles * cfg.rows * cfg.cols);
}
