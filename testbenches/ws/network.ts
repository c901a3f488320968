// Quantized network layers on the ws engine: a fully connected layer is a
// GEMM with the batch of images as M; a convolution goes through im2col on
// the host side (data movement only) and becomes a GEMM with the batch's
// output pixels as M. The bias rides in D, ReLU in the RTL.
import type { NetworkSupport } from '../plugin.js';
import { describeGemm, gemmRows, lowerToGemm, raiseFromGemm } from '../../golden/nn/gemm-lowering.js';
import type { WsConfig } from '../../golden/ws/config.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import type { WsEngineResult } from './sim.js';
import { wsDramValues, wsEnergy, wsPassAccess, type WsEnergyCounters } from '../../golden/ws/access.js';
import { planWsPasses } from '../../golden/ws/mapper.js';

export const wsNetwork: NetworkSupport<WsConfig, GemmProblem, WsEngineResult> = {
  target: (cfg) => ({ dataWidth: cfg.dataWidth, accWidth: cfg.accWidth }),
  refuse(cfg) {
    return cfg.signed
      ? undefined
      : `a ws config with signed = false cannot hold signed weights; use a signed config (e.g. ws-16x16)`;
  },
  lower: (_cfg, l, x, batch) => lowerToGemm(l, x, batch),
  raise: (_cfg, l, r, batch) => raiseFromGemm(l, r.c, batch),
  counters: (r) => ({ ...r.counters, dramValues: r.dramValues }),
  layerModel(cfg, l, batch) {
    // The GEMM the layer lowers to, its passes, and each pass's access model (bias as D).
    const m = gemmRows(l, batch);
    const passes = planWsPasses(cfg, m, l.K, l.M);
    const counters: Record<string, number> = { dramValues: wsDramValues(cfg, { d: [] }, passes) };
    for (const ps of passes) {
      const c = wsPassAccess(cfg, { m: ps.mp, k: ps.kp, n: ps.np }, true);
      for (const [k, v] of Object.entries(c)) counters[k] = (counters[k] ?? 0) + v;
    }
    return { cycles: counters.cycles!, counters };
  },
  energy: (cfg, c) => wsEnergy(cfg, c as WsEnergyCounters),
  describe: (cfg, l, batch, r) => describeGemm(l, batch, r.passes.length, cfg.rows, cfg.cols),
};
