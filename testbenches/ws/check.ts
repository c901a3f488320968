// RTL against golden for ws: random cases and first-mismatch search.
import type { WsConfig } from '../../golden/ws/config.js';
import { MismatchError } from '../../golden/common/errors.js';
import { gemm, type GemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { randomWsProblem, type WsShape } from '../../golden/ws/problem.js';
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

export { firstGemmMismatch } from '../../golden/common/gemm.js';
import { firstGemmMismatch } from '../../golden/common/gemm.js';

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
