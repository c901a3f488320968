// `accelforge compare`: the seeds' dataflow comparison from RTL counters.
// Every layer of a set (AlexNet CONV1-5 or FC6-8, LeNet-5) runs on every
// design at an equal-area configuration (256 PEs, 256,000 B on chip each;
// docs/benchmarks.md) and is reported as normalized energy per MAC by level
// (core/energy.ts) and cycles. A full AlexNet layer at batch 16 takes hours
// of simulation per design, so each layer runs on the RTL scaled down (a
// few output rows and columns, at most 16 filters, one image or four for FC;
// the whole reduction K): bit-exact against the golden model, and every
// counter the RTL reports equal to the design's access model for that
// sample. The full-layer figures come from those exact models (said so in
// the output: "model, RTL-checked").
import type { AnyDesign } from '../../testbenches/registry.js';
import { designByName } from '../../testbenches/registry.js';
import type { QLayer } from '../../golden/nn/quant.js';
import { InputError, MismatchError, SimError } from '../../golden/common/errors.js';
import { Random } from '../../golden/common/random.js';
import { energyLevels } from '../../golden/common/energy.js';
import { progress } from '../lib/progress.js';

export const compareSchema = 'accelforge.compare/1';

export interface LayerSpec {
  name: string;
  op: 'conv' | 'fc';
  /** conv: C x H x W input, M filters R x S, stride U, padding P; fc: K -> M. */
  C?: number;
  H?: number;
  W?: number;
  R?: number;
  S?: number;
  U?: number;
  P?: number;
  K?: number;
  M: number;
}

const conv = (name: string, C: number, H: number, M: number, R: number, U: number, P: number): LayerSpec => ({
  name,
  op: 'conv',
  C,
  H,
  W: H,
  M,
  R,
  S: R,
  U,
  P,
});
const fc = (name: string, K: number, M: number): LayerSpec => ({ name, op: 'fc', K, M });

/** The layer sets (AlexNet CONV per group as Eyeriss ran them, ../shared/reference/anchors.md). */
export const layerSets: Record<string, LayerSpec[]> = {
  'alexnet-conv': [
    conv('CONV1', 3, 227, 96, 11, 4, 0),
    conv('CONV2', 48, 27, 256, 5, 1, 2),
    conv('CONV3', 256, 13, 384, 3, 1, 1),
    conv('CONV4', 192, 13, 384, 3, 1, 1),
    conv('CONV5', 192, 13, 256, 3, 1, 1),
  ],
  'alexnet-fc': [fc('FC6', 9216, 4096), fc('FC7', 4096, 4096), fc('FC8', 4096, 1000)],
  'lenet-5': [
    conv('conv1', 1, 28, 6, 5, 1, 2),
    conv('conv2', 6, 14, 16, 5, 1, 0),
    fc('fc1', 400, 120),
    fc('fc2', 120, 84),
    fc('fc3', 84, 10),
  ],
};

/** The equal-area configurations per PE count: ws, os and rs. */
export const equalArea: Record<string, Record<string, string>> = {
  '256': { ws: 'ws-256', os: 'os-256', rs: 'rs-256' },
  '16': { ws: 'ws-4x4', os: 'os-4x4', rs: 'rs-4x4' },
};

const BITS = 8;

/** A layer with random weights and bias (BITS-bit weights, ReLU). */
export function syntheticLayer(s: LayerSpec, rng: Random): QLayer {
  const lim = (1 << (BITS - 1)) - 1;
  let K: number, inDims: number[], outDims: number[], geom: QLayer['conv'];
  if (s.op === 'conv') {
    const E = Math.floor((s.H! + 2 * s.P! - s.R!) / s.U!) + 1,
      F = Math.floor((s.W! + 2 * s.P! - s.S!) / s.U!) + 1;
    K = s.C! * s.R! * s.S!;
    geom = { C: s.C!, H: s.H!, W: s.W!, M: s.M, R: s.R!, S: s.S!, U: s.U!, P: s.P!, E, F };
    inDims = [s.C!, s.H!, s.W!];
    outDims = [s.M, E, F];
  } else {
    K = s.K!;
    inDims = [K];
    outDims = [s.M];
  }
  const w = new Int32Array(s.M * K);
  for (let i = 0; i < w.length; i++) w[i] = rng.int(-lim, lim);
  return {
    name: s.name,
    nodes: [s.name],
    op: s.op,
    inDims,
    outDims,
    K,
    M: s.M,
    conv: geom,
    w,
    bias: Array.from({ length: s.M }, () => BigInt(rng.int(-1000, 1000))),
    relu: true,
    bits: BITS,
    inScale: 1,
    wScale: new Float64Array(s.M).fill(1),
    post: [],
    floatOut: s.name,
  };
}

/** The scaled-down layer the RTL runs: at most 4 x 8 outputs of 16 filters (conv), 32 outputs (FC); all of K. */
export function sampleSpec(s: LayerSpec): LayerSpec {
  if (s.op === 'fc') return { ...s, name: `${s.name} sample`, M: Math.min(s.M, 32) };
  const E = Math.floor((s.H! + 2 * s.P! - s.R!) / s.U!) + 1,
    F = Math.floor((s.W! + 2 * s.P! - s.S!) / s.U!) + 1;
  const crop = (n: number, keep: number, R: number) =>
    Math.min(n, Math.max(R - 2 * s.P!, (keep - 1) * s.U! + R - 2 * s.P!));
  return {
    ...s,
    name: `${s.name} sample`,
    M: Math.min(s.M, 16),
    H: crop(s.H!, Math.min(E, 4), s.R!),
    W: crop(s.W!, Math.min(F, 8), s.S!),
  };
}

export interface CompareRow {
  layer: string;
  design: string;
  config: string;
  macs: number;
  /** Full layer at the batch, from the exact cycle model (RTL-checked on the sample). */
  cycles: number;
  /** SCALE-Sim's analytical estimate of the full layer (ws and os; SCALE-Sim has no row-stationary model), and its error against `cycles`. */
  scaleSim?: { cycles: number; error: number };
  utilization: number;
  /** Normalized energy per level and total, and per MAC. */
  energy: Record<string, number>;
  energyPerMac: Record<string, number>;
  sample: {
    layer: LayerSpec;
    batch: number;
    macs: number;
    cycles: number;
    modelCycles: number;
    /** SCALE-Sim's estimate of the sample (ws, os). */
    scaleSimCycles?: number;
    bitExact: boolean;
    countersMatch: boolean;
    simSeconds: number;
  };
}

export interface CompareReport {
  schema: string;
  layers: string;
  batch: number;
  pes: number;
  configs: Record<string, string>;
  rows: CompareRow[];
  /** Per design over the set: energy per MAC by level (sum of energy over sum of MACs). */
  totals: Record<string, Record<string, number>>;
  note: string;
}

const macsOf = (s: LayerSpec, batch: number) => {
  if (s.op === 'fc') return s.K! * s.M * batch;
  const E = Math.floor((s.H! + 2 * s.P! - s.R!) / s.U!) + 1,
    F = Math.floor((s.W! + 2 * s.P! - s.S!) / s.U!) + 1;
  return batch * s.M * E * F * s.C! * s.R! * s.S!;
};

function randomInput(l: QLayer, batch: number, rng: Random): Int32Array {
  const n = batch * l.inDims.reduce((a, b) => a * b, 1);
  const x = new Int32Array(n);
  const lim = (1 << (BITS - 1)) - 1;
  for (let i = 0; i < n; i++) x[i] = rng.int(0, lim);
  return x;
}

export interface CompareOptions {
  /** A built-in layer set (layerSets), or the label of the workload below. */
  layers: string;
  /** Layers from a workload file (--topology, --problem) instead of a built-in set. */
  workload?: { layers: LayerSpec[]; arg: string };
  batch: number;
  pes: string;
  designs?: string[];
  seed?: number;
  log: (line: string) => void;
  quiet?: boolean;
}

interface Participant {
  d: AnyDesign;
  /** The row's design label: the design, or design-variant (ws-im2col). */
  label: string;
  net: NonNullable<AnyDesign['network']>;
  cfgName: string;
  cfg: object;
}

/** The designs of the comparison at the chosen size. */
function participants(o: CompareOptions): Participant[] {
  const presets = equalArea[o.pes];
  if (!presets) throw new InputError(`--pes '${o.pes}': allowed: ${Object.keys(equalArea).join(', ')}`);
  const twice = o.designs?.find((n, i) => o.designs!.indexOf(n) !== i);
  if (twice !== undefined)
    throw new InputError(`--designs ${o.designs!.join(',')}: '${twice}' is named twice; name each design once`);
  return (o.designs ?? Object.keys(presets)).flatMap((n) => {
    const d = designByName(n);
    const cfgName = presets[n];
    if (!cfgName || !d.network?.layerModel)
      throw new InputError(`--designs ${n}: not in the comparison; allowed: ${Object.keys(presets).join(', ')}`);
    const cfg = d.parseConfig(d.presets[cfgName], `preset '${cfgName}'`);
    // The design's own mapping, then its variants (ws's host im2col), labelled.
    return [
      { d, label: d.name, net: d.network, cfgName, cfg },
      ...Object.entries(d.networkVariants ?? {}).map(([v, net]) => ({ d, label: `${d.name}-${v}`, net, cfgName, cfg })),
    ];
  });
}

/** A layer's sample on the RTL (bit-exact, every counter equal to the model), then the full layer from the models. */
async function compareLayer(
  p: Participant,
  s: LayerSpec,
  full: QLayer,
  sample: { spec: LayerSpec; layer: QLayer; batch: number; x: Int32Array },
  o: CompareOptions,
): Promise<CompareRow> {
  const { d, cfgName, cfg, net } = p;
  const why = net.refuse(cfg, full) ?? net.refuse(cfg, sample.layer);
  if (why) throw new InputError(`${s.name} cannot run on ${cfgName}: ${why}`);
  const problem = net.lower(cfg, sample.layer, sample.x, sample.batch);
  const r = await d.simulate(cfg, problem, {});
  const bad = d.firstMismatch(cfg, problem, r);
  if (bad)
    throw new MismatchError(
      bad,
      `${s.name} sample on ${cfgName} (reproduce: accelforge compare ${o.workload?.arg ?? `--layers ${o.layers}`} --pes ${o.pes} --designs ${d.name})`,
    );
  const measured = net.counters(r);
  const sm = net.layerModel!(cfg, sample.layer, sample.batch);
  const diff = Object.entries(sm.counters)
    .filter(([k, v]) => measured[k] !== v)
    .map(([k, v]) => `${k} ${measured[k]} (model ${v})`);
  if (diff.length)
    throw new SimError(
      `${s.name} sample on ${cfgName}: the RTL's counters differ from the access model: ${diff.join(', ')}`,
    );
  const fm = net.layerModel!(cfg, full, o.batch);
  const ss = net.scaleSimCycles?.(cfg, full, o.batch);
  // SCALE-Sim's estimate on the sample too: beside a cycle count the RTL measured.
  const sampleSs = net.scaleSimCycles?.(cfg, sample.layer, sample.batch);
  const energy = net.energy!(cfg, fm.counters);
  const macs = macsOf(s, o.batch);
  const perMac: Record<string, number> = {};
  for (const k of [...energyLevels, 'total']) perMac[k] = (energy[k] ?? 0) / macs;
  o.log(
    `${s.name.padEnd(6)} ${cfgName.padEnd(8)} sample ${describeSample(sample.spec, sample.batch)} bit-exact, ${r.cycles} cycles = model, counters = model; full layer: ${fm.cycles} cycles, ${perMac.total!.toFixed(2)} per MAC`,
  );
  return {
    layer: s.name,
    design: p.label,
    config: cfgName,
    macs,
    cycles: fm.cycles,
    ...(ss === undefined ? {} : { scaleSim: { cycles: ss, error: (ss - fm.cycles) / fm.cycles } }),
    utilization: macs / (fm.cycles * d.pes(cfg)),
    energy,
    energyPerMac: perMac,
    sample: {
      layer: sample.spec,
      batch: sample.batch,
      macs: macsOf(sample.spec, sample.batch),
      cycles: r.cycles,
      modelCycles: sm.cycles,
      ...(sampleSs === undefined ? {} : { scaleSimCycles: sampleSs }),
      bitExact: true,
      countersMatch: true,
      simSeconds: (r as { simSeconds?: number }).simSeconds ?? 0,
    },
  };
}

export async function runCompare(o: CompareOptions): Promise<CompareReport> {
  const specs = o.workload?.layers ?? layerSets[o.layers];
  if (!specs) throw new InputError(`--layers '${o.layers}': allowed: ${Object.keys(layerSets).join(', ')}`);
  const ds = participants(o);
  const rng = new Random(o.seed ?? 1);
  const rows: CompareRow[] = [];
  const bar = progress({ total: specs.length * ds.length, unit: 'layer runs', quiet: o.quiet, offTty: 'lines' });
  for (const s of specs) {
    const full = syntheticLayer(s, rng);
    const spec = sampleSpec(s);
    const layer = syntheticLayer(spec, rng);
    const batch = s.op === 'fc' ? Math.min(o.batch, 4) : 1;
    const sample = { spec, layer, batch, x: randomInput(layer, batch, rng) };
    for (const p of ds) {
      bar.update(rows.length, `${s.name} on ${p.cfgName}${p.label === p.d.name ? '' : ` (${p.label})`}`);
      rows.push(await compareLayer(p, s, full, sample, o));
    }
  }
  bar.update(rows.length);
  bar.stop();
  const totals: Record<string, Record<string, number>> = {};
  for (const { label } of ds) {
    const mine = rows.filter((r) => r.design === label);
    const macs = mine.reduce((a, r) => a + r.macs, 0);
    totals[label] = Object.fromEntries(
      [...energyLevels, 'total'].map((k) => [k, mine.reduce((a, r) => a + (r.energy[k] ?? 0), 0) / macs]),
    );
  }
  return {
    schema: compareSchema,
    layers: o.layers,
    batch: o.batch,
    pes: Number(o.pes),
    configs: Object.fromEntries(ds.map((x) => [x.label, x.cfgName])),
    rows,
    totals,
    note: "Full-layer cycles and energy come from each design's exact cycle and access models; each layer also ran scaled down on the RTL (sample), bit-exact, with every counter equal to the model.",
  };
}

function describeSample(s: LayerSpec, batch: number): string {
  return s.op === 'fc' ? `${s.K}->${s.M} x${batch}` : `${s.C}x${s.H}x${s.W} -> ${s.M} ${s.R}x${s.S}/${s.U}`;
}
