// A native convolution's models in the dataflow that runs it: ws
// (golden/gemm/conv.ts, conv-passes.ts) or os (golden/gemm/os-conv.ts).
// Pure functions.
import type { Dataflow } from './config.js';
import type { GemmCounters } from './interface.js';
import { convScaleSimCycles, wsConvAccess, type ConvGeometry } from './conv.js';
import { convFit, convPasses, passGeometry, wsConvModel, type ConvPass } from './conv-passes.js';
import {
  osConvAccess,
  osConvFit,
  osConvModel,
  osConvPasses,
  osConvScaleSimCycles,
  osPassGeometry,
  type OsConvPass,
} from './os-conv.js';

interface Buffers {
  rows: number;
  cols: number;
  aDepth: number;
  bDepth: number;
  accDepth: number;
}

/** Why the layer does not fit the configuration in this dataflow, or undefined. */
export const convFitIn = (cfg: Buffers, df: Dataflow, g: ConvGeometry) =>
  df === 'os' ? osConvFit(cfg, g) : convFit(cfg, g);

/** Busy cycles, counters and host values of the whole layer (every pass). */
export const convModel = (cfg: Buffers, df: Dataflow, g: ConvGeometry, bias: boolean) =>
  df === 'os' ? osConvModel(cfg, g, bias) : wsConvModel(cfg, g, bias);

/** The layer's passes in the dataflow (conv-passes.ts ConvPass, os-conv.ts OsConvPass). */
export function convPassList(cfg: Buffers, df: Dataflow, g: ConvGeometry): (ConvPass | OsConvPass)[] {
  const passes = df === 'os' ? osConvPasses(cfg, g) : convPasses(cfg, g);
  if (typeof passes === 'string') throw new Error(`the layer does not fit: ${passes}`);
  return passes;
}

/** Each pass's geometry (the run's own layer). */
export function convPassGeometries(cfg: Buffers, df: Dataflow, g: ConvGeometry): ConvGeometry[] {
  if (df === 'os') return (convPassList(cfg, df, g) as OsConvPass[]).map((ps) => osPassGeometry(g, ps));
  return (convPassList(cfg, df, g) as ConvPass[]).map((ps) => passGeometry(g, ps));
}

/** Each pass's counters from the access model. */
export const convPassAccess = (cfg: Buffers, df: Dataflow, g: ConvGeometry, bias: boolean): GemmCounters[] =>
  convPassGeometries(cfg, df, g).map((pg) => (df === 'os' ? osConvAccess(cfg, pg, bias) : wsConvAccess(cfg, pg, bias)));

/** SCALE-Sim's analytical estimate of the layer in the dataflow. */
export const convScaleSim = (cfg: Buffers, df: Dataflow, g: ConvGeometry) =>
  df === 'os' ? osConvScaleSimCycles(cfg, g) : convScaleSimCycles(cfg, g);
