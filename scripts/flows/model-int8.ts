// `accelforge model FILE.onnx` for a standard int8 model (QOperator or QDQ):
// every QLinearConv and QLinearMatMul runs on the RTL of a design with an
// output stage (ws, os: quantDepth > 0) as the GEMM golden/nn/qlower.ts forms,
// requantized in hardware; the host quantizes the float input image, pools,
// reshapes and dequantizes the final logits, and never rescales a layer's
// output. Each layer's 8-bit output is checked as it leaves the RTL against
// the golden integer pass (a mismatch stops with the design's failure report)
// and counted against onnxruntime's, which runs the same file with every
// quantized tensor exposed (scripts/nn/ort-int8.ts).
import { InputError, MismatchError } from '../../golden/common/errors.js';
import { decodeQOnnx, quantizedFormat, type QGraph } from '../../golden/nn/qonnx.js';
import { qForward, qStep, type QValue } from '../../golden/nn/qonnx-forward.js';
import { qLinearParams, type QLinearNode } from '../../golden/nn/qlower.js';
import { argmaxRows } from '../../golden/nn/forward.js';
import { gather, loadMnist, testSample } from '../../golden/nn/mnist.js';
import type { AnyDesign } from '../../testbenches/registry.js';
import { modelFailure } from '../../testbenches/plugin.js';
import { shellCommand } from '../../testbenches/common/shell.js';
import { failureDir } from '../../testbenches/reproduce.js';
import { ortReferee } from '../nn/ort-int8.js';
import type { ModelOptions } from './model.js';
import { progress } from '../lib/progress.js';

export const int8ModelSchema = 'accelforge.model-int8/1';

export interface Int8LayerReport {
  name: string;
  op: 'QLinearConv' | 'QLinearMatMul';
  /** The GEMM per image: rows (output pixels) x K -> N. */
  gemm: { rowsPerImage: number; k: number; n: number };
  quantization: ReturnType<typeof qLinearParams>;
  macs: number;
  /** RTL busy cycles (counters), over all runs. */
  cycles: number;
  runs: number;
  utilization: number;
  counters: Record<string, number>;
  values: number;
  /** Output values that differ from onnxruntime's (must be 0). */
  differFromOnnxruntime: number;
}

export interface Int8ModelReport {
  schema: string;
  design: string;
  config: string;
  configHash: string;
  model: string;
  format: 'qoperator' | 'qdq';
  onnxruntime: { runtime: string; graphOptimizationLevel: string; executionProvider: string };
  imageIds: number[];
  labels: number[];
  predictions: number[];
  onnxruntimePredictions: number[];
  accuracy: number;
  onnxruntimeAccuracy: number;
  layers: Int8LayerReport[];
  /** Every quantized tensor onnxruntime exposed: values and how many differ from the RTL run's. */
  tensors: { name: string; values: number; differFromOnnxruntime: number }[];
  cycles: number;
  simSeconds: number;
  wallSeconds: number;
  batch: number;
}

/** The float flow's options but --dump and the per-layer log (every tensor is counted in the report instead). */
export type Int8ModelOptions = Omit<ModelOptions, 'dump' | 'log'>;

const isLinear = (n: QGraph['nodes'][number]): n is QLinearNode => n.op === 'QLinearConv' || n.op === 'QLinearMatMul';

/** Refuses a design or a layer the output stage cannot run exactly, naming the node and the config key. */
export function checkInt8Design(d: AnyDesign, cfg: object, g: QGraph, modelArg: string): void {
  const support = d.int8;
  const stage = support ? support.refuse(cfg) : `${d.name} has no output stage`;
  if (stage)
    throw new InputError(
      `'${modelArg}' is an int8 model: it runs on a design with an output stage (requantization in the RTL): ws or os (quantDepth > 0, e.g. ws-16x16-int8) or rs (requant, e.g. rs-4x4-int8); ${stage}`,
    );
  for (const n of g.nodes.filter(isLinear)) {
    const why = support!.refuseNode(cfg, n);
    if (why) throw new InputError(`'${modelArg}': ${why}`);
  }
}

interface LayerAcc {
  n: QLinearNode;
  rowsPerImage: number;
  cycles: number;
  runs: number;
  counters: Record<string, number>;
  values: number;
  differ: number;
}

/** One QLinear node of a batch on the RTL: checked against the golden tensor; returns its output. */
async function runNode(
  d: AnyDesign,
  cfg: object,
  n: QLinearNode,
  x: QValue,
  golden: QValue,
  st: LayerAcc,
  ctx: { design: ReturnType<AnyDesign['generate']>; o: Int8ModelOptions; where: string },
): Promise<{ out: QValue; simSeconds: number }> {
  const gm = d.int8!.lower(cfg, n, x);
  const r = (await d.simulate(cfg, gm.problem, { design: ctx.design, flags: ctx.o.flags })) as {
    cycles: number;
    counters: Record<string, number>;
    simSeconds?: number;
  };
  const data = gm.raise(r);
  const bad = data.findIndex((v, i) => v !== golden.data[i]);
  if (bad >= 0) {
    const where = `node '${n.name}' ${ctx.where}`;
    const m = d.firstMismatch(cfg, gm.problem, r);
    if (!m)
      throw new Error(
        `${where}: the RTL differs from the int8 golden pass at ${bad} but not from its GEMM (a bug in golden/nn/qlower.ts)`,
      );
    const reproduce = shellCommand([
      'npx',
      'accelforge',
      'model',
      ctx.o.modelArg,
      '--design',
      d.name,
      '--config',
      ctx.o.configArg,
      '--images',
      ctx.o.images,
    ]);
    const a = await d.failure(cfg, gm.problem, r, m, {
      configArg: ctx.o.configArg,
      design: ctx.design,
      reproduce,
      dir: failureDir({ artifacts: ctx.o.artifacts }, d.name, ctx.design.configHash, `model-${n.name}`),
    });
    throw new MismatchError({ ...m }, `${d.name} ${ctx.o.configArg} model ${ctx.o.modelArg} ${where}\n${a.report}`);
  }
  // Cycles and every counter equal the exact models of the GEMM that ran (output stage included).
  const off = modelFailure(d, cfg, gm.problem, r);
  if (off) throw new Error(`${d.name} ${ctx.o.configArg} node '${n.name}' ${ctx.where}: ${off.message}`);
  st.cycles += r.cycles;
  st.runs++;
  for (const [k, v] of Object.entries(r.counters)) st.counters[k] = (st.counters[k] ?? 0) + v;
  return { out: { dims: gm.outDims, data, type: golden.type }, simSeconds: r.simSeconds ?? 0 };
}

/** One batch of images through the RTL (layer by layer), onnxruntime and the golden pass, added to the tallies. */
async function runBatch(run: Int8Run, ids: number[], b0: number, bs: number) {
  const { d, cfg, g, referee, o, bar } = run;
  const x = gather(ids.slice(b0, b0 + bs), run.mn);
  const theirs = await referee.run(x, bs);
  const golden = qForward(g, x, bs);
  const values = new Map<string, QValue>([[g.input.name, golden.get(g.input.name)!]]);
  for (const n of g.nodes) {
    bar.update(b0, n.name);
    const v = values.get(n.input)!;
    if (!isLinear(n)) {
      values.set(n.output, qStep(v, n));
      continue;
    }
    const st = run.layers.get(n.name) ?? { n, rowsPerImage: 0, cycles: 0, runs: 0, counters: {}, values: 0, differ: 0 };
    run.layers.set(n.name, st);
    const where = `images ${bs} from id ${ids[b0]}`;
    const r = await runNode(d, cfg, n, v, golden.get(n.output)!, st, { design: run.design, o, where });
    st.rowsPerImage = r.out.data.length / bs / r.out.dims[1]!;
    run.simSeconds += r.simSeconds;
    values.set(n.output, r.out);
  }
  for (const name of referee.names) {
    const t = run.tensors.get(name) ?? { values: 0, differ: 0 };
    run.tensors.set(name, t);
    const ours = values.get(name)!.data,
      ref = theirs.get(name)!;
    t.values += ref.length;
    t.differ += ref.filter((v, i) => v !== ours[i]).length;
  }
  run.pred.push(...argmaxRows(values.get(g.output)!.data, bs));
  run.ortPred.push(...argmaxRows(theirs.get(g.output)!, bs));
}

interface Int8Run {
  d: AnyDesign;
  cfg: object;
  g: QGraph;
  referee: Awaited<ReturnType<typeof ortReferee>>;
  design: ReturnType<AnyDesign['generate']>;
  o: Int8ModelOptions;
  mn: ReturnType<typeof loadMnist>;
  bar: ReturnType<typeof progress>;
  layers: Map<string, LayerAcc>;
  tensors: Map<string, { values: number; differ: number }>;
  pred: number[];
  ortPred: number[];
  simSeconds: number;
}

/** A layer's report row from its tallies over `images` images. */
function layerRow(st: LayerAcc, run: Int8Run, images: number): Int8LayerReport {
  const t = run.tensors.get(st.n.output);
  const k = st.n.op === 'QLinearConv' ? st.n.w.data.length / st.n.w.dims[0]! : st.n.b.dims[0]!;
  const nOut = st.n.op === 'QLinearConv' ? st.n.w.dims[0]! : st.n.b.dims[1]!;
  const macs = st.rowsPerImage * k * nOut * images;
  return {
    name: st.n.name,
    op: st.n.op,
    gemm: { rowsPerImage: st.rowsPerImage, k, n: nOut },
    quantization: qLinearParams(st.n),
    macs,
    cycles: st.cycles,
    runs: st.runs,
    utilization: macs / (st.cycles * run.d.pes(run.cfg)),
    counters: st.counters,
    values: t?.values ?? 0,
    differFromOnnxruntime: t?.differ ?? 0,
  };
}

/** Runs an int8 model's test images through the RTL, onnxruntime and the golden pass; the report. */
export async function runModelInt8(
  d: AnyDesign,
  cfg: object,
  bytes: Uint8Array,
  o: Int8ModelOptions,
): Promise<Int8ModelReport> {
  const t0 = performance.now();
  const g = decodeQOnnx(bytes, o.modelArg);
  checkInt8Design(d, cfg, g, o.modelArg);
  const ids = testSample(o.images);
  const run: Int8Run = {
    d,
    cfg,
    g,
    o,
    referee: await ortReferee(bytes, g),
    design: d.generate(cfg),
    mn: loadMnist(),
    bar: progress({ total: ids.length, unit: 'images', offTty: 'quiet', quiet: o.quiet }),
    layers: new Map(),
    tensors: new Map(),
    pred: [],
    ortPred: [],
    simSeconds: 0,
  };
  const labels = ids.map((id) => run.mn.labels[id]!);
  const batch = Math.max(1, Math.min(o.batch ?? 200, ids.length));
  try {
    for (let b0 = 0; b0 < ids.length; b0 += batch) {
      const bs = Math.min(batch, ids.length - b0);
      await runBatch(run, ids, b0, bs);
      run.bar.update(b0 + bs);
    }
  } finally {
    run.bar.stop();
  }
  const layers = [...run.layers.values()].map((st) => layerRow(st, run, ids.length));
  const acc = (p: number[]) => p.filter((v, i) => v === labels[i]).length / labels.length;
  return {
    schema: int8ModelSchema,
    design: d.name,
    config: o.configArg,
    configHash: run.design.configHash,
    model: o.modelArg,
    format: quantizedFormat(bytes),
    onnxruntime: run.referee.settings,
    imageIds: ids,
    labels,
    predictions: run.pred,
    onnxruntimePredictions: run.ortPred,
    accuracy: acc(run.pred),
    onnxruntimeAccuracy: acc(run.ortPred),
    layers,
    tensors: [...run.tensors].map(([name, t]) => ({ name, values: t.values, differFromOnnxruntime: t.differ })),
    cycles: layers.reduce((s, l) => s + l.cycles, 0),
    simSeconds: run.simSeconds,
    wallSeconds: (performance.now() - t0) / 1000,
    batch,
  };
}

/** The printed summary of an int8 model run. */
export function int8ModelText(r: Int8ModelReport): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
  const lines = [
    `int8 model ${r.model} (${r.format}) on ${r.design} ${r.config} (config ${r.configHash}): ${r.imageIds.length} test images, batch ${r.batch}; requantization in the RTL's output stage`,
    'layer            op             weights      out    GEMM/image              cycles     util  differ from onnxruntime',
  ];
  for (const l of r.layers)
    lines.push(
      `${l.name.padEnd(16)} ${l.op.padEnd(14)} ${l.quantization.weights.granularity.padEnd(12)} ${l.quantization.output.type.padEnd(6)} ${`${l.gemm.rowsPerImage}x${l.gemm.k} -> ${l.gemm.n}`.padEnd(20)} ${String(l.cycles).padStart(10)} ${pct(l.utilization).padStart(8)}  ${l.differFromOnnxruntime} of ${l.values}`,
    );
  const differ = r.tensors.reduce((s, t) => s + t.differFromOnnxruntime, 0);
  const values = r.tensors.reduce((s, t) => s + t.values, 0);
  lines.push(
    `cycles (RTL counters): ${r.cycles}; simulation ${r.simSeconds.toFixed(1)} s, wall ${r.wallSeconds.toFixed(1)} s`,
  );
  lines.push(
    `onnxruntime (${r.onnxruntime.runtime}, optimization ${r.onnxruntime.graphOptimizationLevel}, ${r.onnxruntime.executionProvider}): ${differ} of ${values} values of ${r.tensors.length} quantized tensors differ from the RTL run`,
  );
  lines.push(
    `accuracy: RTL ${pct(r.accuracy)}, onnxruntime ${pct(r.onnxruntimeAccuracy)} (every layer bit-exact against the int8 golden pass)`,
  );
  return lines;
}
