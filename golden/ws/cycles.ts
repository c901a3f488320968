// Exact cycle model of the ws engine (designs/ws/templates/ws_ctrl.sv.hbs).
// Pure functions of the config and the problem shape; tests hold the RTL's
// busy-cycle counter to these numbers exactly.
//
// Per pass: T = ceil(K/R) * ceil(N/C) tiles, each streaming M rows. In the
// controller's issue domain (cycle 0 = first busy cycle), with
// W = max(C - 1, 1) cycles for the last row using a weight bank to clear the
// last PE column:
//   L_0 = 0                                   (weight load start of tile 0)
//   L_j = max(L_{j-1} + R, S_{j-2} + M - 1 + W)   (load port free; bank free)
//   S_j = max(L_j + 1, S_{j-1} + M)           (loaded before use; stream free)
//   cycles = S_{T-1} + M + R + C + 1
// (the last row issued at S_{T-1} + M - 1 reaches the array a cycle later,
// leaves it R + C - 1 cycles after that, and is accumulated in two more).
// When M >= max(R, W) every S_j = 1 + j*M, so cycles = T*M + R + C + 2.

export interface WsShape {
  m: number;
  k: number;
  n: number;
}

interface Dims {
  rows: number;
  cols: number;
}

export function wsTiles(cfg: Dims, s: WsShape): number {
  return Math.ceil(s.k / cfg.rows) * Math.ceil(s.n / cfg.cols);
}

/** Busy cycles of one engine run (one pass) of shape s. */
export function wsPassCycles(cfg: Dims, s: WsShape): number {
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

/** SCALE-Sim's WS model for the same shape (no overlap of weight loads). */
export function scaleSimCycles(cfg: Dims, s: WsShape): number {
  return wsTiles(cfg, s) * (2 * cfg.rows + cfg.cols + s.m - 2);
}

/** Utilization: useful MACs over array-cycles. */
export function utilization(cfg: Dims, s: WsShape, cycles: number): number {
  return (s.m * s.n * s.k) / (cycles * cfg.rows * cfg.cols);
}
