// The int8 conformance matrix (issue 29): one cell per operator (QLinearMatMul,
// QLinearConv) x weight scales (per tensor, per channel) x zero points (zero,
// not) x activation type (uint8, int8), plus crafted cells on exact rounding
// ties and on both saturation limits. A cell draws single-node models with
// random shapes and data, runs each in onnxruntime-node (a development
// dependency: this is a dev-only cross-check, like ort-agreement.ts), in the
// golden integer forward pass, and on the RTL: the node as the GEMM
// golden/nn/qlower.ts forms, on a small ws/os engine with the output stage
// (models alternate between the ws and os dataflows; cycles and counters held
// to the exact models), and counts the outputs that differ from onnxruntime's.
import onnxProto from 'onnx-proto';
import { Random } from '../../golden/common/random.js';
import { decodeQOnnx } from '../../golden/nn/qonnx.js';
import { qForward } from '../../golden/nn/qonnx-forward.js';
import { qLinearGemm, type QLinearNode } from '../../golden/nn/qlower.js';
import { toQdqCell, type QdqOp } from './int8-qdq-cells.js';
import { parseWsConfig } from '../../golden/gemm/config.js';
import { os, ws } from '../../testbenches/gemm/design.js';
import { modelFailure, type AnyDesign } from '../../testbenches/plugin.js';
import { int8TestConfig } from '../../testbenches/support/nets.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

export type CellOp = 'QLinearMatMul' | 'QLinearConv' | 'QDQ Conv' | 'QDQ MatMul' | 'QDQ Gemm';
export interface CellSpec {
  op: CellOp;
  perChannel: boolean;
  zeroPoints: boolean;
  activations: 'uint8' | 'int8';
  /** Crafted data: multiplier 0.5 with odd accumulators (every output a tie), or 4 with large ones. */
  crafted?: 'ties' | 'saturation';
}

export interface CellResult extends CellSpec {
  name: string;
  layers: number;
  values: number;
  /** Outputs where the golden forward pass differs from onnxruntime. */
  goldenDiffers: number;
  /** Outputs where the RTL (a ws or os engine with the output stage) differs from onnxruntime. */
  rtlDiffers: number;
  /** Outputs that were exact ties (x.5 before rounding) and at a limit. */
  ties: number;
  saturated: number;
}

export const cellName = (s: CellSpec) =>
  s.crafted
    ? `${s.op} ${s.crafted}`
    : `${s.op}, ${s.perChannel ? 'per-channel' : 'per-tensor'}, zero points ${s.zeroPoints ? 'non-zero' : '0'}, ${s.activations}`;

/** Every cell of the matrix. */
export function conformanceCells(): CellSpec[] {
  const cells: CellSpec[] = [];
  for (const op of ['QLinearMatMul', 'QLinearConv'] as const)
    for (const perChannel of [false, true])
      for (const zeroPoints of [false, true])
        for (const activations of ['uint8', 'int8'] as const) cells.push({ op, perChannel, zeroPoints, activations });
  for (const op of ['QLinearMatMul', 'QLinearConv'] as const)
    for (const crafted of ['ties', 'saturation'] as const)
      cells.push({ op, perChannel: true, zeroPoints: true, activations: 'int8', crafted });
  // The QDQ patterns onnxruntime fuses into its QLinear kernels, uint8 activations (with int8 ones
  // onnxruntime's x86 u8s8 kernels may saturate a pair of products: docs/models.md).
  for (const op of ['QDQ Conv', 'QDQ MatMul', 'QDQ Gemm'] as const)
    for (const perChannel of [false, true])
      for (const zeroPoints of [false, true]) cells.push({ op, perChannel, zeroPoints, activations: 'uint8' });
  return cells;
}

const bytes = {
  f32: (v: number[]) => new Uint8Array(new Float32Array(v).buffer),
  i8: (v: number[]) => new Uint8Array(new Int8Array(v).buffer),
  u8: (v: number[]) => new Uint8Array(v),
  i32: (v: number[]) => new Uint8Array(new Int32Array(v).buffer),
};

interface Layer {
  model: Uint8Array;
  input: number[];
  dims: number[];
}

/** One random single-node model of a cell, with its integer input. */
export function cellModel(s: CellSpec, rng: Random): Layer {
  const signed = s.activations === 'int8';
  const lo = signed ? -128 : 0;
  const act = signed ? DT.INT8 : DT.UINT8;
  const actB = signed ? bytes.i8 : bytes.u8;
  const conv = s.op === 'QLinearConv' || s.op === 'QDQ Conv';
  const C = rng.int(1, 4),
    H = rng.int(3, 8),
    W = rng.int(3, 8),
    R = conv ? rng.int(1, 3) : 1,
    M = rng.int(1, 6),
    K = rng.int(1, 40),
    rows = rng.int(1, 5);
  const channels = conv ? M : M;
  const wDims = conv ? [M, C, R, R] : [K, M];
  const wCount = wDims.reduce((a, b) => a * b, 1);
  const zp = () => (s.zeroPoints ? rng.int(lo + 1, lo + 254) : signed ? 0 : 0);
  const scaleOf = () => Math.fround(0.002 + 0.03 * rng.float());
  // Crafted: a 1, w 0.5 (or 2), y 1: the multiplier is exactly 0.5 (or 4).
  const aScale = s.crafted ? 1 : scaleOf();
  const wScales = Array.from({ length: s.perChannel ? channels : 1 }, () =>
    s.crafted === 'ties' ? 0.5 : s.crafted === 'saturation' ? 4 : scaleOf(),
  );
  const k = conv ? C * R * R : K;
  const yScale = s.crafted ? 1 : Math.fround((aScale * wScales[0]! * 90 * 70 * Math.sqrt(k)) / 60);
  const inputDims = conv ? [1, C, H, W] : [rows, K];
  const n = inputDims.reduce((a, b) => a * b, 1);
  const inits = [
    { name: 'x_s', dataType: DT.FLOAT, dims: [], rawData: bytes.f32([aScale]) },
    // Ties: odd inputs and an even input zero point, so the sums are odd as often as not.
    { name: 'x_z', dataType: act, dims: [], rawData: actB([s.crafted === 'ties' ? 0 : zp()]) },
    {
      name: 'w',
      dataType: DT.INT8,
      dims: wDims,
      // Ties: small weights, so the sums stay inside the output range where a tie decides.
      rawData: bytes.i8(
        Array.from({ length: wCount }, () => (s.crafted === 'ties' ? rng.int(-3, 3) : rng.int(-127, 127))),
      ),
    },
    { name: 'w_s', dataType: DT.FLOAT, dims: s.perChannel ? [channels] : [], rawData: bytes.f32(wScales) },
    { name: 'w_z', dataType: DT.INT8, dims: s.perChannel ? [channels] : [], rawData: bytes.i8(wScales.map(() => 0)) },
    { name: 'y_s', dataType: DT.FLOAT, dims: [], rawData: bytes.f32([yScale]) },
    { name: 'y_z', dataType: act, dims: [], rawData: actB([zp()]) },
    ...(conv
      ? [
          {
            name: 'bias',
            dataType: DT.INT32,
            dims: [M],
            rawData: bytes.i32(
              Array.from({ length: M }, () => (s.crafted === 'ties' ? rng.int(-4, 4) : rng.int(-3000, 3000))),
            ),
          },
        ]
      : []),
  ];
  const pad = conv ? rng.int(0, 1) : 0;
  const node = {
    opType: conv ? 'QLinearConv' : 'QLinearMatMul',
    input: ['x', 'x_s', 'x_z', 'w', 'w_s', 'w_z', 'y_s', 'y_z', ...(conv ? ['bias'] : [])],
    output: ['y'],
    attribute: conv ? [{ name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: [pad, pad, pad, pad] }] : [],
  };
  const vi = (name: string, dims?: number[]) => ({
    name,
    type: { tensorType: { elemType: act, ...(dims ? { shape: { dim: dims.map((d) => ({ dimValue: d })) } } : {}) } },
  });
  const model = onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'cell', node: [node], initializer: inits, input: [vi('x', inputDims)], output: [vi('y')] },
    }),
  ).finish();
  // Ties: small odd inputs (int8 -9 .. 9, uint8 1 .. 19) with an even input zero point.
  const input = Array.from({ length: n }, () =>
    s.crafted === 'ties' ? (signed ? 2 * rng.int(-5, 4) + 1 : 2 * rng.int(0, 9) + 1) : rng.int(lo, lo + 255),
  );
  const qdq = s.op.startsWith('QDQ ') ? (s.op.slice(4) as QdqOp) : undefined;
  return { model: qdq ? toQdqCell(model, qdq, rng) : model, input, dims: inputDims };
}

/** The engine the cells run on: 3 x 5, both dataflows, 9-bit operands, an output stage. */
export const cellConfig = parseWsConfig(int8TestConfig);

/** One model's node on the RTL (model l: ws when even, os when odd); its outputs. */
async function onRtl(model: Uint8Array, name: string, c: Layer, type: 'int8' | 'uint8', l: number): Promise<number[]> {
  const node = decodeQOnnx(model, name).nodes.find(
    (n) => n.op === 'QLinearConv' || n.op === 'QLinearMatMul',
  ) as QLinearNode;
  const gm = qLinearGemm(node, { dims: c.dims, data: Float64Array.from(c.input), type });
  const d = (l % 2 ? os : ws) as unknown as AnyDesign;
  const r = (await d.simulate(cellConfig, gm.problem, {})) as unknown as { c: bigint[][]; cycles: number };
  const off = modelFailure(d, cellConfig, gm.problem, r);
  if (off) throw new Error(`${name} model ${l} on ${d.name}: ${off.message}`);
  return Array.from(gm.raise(r.c));
}

/** Runs `layers` random models of a cell in onnxruntime, the golden pass and the RTL; the differences. */
export async function runCell(s: CellSpec, layers: number, seed: number): Promise<CellResult> {
  const ort = await import('onnxruntime-node');
  const rng = new Random(seed);
  let values = 0,
    goldenDiffers = 0,
    ties = 0,
    saturated = 0;
  const theirs: number[] = [],
    rtl: number[] = [];
  for (let l = 0; l < layers; l++) {
    const c = cellModel(s, rng);
    const sess = await ort.InferenceSession.create(c.model, { logSeverityLevel: 3 });
    const data = s.activations === 'int8' ? new Int8Array(c.input) : new Uint8Array(c.input);
    const r = await sess.run({ x: new ort.Tensor(s.activations, data, c.dims) });
    const t = Array.from(r.y!.data as ArrayLike<number>);
    const ours = qForward(decodeQOnnx(c.model, cellName(s)), c.input, c.dims[0]!, (_n, acc, q) => {
      // A tie that decides an output: x.5 inside the range, not clamped away.
      const p = Math.fround(Math.fround(acc) * q.scale);
      const lim = q.signed ? [-128, 127] : [0, 255];
      if (Math.abs(p - Math.trunc(p)) === 0.5 && p > lim[0]! - q.zeroPoint && p < lim[1]! - q.zeroPoint) ties++;
    }).get('y')!.data;
    values += t.length;
    goldenDiffers += t.filter((v, i) => v !== ours[i]).length;
    saturated += t.filter(
      (v) => v === (s.activations === 'int8' ? -128 : 0) || v === (s.activations === 'int8' ? 127 : 255),
    ).length;
    theirs.push(...t);
    rtl.push(...(await onRtl(c.model, cellName(s), c, s.activations, l)));
  }
  const rtlDiffers = theirs.filter((v, i) => v !== rtl[i]).length;
  return { ...s, name: cellName(s), layers, values, goldenDiffers, rtlDiffers, ties, saturated };
}
