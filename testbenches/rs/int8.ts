// Standard int8 layers on rs: a QLinearConv (or a QLinearMatMul as 1 x 1
// images of K channels) as one convolution, requantized in write-back's
// output stage (config requant).
import type { Int8Support } from '../plugin.js';
import type { RsConfig } from '../../golden/rs/config.js';
import type { ConvProblem } from '../../golden/rs/golden.js';
import { operandRefusal } from '../../golden/nn/qlower.js';
import { convRefusal, qLinearConv } from '../../golden/rs/qlower.js';
import type { RsRunResult } from './sim.js';

export const rsInt8: Int8Support<RsConfig, ConvProblem, RsRunResult> = {
  refuse: (cfg) =>
    cfg.requant
      ? undefined
      : "config key 'requant' is false: no output stage (requantization in the RTL); use rs-4x4-int8 or requant true",
  refuseNode: (cfg, n) => convRefusal(n) ?? operandRefusal(n, cfg.dataWidth, 'rs-4x4-int8'),
  lower: (_cfg, n, x) => {
    const c = qLinearConv(n, x);
    return { problem: c.problem, outDims: c.outDims, raise: (r) => c.raise(r.ofmap) };
  },
};
