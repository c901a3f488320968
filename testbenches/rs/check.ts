// The random rs layer a seed stands for (the first wrong output: failure.ts).
import type { RsConfig } from '../../golden/rs/config.js';
import type { ConvProblem } from '../../golden/rs/golden.js';
import { Random, drawFitting } from '../../golden/common/random.js';
import { randomConvProblem, withRandomRequant, type ConvSpec } from '../../golden/rs/problem.js';
import { mapConv } from '../../golden/rs/mapper.js';
import { convShape } from '../../golden/rs/golden.js';

export interface RsCase {
  seed: number;
  spec: ConvSpec;
  problem: ConvProblem;
  describe: string;
}

/**
 * A random layer the config can map: any C, M; strides 1, 2, 4; padding 0-2.
 * When the mapper refuses a draw (small scratchpads or buffers), the bounds
 * shrink and it draws again, down to a 1x1 layer; a preset's cases are the
 * first draw, as before.
 */
export function rsCase(cfg: RsConfig, seed: number): RsCase {
  const rng = new Random(seed);
  const c = drawFitting(
    (attempt) => rsDraw(cfg, rng, attempt),
    (x) => mapConv(cfg, convShape(x.problem), x.spec.bias),
  );
  return { seed, ...c };
}

function rsDraw(cfg: RsConfig, rng: Random, attempt: number) {
  const small = (n: number) => Math.max(1, n >> Math.floor(attempt / 2));
  const S = rng.int(1, small(Math.min(cfg.ifmapSpad, cfg.filterSpad, 5)));
  const R = rng.int(1, small(Math.min(2 * cfg.peRows + 1, 6)));
  // Strides past the filter width too (U > S: every column's window is all new taps).
  const stride = attempt >= 8 ? 1 : [1, 2, 4][rng.int(0, 2)]!;
  const padding = rng.int(0, Math.min(2, R - 1, S - 1));
  const spec: ConvSpec = {
    N: rng.int(1, small(2)),
    C: rng.int(1, small(7)),
    M: rng.int(1, small(9)),
    R,
    S,
    H: rng.int(Math.max(R - 2 * padding, 1), R + (small(16) >> 1)),
    W: rng.int(Math.max(S - 2 * padding, 1), S + (small(16) >> 1)),
    stride,
    padding,
    bias: rng.bool(),
    relu: rng.bool(),
  };
  const problem = randomConvProblem(cfg, spec, rng);
  // With the output stage, two cases in three requantize (and so carry a bias: the offsets).
  if (cfg.requant && rng.bool(2 / 3)) {
    withRandomRequant(cfg, problem, rng);
    spec.bias = true;
  }
  const rq = problem.requant ? ` requant=${problem.requant.output}` : '';
  const describe = `N=${spec.N} C=${spec.C} H=${spec.H} W=${spec.W} M=${spec.M} R=${R} S=${S} U=${stride} P=${padding}${spec.bias ? ' +bias' : ''}${spec.relu ? ' +relu' : ''}${rq}`;
  return { spec, problem, describe };
}
