// Compressed networks on EIE (`model ... --design eie` and `--design rs,eie`):
// the model is Deep-Compressed (nn/compressed.ts, cached), its FC chain
// quantized to EIE's fixed point (nn/eie-quant.ts) and run on the EIE RTL
// chained in hardware (shift, ReLU, sat16 between layers on chip). With
// `rs,eie` the layers before the FC chain (convolutions) run on the rs RTL
// first (flows/model.ts's per-layer path); the host side only rescales,
// pools and flattens in between. Checks: every image's last-layer outputs
// against the golden model (designs/eie/golden.ts); every layer of the first
// images by running the chain's prefixes (the engine reads back only the
// last layer); RTL predictions identical to the golden's.
import { InputError, MismatchError } from '../../golden/common/errors.js';
import { progress } from '../lib/progress.js';
import type { AnyDesign } from '../../testbenches/registry.js';
import type { ChainSupport } from '../../testbenches/plugin.js';
import type { EieConfig } from '../../golden/eie/config.js';
import { eieChain, type EieLayer } from '../../golden/eie/golden.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import { encodeCsc } from '../../golden/eie/format.js';
import { argmaxRows, forward, forwardAll } from '../../golden/nn/forward.js';
import { gather, imageSize, loadMnist, testSample } from '../../golden/nn/mnist.js';
import { hostOp, planChain, quantize, quantizeInput, type QNet } from '../../golden/nn/quant.js';
import { qLayerNext, qPre } from '../../golden/nn/qforward.js';
import { eieInput, quantizeEieChain, type EieFcLayer, type EieQLayer } from '../../golden/nn/eie-quant.js';
import type { CompressedModel } from '../nn/compressed.js';
import type { Graph } from '../../golden/nn/graph.js';
import { compressStats } from '../nn/compressed.js';
import { accuracyOf, calibrationIds, modelSchema, type LayerReport } from './model.js';
import {
  layerReport,
  newLayerStats,
  runLayer,
  type LayerRunContext,
  type LayerStats,
  type Network,
} from './layer-run.js';
import type { GeneratedDesign } from '../../generators/common/design.js';

export interface EieModelOptions {
  images: number;
  batch?: number;
  artifacts: string;
  configArg: string;
  modelArg: string;
  quiet?: boolean;
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
  compression: {
    denseBytes: number;
    compressedBytes: number;
    huffmanBytes: number;
    pointerBytes: number;
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
  if (fc[0]!.codes.length && cm.recipe.bits > eieCfg.codebookBits)
    throw new InputError(
      `the model's codes have ${cm.recipe.bits} bits; the eie config's codebook has codebookBits = ${eieCfg.codebookBits}`,
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

/** Entries the walkers handle in each layer for one input: stored entries (padding too) of the columns with nonzero inputs. */
function chainEntries(cfg: EieConfig, layers: EieLayer[], ins: bigint[][]): number[] {
  return layers.map((layer, l) => {
    let e = 0;
    for (const pe of encodeCsc(layer.index, cfg.pes, cfg.indexBits))
      ins[l]!.forEach((a, j) => a !== 0n && (e += pe.p[j + 1]! - pe.p[j]!));
    return e;
  });
}

interface EieRunState {
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
async function checkPrefixes(
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
async function runChainBatch(
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
  const mn = loadMnist();
  const ids = testSample(o.images);
  const labels = ids.map((id) => mn.labels[id]!);
  const xf = gather(ids, mn);
  const floatPred = argmaxRows(forward(cm.graph, xf, ids.length).data, ids.length);
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

/** The layers before the chain on their design's RTL (each bit-exact), then the activations EIE takes. */
async function preLayers(
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
function chainInput(
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
  const stats = compressStats(cm);
  const n = x.ids.length;
  const preLayers = st.preStats.map((s) =>
    layerReport(s, n, x.pre!.d.pes(x.pre!.cfg), x.preNet!, x.pre!.cfg, `${x.pre!.d.name}: ${s.mapping}`),
  );
  const eieLayers = eq.map((l, i) => {
    const density = stats.layers.find((y) => y.name === l.name)!.density;
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
      bits: cm.recipe.bits,
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
      denseBytes: stats.totals.denseBytes,
      compressedBytes: stats.totals.compressedBytes,
      huffmanBytes: stats.totals.huffmanBytes,
      pointerBytes: stats.totals.pointerBytes,
      density: stats.totals.density,
      ratio: stats.ratios.huffman,
    },
    perImage: { cycles: (st.eieCycles + preCycles) / n, eieCycles: st.eieCycles / n, preCycles: preCycles / n },
    cycles: st.eieCycles + preCycles,
    simSeconds: st.simSeconds,
    wallSeconds: (performance.now() - x.t0) / 1000,
    checks: x.checks,
  };
}

export type { EieQLayer };
