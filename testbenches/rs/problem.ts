// The rs problem: random convolution layers for verification (cli.md's rs
// input JSON is validated by parseRsProblem).
import type { RsConfig } from '../../generators/config/rs.js';
import type { ConvProblem } from '../../golden/rs.js';
import { Random } from '../random.js';

export interface ConvSpec {
  N: number; C: number; H: number; W: number; M: number; R: number; S: number;
  stride: number; padding: number; bias?: boolean; relu?: boolean;
}

/** A layer of the given shape with uniform signed dataWidth-bit values. */
export function randomConvProblem(cfg: RsConfig, s: ConvSpec, rng: Random): ConvProblem {
  const lo = -(2 ** (cfg.dataWidth - 1)), hi = 2 ** (cfg.dataWidth - 1) - 1;
  const v = () => rng.int(lo, hi);
  const t4 = (a: number, b: number, c: number, d: number) =>
    Array.from({ length: a }, () => Array.from({ length: b }, () => Array.from({ length: c }, () => Array.from({ length: d }, v))));
  const bmax = 2n ** BigInt(cfg.accWidth - 1);
  return {
    ifmap: t4(s.N, s.C, s.H, s.W),
    filters: t4(s.M, s.C, s.R, s.S),
    bias: s.bias ? Array.from({ length: s.M }, () => rng.bigintIn(-bmax, bmax - 1n)) : undefined,
    stride: s.stride,
    padding: s.padding,
    relu: s.relu ?? false,
  };
}
