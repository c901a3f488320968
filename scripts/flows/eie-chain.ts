// EIE's FC chain over a batch of images (model-eie.ts): the layers before the
// chain on their design's RTL, the chain's input on the host side, one batch
// through the chain with every image's last layer checked, the chain's
// prefixes for the intermediate layers, and the entries the walkers handled.
import { MismatchError } from '../../golden/common/errors.js';
import type { AnyDesign } from '../../testbenches/registry.js';
import type { ChainSupport } from '../../testbenches/plugin.js';
import type { EieConfig } from '../../golden/eie/config.js';
import { eieChain, type EieLayer } from '../../golden/eie/golden.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import { encodeCsc } from '../../golden/eie/format.js';
import { argmaxRows } from '../../golden/nn/forward.js';
import { quantizeInput, type QNet } from '../../golden/nn/quant.js';
import { hostOp, planChain } from '../../golden/nn/chain.js';
import { qLayerNext, qPre } from '../../golden/nn/qforward.js';
import { eieInput } from '../../golden/nn/eie-quant.js';
import type { CompressedModel } from '../nn/compressed.js';
import { runLayer, type LayerRunContext, type LayerStats, type Network } from './layer-run.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import type { EieModelOptions } from './model-eie.js';
/** Entries the walkers handle in each layer for one input: stored entries (padding too) of the columns with nonzero inputs. */
export function chainEntries(cfg: EieConfig, layers: EieLayer[], ins: bigint[][]): number[] {
  return layers.map((layer, l) => {
    let e = 0;
    for (const pe of encodeCsc(layer.index, cfg.pes, cfg.indexBits))
      ins[l]!.forEach((a, j) => a !== 0n && (e += pe.p[j + 1]! - pe.p[j]!));
    return e;
  });
}

export interface EieRunState {
  preStats: LayerStats[];
  layerCycles: number[];
  layerEntries: number[];
  eieCycles: number;
  busy: number;
  simSeconds: number;
  golden: number[];
  rtl: number[];
}

/** The chain's prefixes on the RTL for the first images: the engine reads back only the last layer, so this checks the others. */
export async function checkPrefixes(
  chain: ChainSupport<EieConfig, EieProblem>,
  cfg: EieConfig,
  design: GeneratedDesign,
  layers: EieLayer[],
  names: string[],
  acts: bigint[][],
  ids: number[],
  st: EieRunState,
): Promise<string> {
  const k = Math.min(4, acts.length);
  for (let l = 0; l < layers.length - 1; l++) {
    const pr = await chain.runBatch(cfg, { activations: [], layers: layers.slice(0, l + 1) }, acts.slice(0, k), {
      design,
    });
    st.simSeconds += pr.simSeconds;
    for (let n = 0; n < k; n++) {
      const want = eieChain(cfg.accWidth, acts[n]!, layers.slice(0, l + 1)).at(-1)!;
      const bad = want.findIndex((v, i) => v !== pr.runs[n]!.b[i]);
      if (bad >= 0)
        throw new MismatchError(
          {
            element: `layer ${names[l]} b[${bad}] of image ${ids[n]}`,
            expected: want[bad]!,
            actual: pr.runs[n]!.b[bad]!,
          },
          `eie: layer '${names[l]}' differs from the golden model`,
        );
    }
  }
  return `intermediate layers (${names.slice(0, -1).join(', ') || 'none'}) bit-exact on the first ${k} images (chain prefixes); the last layer on every image`;
}

/** One batch through the chain: every image's last layer against the golden model. */
export async function runChainBatch(
  chain: ChainSupport<EieConfig, EieProblem>,
  cfg: EieConfig,
  design: GeneratedDesign,
  layers: EieLayer[],
  acts: bigint[][],
  ids: number[],
  o: EieModelOptions,
  st: EieRunState,
): Promise<void> {
  const r = await chain.runBatch(cfg, { activations: [], layers }, acts, { design });
  st.simSeconds += r.simSeconds;
  acts.forEach((a, n) => {
    const outs = eieChain(cfg.accWidth, a, layers);
    const want = outs.at(-1)!,
      run = r.runs[n]!;
    const bad = want.findIndex((v, i) => v !== run.b[i]);
    if (bad >= 0)
      throw new MismatchError(
        { element: `b[${bad}] of image ${ids[n]}`, expected: want[bad]!, actual: run.b[bad]!, pe: `${bad % cfg.pes}` },
        `eie ${o.configArg} model ${o.modelArg}: the last layer's output differs from the golden model (rerun: npx accelforge verify eie --config ${o.configArg} to localize with waveforms)`,
      );
    st.golden.push(argmaxRows(want.map(Number), 1)[0]!);
    st.rtl.push(argmaxRows(run.b.map(Number), 1)[0]!);
    st.eieCycles += run.cycles;
    st.busy += run.pes.reduce((s, p) => s + p.entries, 0);
    run.layerCycles.forEach((c, l) => (st.layerCycles[l]! += c));
    chainEntries(cfg, layers, [a, ...outs.slice(0, -1)]).forEach((e, l) => (st.layerEntries[l]! += e));
  });
}

/** The layers before the chain on their design's RTL (each bit-exact), then the activations EIE takes. */
export async function preLayers(
  pre: { d: AnyDesign; cfg: object },
  net: Network,
  q: QNet,
  first: number,
  xb: Float32Array,
  bs: number,
  ctx: LayerRunContext,
  st: EieRunState,
  status: (layer: string) => void,
): Promise<bigint[][]> {
  let x = qPre(q, quantizeInput(q, xb), bs);
  for (let li = 0; li < first; li++) {
    const l = q.layers[li]!;
    status(l.name);
    const { acc, simSeconds } = await runLayer(pre.d, net, pre.cfg, l, x, bs, st.preStats[li]!, ctx);
    st.simSeconds += simSeconds;
    x = qLayerNext(l, acc, bs);
  }
  const per = x.length / bs;
  return Array.from({ length: bs }, (_, n) => Array.from(x.subarray(n * per, (n + 1) * per), BigInt));
}

/** The image at the chain's input scale; host operations (flatten, pooling) on the integers. */
export function chainInput(
  cm: CompressedModel,
  plan: ReturnType<typeof planChain>,
  xb: Float32Array,
  bs: number,
  inScale: number,
): bigint[][] {
  let cur: { x: Int32Array; dims: number[] } = {
    x: Int32Array.from(eieInput(xb, inScale).map(Number)),
    dims: cm.graph.input.dims.slice(1),
  };
  for (const h of plan.pre) cur = hostOp(h, cur.x, cur.dims, bs);
  const per = cur.x.length / bs;
  return Array.from({ length: bs }, (_, n) => Array.from(cur.x.subarray(n * per, (n + 1) * per), BigInt));
}
