// The ws problem: cli.md's ws input JSON and random problems (core/gemm.ts).
import type { WsConfig } from './config.js';
import { parseGemmProblem, randomGemmProblem, type GemmProblem, type GemmShape } from '../common/gemm.js';
import type { Random } from '../common/random.js';

export type WsShape = GemmShape;

/** Validates cli.md's ws input JSON against a config. */
export const parseWsProblem = (raw: unknown, cfg: WsConfig, source = 'input'): GemmProblem =>
  parseGemmProblem(raw, cfg, source, 'ws');

/** A random problem of the given shape with full-range data. */
export const randomWsProblem = (
  cfg: WsConfig,
  shape: WsShape,
  rng: Random,
  opts: { d?: boolean; relu?: boolean } = {},
): GemmProblem => randomGemmProblem(cfg, shape, rng, opts);
