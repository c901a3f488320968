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
import type { ChainSupport, NetworkSupport } from '../../testbenches/plugin.js';
import type { EieConfig } from '../../golden/eie/config.js';
import { eieChain, type EieLayer } from '../../golden/eie/golden.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import { encodeCsc } from '../../golden/eie/format.js';
import { argmaxRows, forward, forwardAll } from '../../golden/nn/forward.js';
import { gather, imageSize, loadMnist, testSample } from '../../golden/nn/mnist.js';
import { hostOp, planChain, quantize, quantizeInput, type QNet } from '../../golden/nn/quant.js';
import { qLayerAcc, qLayerNext, qPre } from '../../golden/nn/qforward.js';
import { eieInput, quantizeEieChain, type EieFcLayer, type EieQLayer } from '../../golden/nn/eie-quant.js';
import type { CompressedModel } from '../nn/compressed.js';
import type { Graph } from '../../golden/nn/graph.js';
import { compressStats } from '../nn/compressed.js';
import { calibrationIds, modelSchema, type LayerReport } from './model.js';

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
  compression: { denseBytes: number; compressedBytes: number; huffmanBytes: number; pointerBytes: number; density: number; ratio: number };
  perImage: { cycles: number; eieCycles: number; preCycles: number };
  cycles: number;
  simSeconds: number;
  wallSeconds: number;
  checks: string[];
}

const accuracyOf = (pred: number[], labels: number[]) => pred.filter((p, i) => p === labels[i]).length / labels.length;

/** The FC chain at the end of the network and what runs before it. */
export function splitForEie(cm: CompressedModel) {
  const plan = planChain(cm.graph);
  let first = plan.layers.length;
  while (first > 0 && plan.layers[first - 1]!.compute.op !== 'Conv') first--;
  for (let i = first; i < plan.layers.length; i++) {
    if (i < plan.layers.length - 1 && plan.layers[i]!.post.length) throw new InputError(`model '${cm.model}': FC layer '${plan.layers[i]!.compute.name}' is followed by ${plan.layers[i]!.post.map((h) => h.op).join(', ')}; EIE chains FC layers on chip with nothing between them`);
  }
  return { plan, first };
}

/** EIE alone runs FC layers only: a convolution is refused with the way out. */
export function refuseConvOnEie(g: Graph, model: string): void {
  const conv = g.nodes.find((n) => n.op === 'Conv');
  if (conv) throw new InputError(`model '${model}' has a convolution ('${conv.name}'); EIE runs FC layers only. Place the convolutions on rs: --design rs,eie --config <rs config>,<eie config>`);
}

export async function runModelEie(eie: AnyDesign, eieCfg: EieConfig, cm: CompressedModel, o: EieModelOptions, pre?: { d: AnyDesign; cfg: object }): Promise<EieModelReport> {
  const t0 = performance.now();
  if (!eie.chain) throw new InputError(`design ${eie.name} cannot chain FC layers on chip`);
  const chain = eie.chain as ChainSupport<EieConfig, EieProblem>;
  const { plan, first } = splitForEie(cm);
  if (first > 0 && !pre) refuseConvOnEie(cm.graph, cm.model);
  if (first === plan.layers.length) throw new InputError(`model '${cm.model}' has no FC layers at its end for EIE`);
  const fcPlan = plan.layers.slice(first);
  if (fcPlan.length > eieCfg.maxLayers) throw new InputError(`model '${cm.model}' has ${fcPlan.length} FC layers to chain; the eie config chains at most maxLayers = ${eieCfg.maxLayers}`);
  const byName = new Map(cm.layers.map((l) => [l.name, l]));
  const fc: EieFcLayer[] = fcPlan.map((p) => {
    const l = byName.get(p.compute.name);
    if (!l || l.op !== 'fc') throw new InputError(`model '${cm.model}': layer '${p.compute.name}' has no compressed FC weights`);
    return { name: l.name, rows: l.rows, cols: l.cols, centroids: l.centroids, codes: l.codes, bias: l.bias, relu: !!p.relu };
  });
  const cap = eieCfg.pes * eieCfg.rowsPerPe;
  for (const l of fc) {
    if (l.cols > cap || l.rows > cap) throw new InputError(`layer '${l.name}' (${l.cols} -> ${l.rows}) is wider than the eie config: it holds pes x rowsPerPe = ${cap} activations and rows per layer`);
  }
  if (fc[0]!.codes.length && cm.recipe.bits > eieCfg.codebookBits) throw new InputError(`the model's codes have ${cm.recipe.bits} bits; the eie config's codebook has codebookBits = ${eieCfg.codebookBits}`);
  const mn = loadMnist();
  const calib = calibrationIds();
  const xcal = gather(calib, mn);
  const values = forwardAll(cm.graph, xcal, calib.length);
  const maxAbs = (name: string) => values.get(name)!.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  // The part before the chain (rs) uses the standard integer quantization; its last output scale feeds EIE.
  let q: QNet | undefined;
  let inScale: number;
  const preNet = pre ? (pre.d.network as NetworkSupport<object, unknown, { cycles: number }>) : undefined;
  if (pre) {
    q = quantize(cm.graph, preNet!.target(pre.cfg), xcal, calib.length);
    inScale = q.layers[first - 1]!.outScale!;
  } else {
    inScale = (maxAbs(cm.graph.input.name) || 1) / 32767;
  }
  const eq = quantizeEieChain(fc, inScale, fcPlan.map((p) => maxAbs(p.out)));
  const layers: EieLayer[] = eq.map((l) => ({ codebook: l.codebook, index: l.index, bias: l.bias, shift: l.shift, relu: l.relu }));
  const problem = { activations: [] as bigint[], layers };
  chain.check(eieCfg, { activations: Array(fc[0]!.cols).fill(0n), layers }); // memories: refused here if too small
  const ids = testSample(o.images);
  const labels = ids.map((id) => mn.labels[id]!);
  const xf = gather(ids, mn);
  const floatPred = argmaxRows(forward(cm.graph, xf, ids.length).data, ids.length);
  const eieDesign = eie.generate(eieCfg);
  const preDesign = pre?.d.generate(pre.cfg);
  const batch = Math.max(1, Math.min(o.batch ?? 200, ids.length));
  const preStats = (q?.layers.slice(0, first) ?? []).map((l) => ({ l, cycles: 0, runs: 0, counters: {} as Record<string, number>, mapping: '' }));
  const eieLayerCycles = eq.map(() => 0);
  const eieLayerEntries = eq.map(() => 0);
  let eieCycles = 0, busy = 0, simSeconds = 0;
  const golden: number[] = [], rtl: number[] = [];
  const checks: string[] = [];
  const bar = progress({ total: ids.length, unit: 'images', offTty: 'quiet', quiet: o.quiet });
  try {
    for (let b0 = 0; b0 < ids.length; b0 += batch) {
      const bs = Math.min(batch, ids.length - b0);
      const xb = xf.subarray(b0 * imageSize, (b0 + bs) * imageSize);
      let acts: bigint[][];
      if (pre && q) {
        // Convolutions on the rs RTL, each layer bit-exact against the integer model.
        let x = qPre(q, quantizeInput(q, xb), bs);
        for (let li = 0; li < first; li++) {
          const l = q.layers[li]!;
          bar.update(b0, `${pre.d.name} layer ${l.name}`);
          const prob = preNet!.lower(pre.cfg, l, x, bs);
          const r = await pre.d.simulate(pre.cfg, prob, { design: preDesign! });
          simSeconds += (r as { simSeconds?: number }).simSeconds ?? 0;
          const acc = preNet!.raise(pre.cfg, l, r, bs);
          const want = qLayerAcc(l, x, bs, preNet!.target(pre.cfg).accWidth);
          if (acc.some((v, i) => v !== want[i])) {
            const m = pre.d.firstMismatch(pre.cfg, prob, r);
            throw new MismatchError(m ?? { element: `${l.name} output`, expected: 0n, actual: 1n }, `${pre.d.name} layer '${l.name}' differs from the integer golden model`);
          }
          const st = preStats[li]!;
          st.cycles += r.cycles;
          st.runs++;
          st.mapping ||= preNet!.describe(pre.cfg, l, bs, r);
          for (const [k, v] of Object.entries(preNet!.counters(r))) st.counters[k] = (st.counters[k] ?? 0) + v;
          x = qLayerNext(l, acc, bs);
        }
        const per = x.length / bs;
        acts = Array.from({ length: bs }, (_, n) => Array.from(x.subarray(n * per, (n + 1) * per), BigInt));
      } else {
        // The image at the chain's input scale; host operations (flatten, pooling) on the integers.
        const qi = eieInput(xb, inScale).map(Number);
        let cur: { x: Int32Array; dims: number[] } = { x: Int32Array.from(qi), dims: cm.graph.input.dims.slice(1) };
        for (const h of plan.pre) cur = hostOp(h, cur.x, cur.dims, bs);
        const per = cur.x.length / bs;
        acts = Array.from({ length: bs }, (_, n) => Array.from(cur.x.subarray(n * per, (n + 1) * per), BigInt));
      }
      bar.update(b0, `eie chain of ${eq.length} layers`);
      const r = await chain.runBatch(eieCfg, problem, acts, { design: eieDesign });
      simSeconds += r.simSeconds;
      for (let n = 0; n < bs; n++) {
        const outs = eieChain(eieCfg.accWidth, acts[n]!, layers);
        const want = outs.at(-1)!, got = r.runs[n]!.b;
        const bad = want.findIndex((v, i) => v !== got[i]);
        if (bad >= 0) throw new MismatchError({ element: `b[${bad}] of image ${ids[b0 + n]}`, expected: want[bad]!, actual: got[bad]!, pe: `${bad % eieCfg.pes}` }, `eie ${o.configArg} model ${o.modelArg}: the last layer's output differs from the golden model (rerun: npx accelforge verify eie --config ${o.configArg} to localize with waveforms)`);
        golden.push(argmaxRows(want.map(Number), 1)[0]!);
        rtl.push(argmaxRows(got.map(Number), 1)[0]!);
        const run = r.runs[n]!;
        eieCycles += run.cycles;
        busy += run.pes.reduce((s, p) => s + p.entries, 0);
        run.layerCycles.forEach((c, l) => (eieLayerCycles[l]! += c));
        // Entries the walkers handle per layer: stored entries (padding too) of the columns with nonzero inputs.
        const ins = [acts[n]!, ...outs.slice(0, -1)];
        eq.forEach((_, l) => {
          const enc = encodeCsc(layers[l]!.index, eieCfg.pes, eieCfg.indexBits);
          let e = 0;
          for (const pe of enc) ins[l]!.forEach((a, j) => a !== 0n && (e += pe.p[j + 1]! - pe.p[j]!));
          eieLayerEntries[l]! += e;
        });
      }
      if (b0 === 0) {
        // Intermediate layers of the first images: the chain's prefixes on the RTL.
        const k = Math.min(4, bs);
        for (let l = 0; l < eq.length - 1; l++) {
          const pr = await chain.runBatch(eieCfg, { activations: [], layers: layers.slice(0, l + 1) }, acts.slice(0, k), { design: eieDesign });
          simSeconds += pr.simSeconds;
          for (let n = 0; n < k; n++) {
            const want = eieChain(eieCfg.accWidth, acts[n]!, layers.slice(0, l + 1)).at(-1)!;
            const bad = want.findIndex((v, i) => v !== pr.runs[n]!.b[i]);
            if (bad >= 0) throw new MismatchError({ element: `layer ${eq[l]!.name} b[${bad}] of image ${ids[n]}`, expected: want[bad]!, actual: pr.runs[n]!.b[bad]! }, `eie ${o.configArg}: layer '${eq[l]!.name}' differs from the golden model`);
          }
        }
        checks.push(`intermediate layers (${eq.slice(0, -1).map((l) => l.name).join(', ') || 'none'}) bit-exact on the first ${k} images (chain prefixes); the last layer on every image`);
      }
      bar.update(b0 + bs);
    }
  } finally {
    bar.stop();
  }
  if (busy !== eieLayerEntries.reduce((a, b) => a + b, 0)) throw new Error(`eie: the PEs handled ${busy} entries; the encoding says ${eieLayerEntries.reduce((a, b) => a + b, 0)}`);
  if (rtl.some((p, i) => p !== golden[i])) throw new Error('eie: RTL predictions differ from the golden model although every output matched');
  const stats = compressStats(cm);
  const n = ids.length;
  const preLayers: LayerReport[] = preStats.map((s) => {
    const macs = (s.l.op === 'fc' ? s.l.K * s.l.M : s.l.K * s.l.M * s.l.conv!.E * s.l.conv!.F) * n;
    return { name: s.l.name, op: s.l.op, nodes: s.l.nodes, shape: s.l.op === 'conv' ? `${s.l.conv!.C}x${s.l.conv!.H}x${s.l.conv!.W} -> ${s.l.M}x${s.l.conv!.E}x${s.l.conv!.F}` : `${s.l.K} -> ${s.l.M}`, inDims: s.l.inDims, outDims: s.l.outDims, macs, cycles: s.cycles, utilization: macs / (s.cycles * pre!.d.pes(pre!.cfg)), runs: s.runs, mapping: `${pre!.d.name}: ${s.mapping}`, counters: s.counters, energy: preNet!.energy?.(pre!.cfg, s.counters), bits: s.l.bits };
  });
  const eieLayers = eq.map((l, i) => {
    const st = stats.layers.find((x) => x.name === l.name)!;
    return {
      name: l.name, op: 'fc' as const, nodes: [l.name], shape: `${fc[i]!.cols} -> ${fc[i]!.rows}`, inDims: [fc[i]!.cols], outDims: [fc[i]!.rows],
      macs: eieLayerEntries[i]!, cycles: eieLayerCycles[i]!, utilization: eieLayerEntries[i]! / (eieLayerCycles[i]! * eieCfg.pes), runs: Math.ceil(n / batch),
      mapping: `eie: shift ${l.shift}, ${eieCfg.pes} PEs, density ${(100 * st.density).toFixed(1)} %`, counters: {}, bits: cm.recipe.bits,
      loadEfficiency: eieLayerEntries[i]! / (eieLayerCycles[i]! * eieCfg.pes), shift: l.shift, density: st.density,
    };
  });
  const preCycles = preLayers.reduce((s, l) => s + l.cycles, 0);
  return {
    schema: modelSchema,
    design: pre ? `${pre.d.name},eie` : 'eie',
    config: o.configArg,
    model: o.modelArg,
    imageIds: ids,
    labels,
    predictions: rtl,
    goldenPredictions: golden,
    floatPredictions: floatPred,
    floatAccuracy: accuracyOf(floatPred, labels),
    quantizedAccuracy: accuracyOf(golden, labels),
    accuracy: accuracyOf(rtl, labels),
    layers: [...preLayers, ...eieLayers],
    compression: { denseBytes: stats.totals.denseBytes, compressedBytes: stats.totals.compressedBytes, huffmanBytes: stats.totals.huffmanBytes, pointerBytes: stats.totals.pointerBytes, density: stats.totals.density, ratio: stats.ratios.huffman },
    perImage: { cycles: (eieCycles + preCycles) / n, eieCycles: eieCycles / n, preCycles: preCycles / n },
    cycles: eieCycles + preCycles,
    simSeconds,
    wallSeconds: (performance.now() - t0) / 1000,
    checks,
  };
}

export type { EieQLayer };
