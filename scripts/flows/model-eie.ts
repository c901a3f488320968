// Compressed networks on EIE (`model ... --design eie` and `--design rs,eie`):
// the model is Deep-Compressed (nn/compressed.ts, cached), its FC chain
// quantized to EIE's fixed point (nn/eie-quant.ts) and run on the EIE RTL
// chained in hardware (shift, ReLU, sat16 between layers on chip). With
// `rs,eie` the layers before the FC chain (convolutions) run on the rs RTL
// first (flows/model.ts's per-layer path); the host side only rescales,
// pools and flattens in between. Checks: every image's last-layer outputs
// against the golden model (golden/eie/golden.ts); every layer of the first
// images by running the chain's prefixes (the engine reads back only the
// last layer); RTL predictions identical to the golden's.
import { InputError } from '../../golden/common/errors.js';
import { progress } from '../lib/progress.js';
import type { AnyDesign } from '../../testbenches/registry.js';
import type { ChainSupport } from '../../testbenches/plugin.js';
import type { EieConfig } from '../../golden/eie/config.js';
import { type EieLayer } from '../../golden/eie/golden.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import { forwardAll } from '../../golden/nn/forward.js';
import { gather, imageSize, loadMnist } from '../../golden/nn/mnist.js';
import { quantize } from '../../golden/nn/quant.js';
import { planChain } from '../../golden/nn/chain.js';
import { quantizeEieChain, type EieFcLayer, type EieQLayer } from '../../golden/nn/eie-quant.js';
import type { CompressedModel } from '../nn/compressed.js';
import { parameterCount, type Graph } from '../../golden/nn/graph.js';
import { encodeContainer } from '../../golden/nn/container.js';
import { accuracyOf, calibrationIds, modelSchema, testSet, type LayerReport } from './model.js';
import { layerReport, newLayerStats, type Network } from './layer-run.js';
import { chainInput, checkPrefixes, preLayers, runChainBatch, type EieRunState } from './eie-chain.js';

export interface EieModelOptions {
  images: number;
  batch?: number;
  artifacts: string;
  configArg: string;
  modelArg: string;
  quiet?: boolean;
  /** The flags of the design before the chain (e.g. --dataflow). */
  flags?: Record<string, unknown>;
}

export interface EieModelReport {
  schema: string;
  design: string;
  config: string;
  model: string;
  imageIds: number[];
  labels: number[];
  predictions: number[];
  goldenPredictions: number[];
  floatPredictions: number[];
  floatAccuracy: number;
  quantizedAccuracy: number;
  accuracy: number;
  layers: (LayerReport & { loadEfficiency?: number; shift?: number; density?: number })[];
  /** The container (model.afz) the run read: dense float32 bytes over its size. */
  compression: {
    denseBytes: number;
    containerBytes: number;
    density: number;
    ratio: number;
  };
  perImage: { cycles: number; eieCycles: number; preCycles: number };
  cycles: number;
  simSeconds: number;
  wallSeconds: number;
  checks: string[];
}

/** The FC chain at the end of the network and what runs before it. */
export function splitForEie(cm: CompressedModel) {
  const plan = planChain(cm.graph);
  let first = plan.layers.length;
  while (first > 0 && plan.layers[first - 1]!.compute.op !== 'Conv') first--;
  for (let i = first; i < plan.layers.length; i++) {
    if (i < plan.layers.length - 1 && plan.layers[i]!.post.length)
      throw new InputError(
        `model '${cm.model}': FC layer '${plan.layers[i]!.compute.name}' is followed by ${plan.layers[i]!.post.map((h) => h.op).join(', ')}; EIE chains FC layers on chip with nothing between them`,
      );
  }
  return { plan, first };
}

/** EIE alone runs FC layers only: a convolution is refused with the way out. */
export function refuseConvOnEie(g: Graph, model: string): void {
  const conv = g.nodes.find((n) => n.op === 'Conv');
  if (conv)
    throw new InputError(
      `model '${model}' has a convolution ('${conv.name}'); EIE runs FC layers only. Place the convolutions on rs: --design rs,eie --config <rs config>,<eie config>`,
    );
}

/** The FC chain of a compressed model as EIE runs it, checked against the configuration. */
function fcChain(cm: CompressedModel, eieCfg: EieConfig, hasPre: boolean) {
  const { plan, first } = splitForEie(cm);
  if (first > 0 && !hasPre) refuseConvOnEie(cm.graph, cm.model);
  if (first === plan.layers.length) throw new InputError(`model '${cm.model}' has no FC layers at its end for EIE`);
  const fcPlan = plan.layers.slice(first);
  if (fcPlan.length > eieCfg.maxLayers)
    throw new InputError(
      `model '${cm.model}' has ${fcPlan.length} FC layers to chain; the eie config chains at most maxLayers = ${eieCfg.maxLayers}`,
    );
  const byName = new Map(cm.layers.map((l) => [l.name, l]));
  const fc: EieFcLayer[] = fcPlan.map((p) => {
    const l = byName.get(p.compute.name);
    if (!l || l.op !== 'fc')
      throw new InputError(`model '${cm.model}': layer '${p.compute.name}' has no compressed FC weights`);
    return {
      name: l.name,
      rows: l.rows,
      cols: l.cols,
      centroids: l.centroids,
      codes: l.codes,
      bias: l.bias,
      relu: !!p.relu,
    };
  });
  const cap = eieCfg.pes * eieCfg.rowsPerPe;
  for (const l of fc) {
    if (l.cols > cap || l.rows > cap)
      throw new InputError(
        `layer '${l.name}' (${l.cols} -> ${l.rows}) is wider than the eie config: it holds pes x rowsPerPe = ${cap} activations and rows per layer`,
      );
  }
  const wide = cm.layers.find((l) => l.op === 'fc' && l.codeBits > eieCfg.codebookBits);
  if (wide)
    throw new InputError(
      `layer '${wide.name}' of the model has ${wide.codeBits}-bit codes; the eie config's codebook has codebookBits = ${eieCfg.codebookBits}`,
    );
  return { plan, first, fcPlan, fc };
}

/** Quantization: the layers before the chain in the standard integer form (their last output scale feeds EIE), the chain in EIE's fixed point. */
function quantizeForEie(
  cm: CompressedModel,
  chain: ReturnType<typeof fcChain>,
  preNet: Network | undefined,
  preCfg: object | undefined,
) {
  const calib = calibrationIds();
  const xcal = gather(calib, loadMnist());
  const values = forwardAll(cm.graph, xcal, calib.length);
  const maxAbs = (name: string) => values.get(name)!.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const q = preNet ? quantize(cm.graph, preNet.target(preCfg!), xcal, calib.length) : undefined;
  const inScale = q ? q.layers[chain.first - 1]!.outScale! : (maxAbs(cm.graph.input.name) || 1) / 32767;
  const eq = quantizeEieChain(
    chain.fc,
    inScale,
    chain.fcPlan.map((p) => maxAbs(p.out)),
  );
  const layers: EieLayer[] = eq.map((l) => ({
    codebook: l.codebook,
    index: l.index,
    bias: l.bias,
    shift: l.shift,
    relu: l.relu,
  }));
  return { q, inScale, eq, layers };
}

export async function runModelEie(
  eie: AnyDesign,
  eieCfg: EieConfig,
  cm: CompressedModel,
  o: EieModelOptions,
  pre?: { d: AnyDesign; cfg: object },
): Promise<EieModelReport> {
  const t0 = performance.now();
  if (!eie.chain) throw new InputError(`design ${eie.name} cannot chain FC layers on chip`);
  const chain = eie.chain as ChainSupport<EieConfig, EieProblem>;
  const fcs = fcChain(cm, eieCfg, pre !== undefined);
  const preNet: Network | undefined = pre?.d.network;
  const { q, inScale, eq, layers } = quantizeForEie(cm, fcs, preNet, pre?.cfg);
  chain.check(eieCfg, { activations: Array<bigint>(fcs.fc[0]!.cols).fill(0n), layers }); // memories: refused here if too small
  const { ids, labels, xf, floatPred } = testSet(cm.graph, o.images);
  const eieDesign = eie.generate(eieCfg);
  const preDesign = pre?.d.generate(pre.cfg);
  const batch = Math.max(1, Math.min(o.batch ?? 200, ids.length));
  const st: EieRunState = {
    preStats: (q?.layers.slice(0, fcs.first) ?? []).map(newLayerStats),
    layerCycles: eq.map(() => 0),
    layerEntries: eq.map(() => 0),
    eieCycles: 0,
    busy: 0,
    simSeconds: 0,
    golden: [],
    rtl: [],
  };
  const checks: string[] = [];
  const bar = progress({ total: ids.length, unit: 'images', offTty: 'quiet', quiet: o.quiet });
  try {
    for (let b0 = 0; b0 < ids.length; b0 += batch) {
      const bs = Math.min(batch, ids.length - b0);
      const xb = xf.subarray(b0 * imageSize, (b0 + bs) * imageSize);
      const ctx = {
        design: preDesign!,
        configArg: o.configArg,
        modelArg: o.modelArg,
        images: o.images,
        batch,
        artifacts: o.artifacts,
        where: `images ${bs} from id ${ids[b0]}`,
        flags: o.flags,
      };
      const acts =
        pre && q
          ? await preLayers(pre, preNet!, q, fcs.first, xb, bs, ctx, st, (l) =>
              bar.update(b0, `${pre.d.name} layer ${l}`),
            )
          : chainInput(cm, fcs.plan, xb, bs, inScale);
      bar.update(b0, `eie chain of ${eq.length} layers`);
      await runChainBatch(chain, eieCfg, eieDesign, layers, acts, ids.slice(b0, b0 + bs), o, st);
      if (b0 === 0)
        checks.push(
          await checkPrefixes(
            chain,
            eieCfg,
            eieDesign,
            layers,
            eq.map((l) => l.name),
            acts,
            ids,
            st,
          ),
        );
      bar.update(b0 + bs);
    }
  } finally {
    bar.stop();
  }
  if (st.busy !== st.layerEntries.reduce((a, b) => a + b, 0))
    throw new Error(
      `eie: the PEs handled ${st.busy} entries; the encoding says ${st.layerEntries.reduce((a, b) => a + b, 0)}`,
    );
  if (st.rtl.some((p, i) => p !== st.golden[i]))
    throw new Error('eie: RTL predictions differ from the golden model although every output matched');
  return eieReport(cm, eieCfg, fcs.fc, eq, st, { ids, labels, floatPred, batch, checks, t0, o, pre, preNet });
}

interface ReportInputs {
  ids: number[];
  labels: number[];
  floatPred: number[];
  batch: number;
  checks: string[];
  t0: number;
  o: EieModelOptions;
  pre?: { d: AnyDesign; cfg: object };
  preNet?: Network;
}

function eieReport(
  cm: CompressedModel,
  cfg: EieConfig,
  fc: EieFcLayer[],
  eq: EieQLayer[],
  st: EieRunState,
  x: ReportInputs,
): EieModelReport {
  const size = encodeContainer(cm).size.total;
  const kept = (l: CompressedModel['layers'][0]) =>
    l.codes.reduce((s, r) => s + r.reduce((a, c) => a + (c ? 1 : 0), 0), 0);
  const densityOf = (name: string) => {
    const l = cm.layers.find((y) => y.name === name)!;
    return kept(l) / (l.rows * l.cols);
  };
  const weights = cm.layers.reduce((s, l) => s + l.rows * l.cols, 0);
  const denseBytes = 4 * parameterCount(cm.graph);
  const n = x.ids.length;
  const preLayers = st.preStats.map((s) =>
    layerReport(s, n, x.pre!.d.pes(x.pre!.cfg), x.preNet!, x.pre!.cfg, `${x.pre!.d.name}: ${s.mapping}`),
  );
  const eieLayers = eq.map((l, i) => {
    const density = densityOf(l.name);
    const loadEfficiency = st.layerEntries[i]! / (st.layerCycles[i]! * cfg.pes);
    return {
      name: l.name,
      op: 'fc' as const,
      nodes: [l.name],
      shape: `${fc[i]!.cols} -> ${fc[i]!.rows}`,
      inDims: [fc[i]!.cols],
      outDims: [fc[i]!.rows],
      macs: st.layerEntries[i]!,
      cycles: st.layerCycles[i]!,
      utilization: loadEfficiency,
      runs: Math.ceil(n / x.batch),
      mapping: `eie: shift ${l.shift}, ${cfg.pes} PEs, density ${(100 * density).toFixed(1)} %`,
      counters: {},
      bits: cm.layers.find((y) => y.name === l.name)!.codeBits,
      loadEfficiency,
      shift: l.shift,
      density,
    };
  });
  const preCycles = preLayers.reduce((s, l) => s + l.cycles, 0);
  return {
    schema: modelSchema,
    design: x.pre ? `${x.pre.d.name},eie` : 'eie',
    config: x.o.configArg,
    model: x.o.modelArg,
    imageIds: x.ids,
    labels: x.labels,
    predictions: st.rtl,
    goldenPredictions: st.golden,
    floatPredictions: x.floatPred,
    floatAccuracy: accuracyOf(x.floatPred, x.labels),
    quantizedAccuracy: accuracyOf(st.golden, x.labels),
    accuracy: accuracyOf(st.rtl, x.labels),
    layers: [...preLayers, ...eieLayers],
    compression: {
      denseBytes,
      containerBytes: size,
      density: cm.layers.reduce((s, l) => s + kept(l), 0) / weights,
      ratio: denseBytes / size,
    },
    perImage: { cycles: (st.eieCycles + preCycles) / n, eieCycles: st.eieCycles / n, preCycles: preCycles / n },
    cycles: st.eieCycles + preCycles,
    simSeconds: st.simSeconds,
    wallSeconds: (performance.now() - x.t0) / 1000,
    checks: x.checks,
  };
}

export type { EieQLayer };
