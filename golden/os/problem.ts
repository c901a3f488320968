// RTL against golden for os: the random case a seed stands for.
import type { OsConfig } from './config.js';
import { randomGemmProblem, type GemmProblem, type GemmShape } from '../common/gemm.js';
import { Random } from '../common/random.js';

export interface OsCase {
  seed: number;
  shape: GemmShape;
  problem: GemmProblem;
  stallPermille: number;
}

/** Shapes around the array's edges (partial tiles, K shorter and longer than 2R - 1), data, host stalls. */
export function osCase(cfg: OsConfig, seed: number): OsCase {
  const rng = new Random(seed);
  const lim = (n: number) => Math.min(3 * n + 2, 64);
  const shape = { m: rng.int(1, lim(cfg.rows)), k: rng.int(1, lim(2 * cfg.rows)), n: rng.int(1, lim(cfg.cols)) };
  const problem = randomGemmProblem(cfg, shape, rng, { d: rng.bool(), relu: rng.bool() });
  const stallPermille = [0, 0, 100, 400][rng.int(0, 3)]!;
  return { seed, shape, problem, stallPermille };
}
