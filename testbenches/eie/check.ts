// RTL against golden for eie: the random case a seed stands for, and the
// first wrong output.
import type { EieConfig } from '../../golden/eie/config.js';
import { eieChain } from '../../golden/eie/golden.js';
import { eieCycles, type EieCycleLayer, type EieCycleResult } from '../../golden/eie/cycles.js';
import { encodeCsc } from '../../golden/eie/format.js';
import { Random, drawFitting } from '../../golden/common/random.js';
import { randomEieProblem, type EieProblem } from '../../golden/eie/problem.js';
import { layoutEie } from '../../golden/eie/layout.js';

export interface EieCase {
  seed: number;
  problem: EieProblem;
  describe: string;
  stallPermille: number;
}

/** The most activations a case fills the activation file with (its layers are up to this square). */
export const wideLimit = 512;

/** Whether verify's cases may fill the configuration's activation file. */
export const activationFileFillable = (cfg: EieConfig) => cfg.pes * cfg.rowsPerPe <= wideLimit;

/** A random chain of 1-3 layers sized to the config. */
export function eieCase(cfg: EieConfig, seed: number): EieCase {
  const rng = new Random(seed);
  // A draw the memories cannot hold (small ptrDepth / matDepth) is drawn again
  // smaller; a preset's cases are the first draw, as before.
  // One case in five may fill the activation file (its own stream: the other cases draw as before), where it
  // holds at most wideLimit activations (a larger file's vectors would make cases too large to simulate).
  const wide = activationFileFillable(cfg) && new Random(seed ^ 0x77696465).bool(1 / 5);
  // One case in six chains a layer in every slot the configuration has (where that is at most chainLimit).
  const every = everySlotChainable(cfg) && new Random(seed ^ 0x736c6f74).bool(1 / 6);
  const c = drawFitting(
    (attempt) => eieDraw(cfg, rng, attempt, wide, every),
    (x) => layoutEie(cfg, x.problem),
  );
  // Half the cases place the pointer words and matrix lines away from row 0 (drawn last: the rest is as before).
  if (rng.bool()) {
    c.problem.placement = { ptr: rng.float(), mat: rng.float() };
    c.describe += ' placed';
  }
  return { seed, ...c };
}

/** The longest chain verify's cases draw to fill every layer slot (longer ones take too long to simulate). */
export const chainLimit = 8;

/** Whether verify's cases may chain a layer in every slot of the configuration (maxLayers; memories with room for it). */
export const everySlotChainable = (cfg: EieConfig) =>
  cfg.maxLayers > 3 && cfg.maxLayers <= chainLimit && Math.min(cfg.ptrDepth, cfg.matDepth) >= 4 * cfg.maxLayers;

function eieDraw(cfg: EieConfig, rng: Random, attempt: number, wide: boolean, every = false) {
  // Vectors up to 96 long, or (wide) up to what the activation file holds.
  const cap = Math.max(1, Math.min(cfg.pes * cfg.rowsPerPe, wide ? Infinity : 96) >> attempt);
  const cols = rng.int(1, cap);
  const drawn = rng.int(1, Math.min(3, cfg.maxLayers));
  // (A chain that the memories cannot hold even drawn small goes back to the drawn length.)
  const nLayers = every && attempt < 4 ? cfg.maxLayers : drawn;
  const densities = attempt >= 6 ? [0.05] : [0.05, 0.2, 0.5, 0.9];
  const specs = Array.from({ length: nLayers }, () => ({
    rows: rng.int(1, cap),
    weightDensity: densities[rng.int(0, densities.length - 1)]!,
    bias: rng.bool(),
    relu: rng.bool(),
  }));
  const actDensity = [0, 0.3, 0.6, 1][rng.int(0, 3)]!;
  const problem = randomEieProblem(cfg, cols, specs, actDensity, rng);
  const describe = `cols=${cols} act=${actDensity} layers=${specs.map((s) => `${s.rows}@${s.weightDensity}${s.bias ? '+b' : ''}${s.relu ? '+relu' : ''}`).join(',')}`;
  return { problem, describe, stallPermille: [0, 0, 200][rng.int(0, 2)]! };
}

export interface EieExpected {
  /** Every layer's output (golden/eie/golden.ts). */
  outs: bigint[][];
  /** The last layer's output. */
  out: bigint[];
  /** What the cycle model sees of each layer. */
  layers: EieCycleLayer[];
  cycles: EieCycleResult;
}

/** The golden model's results and the cycle model's counts for a problem. */
export function eieExpected(cfg: EieConfig, p: EieProblem): EieExpected {
  const outs = eieChain(cfg.accWidth, p.activations, p.layers);
  const inputs = [p.activations, ...outs.slice(0, -1)];
  const layers = p.layers.map((l, i) => ({
    pes: encodeCsc(l.index, cfg.pes, cfg.indexBits),
    rows: l.index.length,
    nonzero: inputs[i]!.flatMap((a, j) => (a !== 0n ? [j] : [])),
  }));
  return { outs, out: outs.at(-1)!, layers, cycles: eieCycles(cfg.pes, cfg.fifoDepth, layers) };
}

/** The wrong output that left the RTL first (by `cycles`, each output's read cycle), or undefined. */
export function firstEieMismatch(expected: bigint[], actual: bigint[], cycles?: number[]) {
  let best: { element: string; expected: bigint; actual: bigint; i: number; cycle?: number } | undefined;
  for (let i = 0; i < expected.length; i++) {
    const cycle = cycles?.[i];
    // Without cycles every output counts as 0: the first in index order wins.
    if (expected[i] !== actual[i] && (!best || (cycle ?? 0) < (best.cycle ?? 0)))
      best = { element: `b[${i}]`, expected: expected[i]!, actual: actual[i] ?? 0n, i, cycle };
  }
  return best;
}
