// Quantized network layers on the os engine: the same lowering as ws (a
// fully connected layer is a GEMM with the batch as M; a convolution is a
// GEMM through im2col on the host side, data movement only, with the
// batch's output pixels as M). The bias rides in D, ReLU in the RTL.
import type { NetworkSupport } from '../plugin.js';
import { describeGemm, gemmRows, lowerToGemm, raiseFromGemm } from '../../golden/nn/gemm-lowering.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import type { OsConfig } from '../../golden/os/config.js';
import type { OsEngineResult } from './sim.js';
import { osDramValues, osEnergy, type OsEnergyCounters } from '../../golden/os/energy.js';
import { osPassAccess } from '../../golden/os/access.js';
import { planOsPasses } from '../../golden/os/mapper.js';

export const osNetwork: NetworkSupport<OsConfig, GemmProblem, OsEngineResult> = {
  target: (cfg) => ({ dataWidth: cfg.dataWidth, accWidth: cfg.accWidth }),
  refuse: (cfg) =>
    cfg.signed
      ? undefined
      : 'an os config with signed = false cannot hold signed weights; use a signed config (e.g. os-16x16)',
  lower: (_cfg, l, x, batch) => lowerToGemm(l, x, batch),
  raise: (_cfg, l, r, batch) => raiseFromGemm(l, r.c, batch),
  counters: (r) => ({ ...r.counters, dramValues: r.dramValues }),
  layerModel(cfg, l, batch) {
    // The GEMM the layer lowers to, its passes, and each pass's access model (bias as D).
    const m = gemmRows(l, batch);
    const passes = planOsPasses(cfg, m, l.K, l.M);
    const counters: Record<string, number> = { dramValues: osDramValues(cfg, { d: [] }, passes) };
    for (const ps of passes) {
      const c = osPassAccess(cfg, { m: ps.mp, k: ps.kp, n: ps.np }, true);
      for (const [k, v] of Object.entries(c)) counters[k] = (counters[k] ?? 0) + v;
    }
    return { cycles: counters.cycles!, counters };
  },
  energy: (cfg, c) => osEnergy(cfg, c as OsEnergyCounters),
  describe: (cfg, l, batch, r) => describeGemm(l, batch, r.passes.length, cfg.rows, cfg.cols),
};
