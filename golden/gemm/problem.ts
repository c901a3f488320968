// The systolic engines' problems: cli.md's GEMM input JSON (the same for ws
// and os) and the random case a seed stands for: shapes around the array's
// edges (partial tiles, K folding, K shorter and longer than 2R - 1), D and
// ReLU, host stalls, and for an array of dataflow both the dataflow of the run.
import { parseGemmProblem, randomGemmProblem, type GemmProblem, type GemmRequant } from '../common/gemm.js';
import { Random } from '../common/random.js';
import type { Dataflow, GemmConfig } from './config.js';
import type { GemmShape } from './cycles.js';

export const parseProblem =
  (design: Dataflow) =>
  (raw: unknown, cfg: GemmConfig, source = 'input'): GemmProblem =>
    parseGemmProblem(raw, cfg, source, design);

export interface GemmCase {
  seed: number;
  shape: GemmShape;
  problem: GemmProblem;
  /** Host-side throttling, in 1/1000 per request. */
  stallPermille: number;
  dataflow: Dataflow;
}

/** The random case a seed stands for on a configuration; `design` is the dataflow of a single-dataflow array. */
export function gemmCase(cfg: GemmConfig, seed: number): GemmCase {
  const rng = new Random(seed);
  const lim = (n: number) => Math.min(3 * n + 2, 64);
  const shape = {
    m: rng.int(1, lim(cfg.rows + cfg.cols)),
    k: rng.int(1, lim(2 * cfg.rows)),
    n: rng.int(1, lim(cfg.cols)),
  };
  const problem = randomGemmProblem(cfg, shape, rng, { d: rng.bool(), relu: rng.bool() });
  const stallPermille = [0, 0, 100, 400][rng.int(0, 3)]!;
  const dataflow: Dataflow = cfg.dataflow === 'both' ? (rng.bool() ? 'ws' : 'os') : cfg.dataflow;
  // A third of the cases are heavy with the extreme operands (uniform draws
  // almost never multiply the most negative value by itself, the one product
  // that needs the top bit of the product width).
  if (rng.bool(1 / 3)) withExtremes(cfg, problem, rng);
  // Half the cases place their rows away from row 0 of each buffer.
  if (rng.bool()) problem.placement = { a: rng.float(), b: rng.float(), acc: rng.float() };
  // With an output stage, two cases in three requantize (drawn last: other configs' cases stay as they were).
  if (cfg.quantDepth > 0 && rng.bool(2 / 3)) problem.requant = randomRequant(cfg, shape, rng);
  return { seed, shape, problem, stallPermille, dataflow };
}

/**
 * Output-stage parameters that spread the outputs over the 8-bit range and
 * past both limits: per tensor or per column, scales near 127 / (the typical
 * sum) or exact powers of two (rounding ties), offsets small or anywhere in
 * int32 (the sum wraps), any zero point.
 */
export function randomRequant(cfg: GemmConfig, shape: GemmShape, rng: Random): GemmRequant {
  const signed = rng.bool();
  const typical = Math.sqrt(shape.k) * 2 ** (2 * cfg.dataWidth - 2) + 1;
  const drawScale = () =>
    rng.bool(1 / 3) ? 2 ** -rng.int(0, 2 * cfg.dataWidth) : Math.fround((127 / typical) * 2 ** (rng.float() * 6 - 3));
  const small = Math.min(Math.floor(typical), 2 ** 31 - 1);
  const drawOffset = () => (rng.bool(1 / 8) ? rng.int(-(2 ** 31), 2 ** 31 - 1) : rng.int(-small, small));
  const perColumn = rng.bool();
  const s0 = drawScale();
  const scale = Array.from({ length: shape.n }, () => (perColumn ? drawScale() : s0));
  const offset = Array.from({ length: shape.n }, () => (rng.bool(1 / 4) ? 0 : drawOffset()));
  const zeroPoint = signed ? rng.int(-128, 127) : rng.int(0, 255);
  return { scale, offset, zeroPoint, output: signed ? 'int8' : 'uint8' };
}

/** Sets about a third of A's and B's elements to the smallest or largest value of dataWidth. */
function withExtremes(cfg: GemmConfig, p: GemmProblem, rng: Random) {
  const w = BigInt(cfg.dataWidth);
  const [lo, hi] = cfg.signed ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
  for (const m of [p.a, p.b])
    for (const row of m)
      for (let j = 0; j < row.length; j++)
        if (rng.bool(1 / 3)) row[j] = rng.bool(3 / 4) ? (cfg.signed ? lo : hi) : cfg.signed ? hi : lo;
}
