// Quantized network layers on a systolic engine: a fully connected layer is
// a GEMM with the batch of images as M; a convolution goes through im2col on
// the host side (data movement only) and becomes a GEMM with the batch's
// output pixels as M. The bias rides in D, ReLU in the RTL. On an array of
// both dataflows each layer runs in the one asked for (`--dataflow`, or
// 'auto': the cycle models' faster), and its line says which.
import type { NetworkSupport } from '../plugin.js';
import { describeGemm, gemmRows, lowerToGemm, raiseFromGemm } from '../../golden/nn/gemm-lowering.js';
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import { dramValues, gemmEnergy, passAccess, type GemmEnergyCounters } from '../../golden/gemm/access.js';
import { planPasses } from '../../golden/gemm/mapper.js';
import { scaleSimCycles } from '../../golden/gemm/cycles.js';
import type { GemmEngineResult } from './sim.js';
import type { GemmRunProblem } from './dataflow.js';

export function gemmNetwork(design: Dataflow): NetworkSupport<GemmConfig, GemmRunProblem, GemmEngineResult> {
  return {
    target: (cfg) => ({ dataWidth: cfg.dataWidth, accWidth: cfg.accWidth }),
    refuse: (cfg) =>
      cfg.signed
        ? undefined
        : `a ${design} config with signed = false cannot hold signed weights; use a signed config (e.g. ${design}-16x16)`,
    lower: (_cfg, l, x, batch) => lowerToGemm(l, x, batch),
    raise: (_cfg, l, r, batch) => raiseFromGemm(l, r.c, batch),
    counters: (r) => ({ ...r.counters, dramValues: r.dramValues }),
    layerModel(cfg, l, batch) {
      // The GEMM the layer lowers to, its passes in the design's dataflow, and each pass's access model (bias as D).
      const df = cfg.dataflow === 'both' ? design : cfg.dataflow;
      const passes = planPasses(cfg, df, gemmRows(l, batch), l.K, l.M);
      const counters: Record<string, number> = { dramValues: dramValues(cfg, df, { d: [] }, passes) };
      for (const ps of passes) {
        const c = passAccess(cfg, df, { m: ps.mp, k: ps.kp, n: ps.np }, true);
        for (const [k, v] of Object.entries(c)) counters[k] = (counters[k] ?? 0) + v;
      }
      return { cycles: counters.cycles!, counters };
    },
    energy: (cfg, c) => gemmEnergy(cfg, c as GemmEnergyCounters),
    // SCALE-Sim maps a layer to the GEMM of its im2col view (M output pixels, K the window, N the filters), in one pass.
    scaleSimCycles: (cfg, l, batch) =>
      scaleSimCycles(cfg, { m: gemmRows(l, batch), k: l.K, n: l.M }, cfg.dataflow === 'both' ? design : cfg.dataflow),
    describe: (cfg, l, batch, r) =>
      `${describeGemm(l, batch, r.passes.length, cfg.rows, cfg.cols)}${cfg.dataflow === 'both' ? `, ${r.dataflow}` : ''}`,
  };
}
