// `accelforge model`: a trained network on the RTL of a design. The network
// is quantized to the design's numerics (nn/quant.ts), each layer is lowered
// to the design's problem (the design's NetworkSupport) and run on the
// simulator batch by batch; every layer's raw output is checked bit-exact
// against the integer golden model as it comes out of the RTL, and the host
// side only requantizes, pools and reshapes between layers. It reports per
// layer the RTL's cycles and counters, and float, quantized and RTL accuracy.
import { InputError, MismatchError } from '../../golden/common/errors.js';
import { claimDir } from '../../testbenches/common/output.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { progress } from '../lib/progress.js';
import type { AnyDesign } from '../../testbenches/registry.js';
import type { NetworkSupport } from '../../testbenches/plugin.js';
import { layerReport, layerShape, newLayerStats, runLayer, type LayerReport, type Network } from './layer-run.js';
import type { Graph } from '../../golden/nn/graph.js';
import { argmaxRows, forward } from '../../golden/nn/forward.js';
import { gather, imageSize, loadMnist, splitIds, testSample } from '../../golden/nn/mnist.js';
import { checkMnistInput } from '../../golden/nn/check-graph.js';
import { quantize, quantizeInput, type QLayer, type QNet } from '../../golden/nn/quant.js';
import { qForward, qLayerNext, qPre } from '../../golden/nn/qforward.js';

export type { LayerReport };

export const modelSchema = 'accelforge.model/1';

export interface ModelOptions {
  images: number;
  batch?: number;
  dump?: string;
  artifacts: string;
  configArg: string;
  modelArg: string;
  log: (line: string) => void;
  /** No progress bar (machine-readable output, tests). */
  quiet?: boolean;
  /** The design's own flags (e.g. --dataflow auto: each layer in the faster dataflow). */
  flags?: Record<string, unknown>;
  /** A network variant of the design (ws: 'im2col', 'auto'); default its own mapping. */
  conv?: 'native' | 'im2col' | 'auto';
}

export interface ModelReport {
  schema: string;
  design: string;
  config: string;
  configHash: string;
  model: string;
  imageIds: number[];
  labels: number[];
  predictions: number[];
  goldenPredictions: number[];
  floatPredictions: number[];
  floatAccuracy: number;
  quantizedAccuracy: number;
  accuracy: number;
  layers: LayerReport[];
  quantization: {
    inputScale: number;
    inputBits: number;
    layers: { name: string; bits: number; inScale: number; outScale?: number; requantShift?: number }[];
  };
  cycles: number;
  simSeconds: number;
  wallSeconds: number;
  batch: number;
}

/** Calibration images: 500 training images spread over the split (never test images). */
export function calibrationIds(count = 500): number[] {
  const { train } = splitIds();
  const step = train.length / count;
  return Array.from({ length: count }, (_, i) => train[Math.floor(i * step)]!);
}

export const accuracyOf = (pred: number[], labels: number[]) =>
  pred.filter((p, i) => p === labels[i]).length / labels.length;

/** Quantizes a graph for a design's numerics (calibrated on training images). */
export function quantizeFor(net: NetworkSupport<object, unknown, { cycles: number }>, cfg: object, g: Graph): QNet {
  const calib = calibrationIds();
  return quantize(g, net.target(cfg), gather(calib), calib.length);
}

/** Checks every layer fits the design before anything runs. */
export function checkLayers(d: AnyDesign, cfg: object, q: QNet): void {
  const net = d.network!;
  for (const l of q.layers) {
    const why = net.refuse(cfg, l);
    if (why) throw new InputError(`layer '${l.name}' (${l.op} ${layerShape(l)}) cannot run on ${d.name}: ${why}`);
  }
}

/** The test images of a run: ids, labels, float pixels and the float model's predictions. */
export function testSet(g: Graph, images: number) {
  const ids = testSample(images);
  const mn = loadMnist();
  const xf = gather(ids, mn);
  return {
    ids,
    labels: ids.map((id) => mn.labels[id]!),
    xf,
    floatPred: argmaxRows(forward(g, xf, ids.length).data, ids.length),
  };
}

/** What --dump writes of a layer: the first images' integer inputs and raw RTL outputs, the integer weights and bias. */
function dumpLayer(l: QLayer, li: number, x: Int32Array, acc: Float64Array, ids: number[]): Record<string, unknown> {
  const n = Math.min(ids.length, 4);
  const per = (arr: ArrayLike<number>, size: number) =>
    Array.from({ length: n }, (_, i) => Array.from({ length: size }, (_, j) => arr[i * size + j]!));
  const inSize = l.inDims.reduce((p, c) => p * c, 1),
    outSize = l.outDims.reduce((p, c) => p * c, 1);
  return {
    layer: li,
    name: l.name,
    nodes: l.nodes,
    op: l.op,
    inDims: l.inDims,
    outDims: l.outDims,
    K: l.K,
    M: l.M,
    conv: l.conv,
    relu: l.relu,
    bits: l.bits,
    imageIds: ids.slice(0, n),
    input: per(x, inSize),
    weights: Array.from({ length: l.M }, (_, m) => Array.from(l.w.subarray(m * l.K, (m + 1) * l.K))),
    bias: l.bias.map(String),
    output: per(acc, outSize),
    requant: l.requant
      ? { mult: l.requant.mult.map(String), shift: l.requant.shift, qmax: 2 ** (l.bits - 1) - 1 }
      : undefined,
    post: l.post,
  };
}

function writeDump(dir: string, q: QNet, layers: Record<string, unknown>[], head: Record<string, unknown>): void {
  const dump = claimDir('--dump', dir, 'model-dump');
  layers.forEach((j, i) => {
    const name = `layer${i + 1}-${q.layers[i]!.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
    dump.add(name);
    writeFileSync(join(dump.dir, name), JSON.stringify(j) + '\n');
  });
  dump.add('model.json');
  writeFileSync(
    join(dump.dir, 'model.json'),
    JSON.stringify(
      { ...head, inputScale: q.inputScale, inputBits: q.inputBits, pre: q.pre, layers: q.layers.map((l) => l.name) },
      null,
      2,
    ) + '\n',
  );
}

/** Every batch of images through every layer on the RTL, each layer checked as it comes out. */
async function runBatches(
  d: AnyDesign,
  net: Network,
  cfg: object,
  q: QNet,
  xq: Int32Array,
  ids: number[],
  batch: number,
  o: ModelOptions,
) {
  const design = d.generate(cfg);
  const stats = q.layers.map(newLayerStats);
  const rtlPred: number[] = [];
  const dumped: Record<string, unknown>[] = [];
  let simSeconds = 0;
  const bar = progress({ total: ids.length, unit: 'images', offTty: 'quiet', quiet: o.quiet });
  try {
    for (let b0 = 0; b0 < ids.length; b0 += batch) {
      const bs = Math.min(batch, ids.length - b0);
      let x = qPre(q, xq.subarray(b0 * imageSize, (b0 + bs) * imageSize), bs);
      for (const [li, l] of q.layers.entries()) {
        bar.update(b0, `layer ${li + 1}/${q.layers.length} ${l.name}`);
        const ctx = {
          design,
          configArg: o.configArg,
          modelArg: o.modelArg,
          images: o.images,
          batch,
          artifacts: o.artifacts,
          where: `(layer ${li + 1}) images ${bs} from id ${ids[b0]}`,
          flags: o.flags,
        };
        const { acc, simSeconds: s } = await runLayer(d, net, cfg, l, x, bs, stats[li]!, ctx);
        simSeconds += s;
        if (o.dump && b0 === 0) dumped.push(dumpLayer(l, li, x, acc, ids));
        if (li === q.layers.length - 1) rtlPred.push(...argmaxRows(acc, bs));
        else x = qLayerNext(l, acc, bs);
      }
      bar.update(b0 + bs);
    }
  } finally {
    bar.stop();
  }
  return { design, stats, rtlPred, dumped, simSeconds };
}

export async function runModel(d: AnyDesign, cfg: object, g: Graph, o: ModelOptions): Promise<ModelReport> {
  const t0 = performance.now();
  const net = o.conv && o.conv !== 'native' ? d.networkVariants?.[o.conv] : d.network;
  if (!net)
    throw new InputError(`design ${d.name} cannot run network layers; use --design ${['ws', 'os', 'rs'].join(', ')}`);
  checkMnistInput(g, o.modelArg);
  const q = quantizeFor(net, cfg, g);
  checkLayers(d, cfg, q);
  const accWidth = net.target(cfg).accWidth;
  const { ids, labels, xf, floatPred } = testSet(g, o.images);
  const xq = quantizeInput(q, xf);
  const goldenPred = argmaxRows(qForward(q, xq, ids.length, accWidth), ids.length);
  const batch = Math.max(1, Math.min(o.batch ?? 200, ids.length));
  const run = await runBatches(d, net, cfg, q, xq, ids, batch, o);
  if (o.dump) writeDump(o.dump, q, run.dumped, { model: o.modelArg, design: d.name, config: o.configArg, accWidth });
  if (run.rtlPred.some((p, i) => p !== goldenPred[i]))
    throw new MismatchError(
      { element: 'predictions', expected: 0n, actual: 1n },
      "the RTL predictions differ from the integer golden model's although every layer matched (a bug in the flow)",
    );
  const layers = run.stats.map((s) => layerReport(s, ids.length, d.pes(cfg), net, cfg));
  return {
    schema: modelSchema,
    design: d.name,
    config: o.configArg,
    configHash: run.design.configHash,
    model: o.modelArg,
    imageIds: ids,
    labels,
    predictions: run.rtlPred,
    goldenPredictions: goldenPred,
    floatPredictions: floatPred,
    floatAccuracy: accuracyOf(floatPred, labels),
    quantizedAccuracy: accuracyOf(goldenPred, labels),
    accuracy: accuracyOf(run.rtlPred, labels),
    layers,
    quantization: {
      inputScale: q.inputScale,
      inputBits: q.inputBits,
      layers: q.layers.map((l) => ({
        name: l.name,
        bits: l.bits,
        inScale: l.inScale,
        outScale: l.outScale,
        requantShift: l.requant?.shift,
      })),
    },
    cycles: layers.reduce((s, l) => s + l.cycles, 0),
    simSeconds: run.simSeconds,
    wallSeconds: (performance.now() - t0) / 1000,
    batch,
  };
}

/** The printed summary of a model run. */
export function modelText(r: ModelReport): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
  const lines = [
    `model ${r.model} on ${r.design} ${r.config} (config ${r.configHash}): ${r.imageIds.length} test images, batch ${r.batch}`,
  ];
  lines.push(
    'layer            op    shape                                          MACs        cycles     util    energy/MAC  mapping',
  );
  for (const l of r.layers) {
    const e = l.energy ? (l.energy.total! / l.macs).toFixed(2) : '-';
    lines.push(
      `${l.name.padEnd(16)} ${l.op.padEnd(5)} ${l.shape.padEnd(46)} ${String(l.macs).padStart(11)} ${String(l.cycles).padStart(10)} ${pct(l.utilization).padStart(8)} ${e.padStart(11)}  ${l.mapping}`,
    );
  }
  lines.push(
    `cycles (RTL counters): ${r.cycles}; simulation ${r.simSeconds.toFixed(1)} s, wall ${r.wallSeconds.toFixed(1)} s`,
  );
  lines.push(
    `accuracy: float ${pct(r.floatAccuracy)}, quantized golden ${pct(r.quantizedAccuracy)}, RTL ${pct(r.accuracy)} (RTL predictions identical to the golden model's; every layer bit-exact)`,
  );
  return lines;
}
