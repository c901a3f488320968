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
import { failureDir } from '../../testbenches/reproduce.js';
import type { Graph } from '../../golden/nn/graph.js';
import { argmaxRows, forward } from '../../golden/nn/forward.js';
import { gather, imageSize, loadMnist, splitIds, testSample } from '../../golden/nn/mnist.js';
import { quantize, quantizeInput, type QLayer, type QNet } from '../../golden/nn/quant.js';
import { qForward, qLayerAcc, qLayerNext, qPre } from '../../golden/nn/qforward.js';
import { shellCommand } from '../../testbenches/common/shell.js';

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
}

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
  quantization: { inputScale: number; inputBits: number; layers: { name: string; bits: number; inScale: number; outScale?: number; requantShift?: number }[] };
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

const accuracyOf = (pred: number[], labels: number[]) => pred.filter((p, i) => p === labels[i]).length / labels.length;

function layerShape(l: QLayer): string {
  if (l.op === 'fc') return `${l.K} -> ${l.M}`;
  const c = l.conv!;
  return `${c.C}x${c.H}x${c.W} -> ${c.M}x${c.E}x${c.F} (${c.R}x${c.S}, stride ${c.U}, pad ${c.P})`;
}

function macsPerImage(l: QLayer): number {
  return l.op === 'fc' ? l.K * l.M : l.K * l.M * l.conv!.E * l.conv!.F;
}

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

export async function runModel(d: AnyDesign, cfg: object, g: Graph, o: ModelOptions): Promise<ModelReport> {
  const t0 = performance.now();
  const net = d.network as NetworkSupport<object, unknown, { cycles: number }> | undefined;
  if (!net) throw new InputError(`design ${d.name} cannot run network layers; use --design ${['ws', 'rs'].join(' or ')}`);
  const inSize = g.input.dims.slice(1).reduce((a, b) => a * b, 1);
  if (inSize !== imageSize) throw new InputError(`model '${o.modelArg}': input '${g.input.name}' has shape [${g.input.dims.map((v) => (v < 0 ? 'N' : v))}] (${inSize} values per image); the MNIST images are 1 x 28 x 28 (784 values)`);
  const q = quantizeFor(net, cfg, g);
  checkLayers(d, cfg, q);
  const accWidth = net.target(cfg).accWidth;
  const ids = testSample(o.images);
  const mn = loadMnist();
  const labels = ids.map((id) => mn.labels[id]!);
  const xf = gather(ids, mn);
  const floatPred = argmaxRows(forward(g, xf, ids.length).data, ids.length);
  const xq = quantizeInput(q, xf);
  const goldenPred = argmaxRows(qForward(q, xq, ids.length, accWidth), ids.length);
  const batch = Math.max(1, Math.min(o.batch ?? 200, ids.length));
  const design = d.generate(cfg);
  const stats = q.layers.map((l) => ({ cycles: 0, runs: 0, counters: {} as Record<string, number>, mapping: '' , l }));
  const rtlPred: number[] = [];
  let simSeconds = 0;
  const dumpN = Math.min(ids.length, 4);
  const dump = o.dump ? claimDir('--dump', o.dump, 'model-dump') : undefined;
  const dumpLayers: Record<string, unknown>[] = q.layers.map(() => ({}));
  const bar = progress({ total: ids.length, unit: 'images', offTty: 'quiet', quiet: o.quiet });
  try {
    for (let b0 = 0; b0 < ids.length; b0 += batch) {
      const bs = Math.min(batch, ids.length - b0);
      let x = qPre(q, xq.subarray(b0 * imageSize, (b0 + bs) * imageSize), bs);
      for (let li = 0; li < q.layers.length; li++) {
        const l = q.layers[li]!;
        bar.update(b0, `layer ${li + 1}/${q.layers.length} ${l.name}`);
        const problem = net.lower(cfg, l, x, bs);
        const r = await d.simulate(cfg, problem, { design });
        simSeconds += (r as { simSeconds?: number }).simSeconds ?? 0;
        const acc = net.raise(cfg, l, r, bs);
        const want = qLayerAcc(l, x, bs, accWidth);
        const bad = acc.findIndex((v, i) => v !== want[i]);
        if (bad >= 0) {
          // The design's own check names the element, the PE and the cycle, and leaves the traces.
          const m = d.firstMismatch(cfg, problem, r);
          const where = `layer ${li + 1} '${l.name}' images ${ids.slice(b0, b0 + bs).length} from id ${ids[b0]}`;
          if (!m) throw new Error(`${where}: the RTL output differs from the integer model at ${bad} but not from the design's golden model (a bug in nn/qforward.ts)`);
          const reproduce = shellCommand(['npx', 'accelforge', 'model', o.modelArg, '--design', d.name, '--config', o.configArg, '--images', o.images, '--batch', batch]);
          const a = await d.failure(cfg, problem, r, m, { configArg: o.configArg, design, reproduce, dir: failureDir(o, d.name, design.configHash, `model-${l.name}`) });
          throw new MismatchError({ ...m }, `${d.name} ${o.configArg} model ${o.modelArg} ${where}\n${a.report}`);
        }
        const st = stats[li]!;
        st.cycles += r.cycles;
        st.runs++;
        st.mapping ||= net.describe(cfg, l, bs, r);
        for (const [k, v] of Object.entries(net.counters(r))) st.counters[k] = (st.counters[k] ?? 0) + v;
        if (dump && b0 === 0) {
          const per = (arr: ArrayLike<number>, n: number) => Array.from({ length: dumpN }, (_, i) => Array.from({ length: n }, (_, j) => arr[i * n + j]!));
          const inSize = l.inDims.reduce((p, c) => p * c, 1), outSize = l.outDims.reduce((p, c) => p * c, 1);
          dumpLayers[li] = {
            layer: li, name: l.name, nodes: l.nodes, op: l.op, inDims: l.inDims, outDims: l.outDims, K: l.K, M: l.M, conv: l.conv, relu: l.relu, bits: l.bits,
            imageIds: ids.slice(0, dumpN),
            input: per(x, inSize),
            weights: Array.from({ length: l.M }, (_, m) => Array.from(l.w.subarray(m * l.K, (m + 1) * l.K))),
            bias: l.bias.map(String),
            output: per(acc, outSize),
            requant: l.requant ? { mult: l.requant.mult.map(String), shift: l.requant.shift, qmax: 2 ** (l.bits - 1) - 1 } : undefined,
            post: l.post,
          };
        }
        if (li === q.layers.length - 1) rtlPred.push(...argmaxRows(acc, bs));
        else x = qLayerNext(l, acc, bs);
      }
      bar.update(b0 + bs);
    }
  } finally {
    bar.stop();
  }
  if (dump) {
    dumpLayers.forEach((j, i) => {
      const name = `layer${i + 1}-${q.layers[i]!.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
      dump.add(name);
      writeFileSync(join(dump.dir, name), JSON.stringify(j) + '\n');
    });
    dump.add('model.json');
    writeFileSync(join(dump.dir, 'model.json'), JSON.stringify({ model: o.modelArg, design: d.name, config: o.configArg, accWidth, inputScale: q.inputScale, inputBits: q.inputBits, pre: q.pre, layers: q.layers.map((l) => l.name) }, null, 2) + '\n');
  }
  if (rtlPred.some((p, i) => p !== goldenPred[i])) throw new MismatchError({ element: 'predictions', expected: 0n, actual: 1n }, 'the RTL predictions differ from the integer golden model\'s although every layer matched (a bug in the flow)');
  const pes = d.pes(cfg);
  const layers: LayerReport[] = stats.map((s) => {
    const macs = macsPerImage(s.l) * ids.length;
    return {
      name: s.l.name, op: s.l.op, nodes: s.l.nodes, shape: layerShape(s.l), inDims: s.l.inDims, outDims: s.l.outDims,
      macs, cycles: s.cycles, utilization: macs / (s.cycles * pes), runs: s.runs, mapping: s.mapping, counters: s.counters,
      energy: net.energy?.(cfg, s.counters), bits: s.l.bits,
    };
  });
  return {
    schema: modelSchema,
    design: d.name,
    config: o.configArg,
    configHash: design.configHash,
    model: o.modelArg,
    imageIds: ids,
    labels,
    predictions: rtlPred,
    goldenPredictions: goldenPred,
    floatPredictions: floatPred,
    floatAccuracy: accuracyOf(floatPred, labels),
    quantizedAccuracy: accuracyOf(goldenPred, labels),
    accuracy: accuracyOf(rtlPred, labels),
    layers,
    quantization: { inputScale: q.inputScale, inputBits: q.inputBits, layers: q.layers.map((l) => ({ name: l.name, bits: l.bits, inScale: l.inScale, outScale: l.outScale, requantShift: l.requant?.shift })) },
    cycles: layers.reduce((s, l) => s + l.cycles, 0),
    simSeconds,
    wallSeconds: (performance.now() - t0) / 1000,
    batch,
  };
}

/** The printed summary of a model run. */
export function modelText(r: ModelReport): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
  const lines = [`model ${r.model} on ${r.design} ${r.config} (config ${r.configHash}): ${r.imageIds.length} test images, batch ${r.batch}`];
  lines.push('layer            op    shape                                          MACs        cycles     util    energy/MAC  mapping');
  for (const l of r.layers) {
    const e = l.energy ? (l.energy.total! / l.macs).toFixed(2) : '-';
    lines.push(`${l.name.padEnd(16)} ${l.op.padEnd(5)} ${l.shape.padEnd(46)} ${String(l.macs).padStart(11)} ${String(l.cycles).padStart(10)} ${pct(l.utilization).padStart(8)} ${e.padStart(11)}  ${l.mapping}`);
  }
  lines.push(`cycles (RTL counters): ${r.cycles}; simulation ${r.simSeconds.toFixed(1)} s, wall ${r.wallSeconds.toFixed(1)} s`);
  lines.push(`accuracy: float ${pct(r.floatAccuracy)}, quantized golden ${pct(r.quantizedAccuracy)}, RTL ${pct(r.accuracy)} (RTL predictions identical to the golden model's; every layer bit-exact)`);
  return lines;
}

