// The random rs layer a seed stands for (the first wrong output: failure.ts).
import type { RsConfig } from './config.js';
import type { ConvProblem } from './golden.js';
import { Random } from '../../core/random.js';
import { randomConvProblem, type ConvSpec } from './problem.js';

export interface RsCase {
  seed: number;
  spec: ConvSpec;
  problem: ConvProblem;
  describe: string;
}

/** A random layer within the config's scratchpads: any C, M; strides 1, 2, 4; padding 0-2. */
export function rsCase(cfg: RsConfig, seed: number): RsCase {
  const rng = new Random(seed);
  const S = rng.int(1, Math.min(cfg.ifmapSpad, 5));
  const R = rng.int(1, Math.min(2 * cfg.peRows + 1, 6));
  // Strides past the filter width too (U > S: every column's window is all new taps).
  const stride = [1, 2, 4][rng.int(0, 2)]!;
  const padding = rng.int(0, Math.min(2, R - 1, S - 1));
  const spec: ConvSpec = {
    N: rng.int(1, 2),
    C: rng.int(1, 7),
    M: rng.int(1, 9),
    R,
    S,
    H: rng.int(Math.max(R - 2 * padding, 1), R + 8),
    W: rng.int(Math.max(S - 2 * padding, 1), S + 8),
    stride,
    padding,
    bias: rng.bool(),
    relu: rng.bool(),
  };
  const problem = randomConvProblem(cfg, spec, rng);
  const describe = `N=${spec.N} C=${spec.C} H=${spec.H} W=${spec.W} M=${spec.M} R=${R} S=${S} U=${stride} P=${padding}${spec.bias ? ' +bias' : ''}${spec.relu ? ' +relu' : ''}`;
  return { seed, spec, problem, describe };
}
