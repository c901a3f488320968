// One quantized layer on a design's RTL, as both network flows run it
// (model.ts layer by layer; model-eie.ts for the layers before EIE's chain):
// lowered to the design's problem, simulated, raised back and checked
// bit-exact against the integer golden model; a mismatch leaves the design's
// failure report (element, PE, cycle, waveform) and stops the run. Also the
// per-layer statistics and their report rows.
import { MismatchError } from '../../golden/common/errors.js';
import type { QLayer } from '../../golden/nn/quant.js';
import { qLayerAcc } from '../../golden/nn/qforward.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { shellCommand } from '../../testbenches/common/shell.js';
import type { AnyDesign, NetworkSupport } from '../../testbenches/plugin.js';
import { failureDir, flagArgs } from '../../testbenches/reproduce.js';

export type Network = NetworkSupport<object, unknown, { cycles: number }>;

export interface LayerReport {
  name: string;
  op: 'fc' | 'conv';
  nodes: string[];
  shape: string;
  inDims: number[];
  outDims: number[];
  macs: number;
  cycles: number;
  utilization: number;
  runs: number;
  mapping: string;
  counters: Record<string, number>;
  energy?: Record<string, number>;
  bits: number;
}

export function layerShape(l: QLayer): string {
  if (l.op === 'fc') return `${l.K} -> ${l.M}`;
  const c = l.conv!;
  return `${c.C}x${c.H}x${c.W} -> ${c.M}x${c.E}x${c.F} (${c.R}x${c.S}, stride ${c.U}, pad ${c.P})`;
}

export function macsPerImage(l: QLayer): number {
  return l.op === 'fc' ? l.K * l.M : l.K * l.M * l.conv!.E * l.conv!.F;
}

/** What the RTL measured of one layer over all its runs. */
export interface LayerStats {
  l: QLayer;
  cycles: number;
  runs: number;
  counters: Record<string, number>;
  mapping: string;
}

export const newLayerStats = (l: QLayer): LayerStats => ({ l, cycles: 0, runs: 0, counters: {}, mapping: '' });

/** A layer's report row: MACs over the images, RTL cycles, utilization of `pes`, counters and energy. */
export function layerReport(
  s: LayerStats,
  images: number,
  pes: number,
  net: Network,
  cfg: object,
  mapping = s.mapping,
): LayerReport {
  const macs = macsPerImage(s.l) * images;
  return {
    name: s.l.name,
    op: s.l.op,
    nodes: s.l.nodes,
    shape: layerShape(s.l),
    inDims: s.l.inDims,
    outDims: s.l.outDims,
    macs,
    cycles: s.cycles,
    utilization: macs / (s.cycles * pes),
    runs: s.runs,
    mapping,
    counters: s.counters,
    energy: net.energy?.(cfg, s.counters),
    bits: s.l.bits,
  };
}

/** Where a failure goes and how it is reproduced. */
export interface LayerRunContext {
  design: GeneratedDesign;
  configArg: string;
  modelArg: string;
  images: number;
  batch: number;
  artifacts: string;
  /** The images of this batch, for the message. */
  where: string;
  /** The design's own flags (e.g. --dataflow). */
  flags?: Record<string, unknown>;
}

/**
 * Runs layer `l` on a batch of `bs` integer inputs `x`; returns the raw
 * accumulators (checked) and the simulation seconds, adding to `st`.
 */
export async function runLayer(
  d: AnyDesign,
  net: Network,
  cfg: object,
  l: QLayer,
  x: Int32Array,
  bs: number,
  st: LayerStats,
  c: LayerRunContext,
): Promise<{ acc: Float64Array; simSeconds: number }> {
  const problem = net.lower(cfg, l, x, bs);
  const r = await d.simulate(cfg, problem, { design: c.design, flags: c.flags });
  const acc = net.raise(cfg, l, r, bs);
  const want = qLayerAcc(l, x, bs, net.target(cfg).accWidth);
  const bad = acc.findIndex((v, i) => v !== want[i]);
  if (bad >= 0) {
    // The design's own check names the element, the PE and the cycle, and leaves the traces.
    const m = d.firstMismatch(cfg, problem, r);
    const where = `layer '${l.name}' ${c.where}`;
    if (!m)
      throw new Error(
        `${where}: the RTL output differs from the integer model at ${bad} but not from the design's golden model (a bug in golden/nn/qforward.ts)`,
      );
    const reproduce = shellCommand([
      'npx',
      'accelforge',
      'model',
      c.modelArg,
      '--design',
      d.name,
      '--config',
      c.configArg,
      '--images',
      c.images,
      '--batch',
      c.batch,
      ...flagArgs(c.flags),
    ]);
    const a = await d.failure(cfg, problem, r, m, {
      configArg: c.configArg,
      design: c.design,
      reproduce,
      dir: failureDir({ artifacts: c.artifacts }, d.name, c.design.configHash, `model-${l.name}`),
    });
    throw new MismatchError({ ...m }, `${d.name} ${c.configArg} model ${c.modelArg} ${where}\n${a.report}`);
  }
  st.cycles += r.cycles;
  st.runs++;
  st.mapping ||= net.describe(cfg, l, bs, r);
  for (const [k, v] of Object.entries(net.counters(r))) st.counters[k] = (st.counters[k] ?? 0) + v;
  return { acc, simSeconds: (r as { simSeconds?: number }).simSeconds ?? 0 };
}
