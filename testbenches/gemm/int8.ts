// Standard int8 layers on ws and os: a QLinearConv or QLinearMatMul as the
// GEMM golden/nn/qlower.ts forms, requantized in the engine's output stage.
import type { Int8Support } from '../plugin.js';
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import { operandRefusal, qLinearGemm } from '../../golden/nn/qlower.js';
import type { SystolicProblem } from './dataflow.js';
import type { GemmEngineResult } from './sim.js';

export function gemmInt8(design: Dataflow): Int8Support<GemmConfig, SystolicProblem, GemmEngineResult> {
  return {
    refuse: (cfg) =>
      cfg.quantDepth > 0
        ? undefined
        : `config key 'quantDepth' is 0: no output stage (requantization in the RTL); use ${design}-16x16-int8 (uint8 activations), ${design}-16x16 (int8 activations) or quantDepth > 0`,
    refuseNode: (cfg, n) => operandRefusal(n, cfg.dataWidth, `${design}-16x16-int8`),
    lower: (_cfg, n, x) => {
      const g = qLinearGemm(n, x);
      return { problem: g.problem, outDims: g.outDims, raise: (r) => g.raise(r.c) };
    },
  };
}
