// Quantized network layers on a systolic engine: a fully connected layer is
// a GEMM with the batch of images as M. A convolution runs natively on a ws
// or an os array (the ifmap written once, the windows formed on chip:
// golden/gemm/conv.ts, os-conv.ts), and on an array of both when it fits
// in both dataflows; otherwise, or with { native: false } (the compare verb's
// labelled im2col rows, `model --conv im2col`), it goes through im2col
// on the host side (data movement only) and becomes a GEMM with the batch's
// output pixels as M;
// { native: 'auto' } (ws-auto) takes im2col for the layers whose channels
// leave a channel tile's lanes empty (im2colFewerTiles).
// The bias rides in D, ReLU in the RTL. On an array of both dataflows each
// layer runs in the one asked for (`--dataflow`, or 'auto': the cycle
// models' faster), and its line says which.
import type { NetworkSupport } from '../plugin.js';
import type { QLayer } from '../../golden/nn/quant.js';
import { describeGemm, gemmRows, lowerToGemm, raiseFromGemm } from '../../golden/nn/gemm-lowering.js';
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import { dramValues, gemmEnergy, passAccess, type GemmEnergyCounters } from '../../golden/gemm/access.js';
import { planPasses } from '../../golden/gemm/mapper.js';
import { scaleSimCycles } from '../../golden/gemm/cycles.js';
import { convGeometryOf, type GemmConvProblem } from '../../golden/gemm/conv.js';
import { convFitIn, convModel, convScaleSim } from '../../golden/gemm/conv-models.js';
import type { GemmEngineResult } from './sim.js';
import type { SystolicProblem } from './dataflow.js';

/** The layer as a native convolution at a batch: its geometry on the array. */
const geometry = (cfg: GemmConfig, l: QLayer, batch: number) => convGeometryOf(cfg, { ...l.conv!, N: batch, M: l.M });

/** The layer's input batch and weights as the convolution JSON (values move, nothing is computed). */
function lowerToConv(l: QLayer, x: Int32Array, batch: number): GemmConvProblem {
  const { C, H, W, R, S, U, P } = l.conv!;
  const ifmap = Array.from({ length: batch }, (_, n) =>
    Array.from({ length: C }, (_, c) =>
      Array.from({ length: H }, (_, h) =>
        Array.from({ length: W }, (_, w) => BigInt(x[((n * C + c) * H + h) * W + w]!)),
      ),
    ),
  );
  const filters = Array.from({ length: l.M }, (_, m) =>
    Array.from({ length: C }, (_, c) =>
      Array.from({ length: R }, (_, r) =>
        Array.from({ length: S }, (_, s) => BigInt(l.w[m * l.K + (c * R + r) * S + s]!)),
      ),
    ),
  );
  return { ifmap, filters, bias: l.bias.slice(), stride: U, padding: P, relu: l.relu };
}

/**
 * 'auto''s choice for a convolution: im2col when its K tiles (C R S over the
 * rows) are fewer than the native mapping's (R S channel tiles), i.e. when
 * the channels leave lanes of a channel tile empty (C = 3 of 16: AlexNet's
 * CONV1, LeNet-5's conv1 and conv2); native otherwise, ties included (the
 * ifmap crosses the chip boundary once). A rule of the layer's C, R, S only,
 * so a compare sample and its full layer map alike.
 */
export function im2colFewerTiles(cfg: GemmConfig, l: QLayer): boolean {
  const { C, R, S } = l.conv!;
  return Math.ceil((C * R * S) / cfg.rows) < R * S * Math.ceil(C / cfg.rows);
}

export function gemmNetwork(
  design: Dataflow,
  o: { native?: boolean | 'auto' } = {},
): NetworkSupport<GemmConfig, SystolicProblem, GemmEngineResult> {
  const dataflow = (cfg: GemmConfig) => (cfg.dataflow === 'both' ? design : cfg.dataflow);
  // Native on a ws or os array (ws 'auto': unless im2col needs fewer K tiles). An array of both runs each
  // layer in the dataflow asked for (--dataflow, 'auto': the faster by the exact models), so a convolution
  // runs natively there when it fits in both, and through im2col otherwise.
  const fitsBoth = (cfg: GemmConfig, l: QLayer) =>
    (['ws', 'os'] as const).every((d) => convFitIn(cfg, d, geometry(cfg, l, 1)) === undefined);
  const native = (cfg: GemmConfig, l: QLayer) =>
    l.op === 'conv' &&
    o.native !== false &&
    (cfg.dataflow !== 'both' || fitsBoth(cfg, l)) &&
    !(o.native === 'auto' && cfg.dataflow === 'ws' && im2colFewerTiles(cfg, l));
  return {
    target: (cfg) => ({ dataWidth: cfg.dataWidth, accWidth: cfg.accWidth }),
    refuse: (cfg, l) => {
      if (!cfg.signed)
        return `a ${design} config with signed = false cannot hold signed weights; use a signed config (e.g. ${design}-16x16)`;
      if (!native(cfg, l) || cfg.dataflow === 'both') return undefined;
      return convFitIn(cfg, dataflow(cfg), geometry(cfg, l, 1));
    },
    lower: (cfg, l, x, batch) => (native(cfg, l) ? lowerToConv(l, x, batch) : lowerToGemm(l, x, batch)),
    raise: (_cfg, l, r, batch) => {
      if (!r.conv) return raiseFromGemm(l, r.c, batch);
      return Float64Array.from(r.conv.ofmap.flat(3), Number);
    },
    counters: (r) => ({ ...r.counters, dramValues: r.dramValues }),
    layerModel(cfg, l, batch) {
      if (native(cfg, l)) {
        const m = convModel(cfg, dataflow(cfg), geometry(cfg, l, batch), true);
        return { cycles: m.cycles, counters: { ...m.counters, dramValues: m.dramValues } };
      }
      // The GEMM the layer lowers to, its passes in the design's dataflow, and each pass's access model (bias as D).
      const df = dataflow(cfg);
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
      native(cfg, l)
        ? convScaleSim(cfg, dataflow(cfg), geometry(cfg, l, batch))
        : scaleSimCycles(cfg, { m: gemmRows(l, batch), k: l.K, n: l.M }, dataflow(cfg)),
    describe: (cfg, l, batch, r) => {
      const both = cfg.dataflow === 'both' ? `, ${r.dataflow}` : '';
      if (!r.conv) return `${describeGemm(l, batch, r.passes.length, cfg.rows, cfg.cols)}${both}`;
      const c = l.conv!;
      const n = r.passes.length;
      return `conv ${c.C}x${c.H}x${c.W} -> ${l.M} ${c.R}x${c.S}/${c.U} native (windows formed on chip), ${n} pass${n > 1 ? 'es' : ''} on ${cfg.rows}x${cfg.cols}${both}`;
    },
  };
}
