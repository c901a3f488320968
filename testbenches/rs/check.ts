// RTL against golden for rs: the random layer a seed stands for, and the
// first wrong output.
import type { RsConfig } from '../../generators/config/rs.js';
import { MismatchError } from '../../generators/errors.js';
import { conv, type ConvProblem } from '../../golden/rs.js';
import { Random } from '../random.js';
import { randomConvProblem, type ConvSpec } from './problem.js';
import { runRs, type RsRunOptions, type RsRunResult } from './engine.js';

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
  const stride = [1, 2, 4].filter((u) => u <= S)[rng.int(0, [1, 2, 4].filter((u) => u <= S).length - 1)]!;
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

export function firstConvMismatch(want: bigint[][][][], got: bigint[][][][]) {
  for (let n = 0; n < want.length; n++)
    for (let m = 0; m < want[n]!.length; m++)
      for (let e = 0; e < want[n]![m]!.length; e++)
        for (let f = 0; f < want[n]![m]![e]!.length; f++) {
          const x = want[n]![m]![e]![f]!, y = got[n]?.[m]?.[e]?.[f];
          if (x !== y) return { element: `ofmap[${n}][${m}][${e}][${f}]`, expected: x, actual: y ?? 0n, n, m, e, f };
        }
  return undefined;
}

export async function checkRs(cfg: RsConfig, p: ConvProblem, context: string, opts: RsRunOptions = {}): Promise<RsRunResult> {
  const r = await runRs(cfg, p, opts);
  const bad = firstConvMismatch(conv(cfg.accWidth, p), r.ofmap);
  if (bad) {
    // Output row e is produced in PE column (e mod w) of the strip; the filter's slot picks the column group.
    const m = r.mapping;
    const col = Math.floor((bad.m % (m.Hs * m.p)) / m.p) * m.w + (bad.e % m.w);
    throw new MismatchError({ ...bad, pe: `column ${col} (output row ${bad.e}, filter ${bad.m})` }, context);
  }
  return r;
}
