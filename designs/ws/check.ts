// RTL against golden for ws: random cases and first-mismatch search.
import type { WsConfig } from './config.js';
import { MismatchError } from '../../core/errors.js';
import { gemm, type GemmProblem } from './golden.js';
import { Random } from '../../core/random.js';
import { randomWsProblem, type WsShape } from './problem.js';
import { runWsEngine, type WsEngineOptions, type WsEngineResult } from './sim.js';

export interface WsCase {
  seed: number;
  shape: WsShape;
  problem: GemmProblem;
  /** Host-side throttling, in 1/1000 per request. */
  stallPermille: number;
}

/** The random case a seed stands for: shape, data, host stalls. */
export function wsCase(cfg: WsConfig, seed: number): WsCase {
  const rng = new Random(seed);
  const lim = (n: number) => Math.min(3 * n + 2, 64);
  const shape = { m: rng.int(1, lim(cfg.rows + cfg.cols)), k: rng.int(1, lim(cfg.rows)), n: rng.int(1, lim(cfg.cols)) };
  const problem = randomWsProblem(cfg, shape, rng, { d: rng.bool(), relu: rng.bool() });
  const stallPermille = [0, 0, 100, 400][rng.int(0, 3)]!;
  return { seed, shape, problem, stallPermille };
}

/**
 * The wrong element that left the RTL first (by `cycles`, the trace cycle of
 * each element's read; row-major without them), or undefined.
 */
export function firstGemmMismatch(expected: bigint[][], actual: bigint[][], cycles?: number[][]) {
  let best: { element: string; expected: bigint; actual: bigint; i: number; j: number; cycle?: number } | undefined;
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < expected[i]!.length; j++) {
      const e = expected[i]![j]!, a = actual[i]?.[j];
      const cycle = cycles?.[i]?.[j];
      // Without cycles every element counts as 0: the first in row-major order wins.
      if (a !== e && (!best || (cycle ?? 0) < (best.cycle ?? 0))) best = { element: `c[${i}][${j}]`, expected: e, actual: a ?? 0n, i, j, cycle };
    }
  }
  return best;
}

/** Runs a GEMM on the engine RTL and throws MismatchError at the first wrong element. */
export async function checkWs(
  cfg: WsConfig,
  p: GemmProblem,
  context: string,
  opts: WsEngineOptions = {},
): Promise<WsEngineResult> {
  const r = await runWsEngine(cfg, p, opts);
  const bad = firstGemmMismatch(gemm(cfg, p), r.c);
  if (bad) throw new MismatchError(bad, context);
  return r;
}
