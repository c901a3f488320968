// RTL against golden for ws: one random case, compared element by element.
import type { WsConfig } from '../../generators/config/ws.js';
import { MismatchError } from '../../generators/errors.js';
import { gemm, type GemmProblem } from '../../golden/ws.js';
import { Random } from '../random.js';
import { randomWsProblem, type WsShape } from './problem.js';
import { runWs, type WsRunOptions, type WsRunResult } from './cosim.js';

export interface WsCase {
  seed: number;
  shape: WsShape;
  problem: GemmProblem;
  bubblePermille: number;
}

/** The random case a seed stands for: shape, data, bubbles. */
export function wsCase(cfg: WsConfig, seed: number): WsCase {
  const rng = new Random(seed);
  const lim = (n: number) => Math.min(3 * n + 2, 64);
  const shape = { m: rng.int(1, lim(cfg.rows + cfg.cols)), k: rng.int(1, lim(cfg.rows)), n: rng.int(1, lim(cfg.cols)) };
  const problem = randomWsProblem(cfg, shape, rng, { d: rng.bool(), relu: rng.bool() });
  const bubblePermille = [0, 0, 100, 400][rng.int(0, 3)]!;
  return { seed, shape, problem, bubblePermille };
}

/** First element where the RTL result differs from golden, or undefined. */
export function firstGemmMismatch(expected: bigint[][], actual: bigint[][]) {
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < expected[i]!.length; j++) {
      const e = expected[i]![j]!, a = actual[i]?.[j];
      if (a !== e) return { element: `c[${i}][${j}]`, expected: e, actual: a ?? 0n, i, j };
    }
  }
  return undefined;
}

/** Runs a GEMM on the RTL and throws MismatchError at the first wrong element. */
export async function checkWs(
  cfg: WsConfig,
  p: GemmProblem,
  context: string,
  opts: WsRunOptions = {},
): Promise<WsRunResult> {
  const r = await runWs(cfg, p, opts);
  const bad = firstGemmMismatch(gemm(cfg, p), r.c);
  if (bad) throw new MismatchError(bad, context);
  return r;
}
