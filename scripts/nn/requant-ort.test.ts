// The requantization spec (golden/common/requant.ts) against onnxruntime's
// own kernels: QLinearMatMul graphs built here, run by onnxruntime-node
// (default session options: the CPU provider, graph optimization on), and
// every output compared with the golden integer GEMM requantized. Cells:
// uint8 and int8 activations (the output of the activations' type: the
// kernels onnxruntime has), zero points 0 and not, per-tensor and
// per-column weight scales, and crafted cases on exact rounding ties and
// both saturation limits.
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { outputScale, requantize } from '../../golden/common/requant.js';
import { Random } from '../../golden/common/random.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

interface Cell {
  name: string;
  aSigned: boolean;
  ySigned: boolean;
  perColumn: boolean;
  aZero: number;
  yZero: number;
  m: number;
  k: number;
  n: number;
  /** Scales: a, y and per column of b. */
  aScale: number;
  yScale: number;
  bScale: number[];
  a: number[];
  b: number[];
}

const tensor = (name: string, type: number, dims: number[], raw: Uint8Array) => ({
  name,
  dataType: type,
  dims,
  rawData: raw,
});
const f32s = (v: number[]) => new Uint8Array(new Float32Array(v).buffer);
const i8s = (v: number[]) => new Uint8Array(new Int8Array(v).buffer);
const u8s = (v: number[]) => new Uint8Array(v);

function model(c: Cell): Uint8Array {
  const A = c.aSigned ? DT.INT8 : DT.UINT8,
    Y = c.ySigned ? DT.INT8 : DT.UINT8;
  const q = (signed: boolean) => (signed ? i8s : u8s);
  const init = [
    tensor('a_scale', DT.FLOAT, [], f32s([c.aScale])),
    tensor('a_zp', A, [], q(c.aSigned)([c.aZero])),
    tensor('b', DT.INT8, [c.k, c.n], i8s(c.b)),
    tensor('b_scale', DT.FLOAT, c.perColumn ? [c.n] : [], f32s(c.perColumn ? c.bScale : [c.bScale[0]!])),
    tensor('b_zp', DT.INT8, c.perColumn ? [c.n] : [], i8s(c.perColumn ? Array<number>(c.n).fill(0) : [0])),
    tensor('y_scale', DT.FLOAT, [], f32s([c.yScale])),
    tensor('y_zp', Y, [], q(c.ySigned)([c.yZero])),
  ];
  const vi = (name: string, type: number, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: c.name,
      node: [
        {
          opType: 'QLinearMatMul',
          input: ['a', 'a_scale', 'a_zp', 'b', 'b_scale', 'b_zp', 'y_scale', 'y_zp'],
          output: ['y'],
        },
      ],
      initializer: init,
      input: [vi('a', A, [c.m, c.k])],
      output: [vi('y', Y, [c.m, c.n])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

/** The integer GEMM of the offsets (row-major M x N). */
function accumulators(c: Cell): number[] {
  const out: number[] = [];
  for (let i = 0; i < c.m; i++)
    for (let j = 0; j < c.n; j++) {
      let acc = 0;
      for (let t = 0; t < c.k; t++) acc += (c.a[i * c.k + t]! - c.aZero) * c.b[t * c.n + j]!;
      out.push(acc);
    }
  return out;
}

/** The golden: the integer GEMM, then each column's requantization. */
function golden(c: Cell): number[] {
  return accumulators(c).map((acc, e) => {
    const j = e % c.n;
    const scale = outputScale(c.aScale, c.perColumn ? c.bScale[j]! : c.bScale[0]!, c.yScale);
    return requantize(BigInt(acc), { scale, zeroPoint: c.yZero, signed: c.ySigned });
  });
}

async function ort(c: Cell): Promise<number[]> {
  const o = await import('onnxruntime-node');
  const s = await o.InferenceSession.create(model(c));
  const a = c.aSigned ? new Int8Array(c.a) : new Uint8Array(c.a);
  const r = await s.run({ a: new o.Tensor(c.aSigned ? 'int8' : 'uint8', a, [c.m, c.k]) });
  return Array.from(r.y!.data as Int8Array | Uint8Array);
}

function randomCell(rng: Random, o: { aSigned: boolean; ySigned: boolean; perColumn: boolean; zeros: boolean }): Cell {
  const m = rng.int(1, 6),
    k = rng.int(1, 40),
    n = rng.int(1, 9);
  const aLo = o.aSigned ? -128 : 0;
  const f = (lo: number, hi: number) => Math.fround(lo + (hi - lo) * rng.float());
  return {
    name: 'random',
    ...o,
    aZero: o.zeros ? rng.int(aLo, aLo + 255) : 0,
    yZero: o.zeros ? rng.int(o.ySigned ? -128 : 0, o.ySigned ? 127 : 255) : o.ySigned ? 0 : 128,
    m,
    k,
    n,
    aScale: f(0.001, 0.05),
    yScale: f(0.01, 0.5),
    bScale: Array.from({ length: n }, () => f(0.001, 0.05)),
    a: Array.from({ length: m * k }, () => rng.int(aLo, aLo + 255)),
    b: Array.from({ length: k * n }, () => rng.int(-128, 127)),
  };
}

describe('requantization against onnxruntime (QLinearMatMul)', () => {
  const cells = [
    { aSigned: false, ySigned: false, perColumn: false, zeros: true },
    { aSigned: false, ySigned: false, perColumn: true, zeros: true },
    { aSigned: false, ySigned: false, perColumn: false, zeros: false },
    { aSigned: true, ySigned: true, perColumn: false, zeros: true },
    { aSigned: true, ySigned: true, perColumn: true, zeros: false },
  ];
  it.each(cells)('random layers: %o', async (o) => {
    const rng = new Random(20261207 + cells.indexOf(o));
    for (let i = 0; i < 20; i++) {
      const c = randomCell(rng, o);
      expect(await ort(c), JSON.stringify({ ...c, a: undefined, b: undefined })).toEqual(golden(c));
    }
  });

  it('accumulators past 2^24 are rounded to float32 before the scale, as onnxruntime does', async () => {
    const rng = new Random(7);
    let big = 0;
    for (let i = 0; i < 10; i++) {
      const m = 3,
        k = rng.int(1100, 2000),
        n = 4;
      const sign = () => (rng.bool(0.9) ? 1 : -1);
      const c: Cell = {
        name: 'large',
        aSigned: true,
        ySigned: true,
        perColumn: true,
        aZero: 0,
        yZero: rng.int(-5, 5),
        m,
        k,
        n,
        aScale: Math.fround(0.002 * (1 + rng.float())),
        yScale: Math.fround(1 + rng.float()),
        bScale: Array.from({ length: n }, () => Math.fround(0.002 * (1 + rng.float()))),
        a: Array.from({ length: m * k }, () => (sign() > 0 ? 127 : -128)),
        b: Array.from({ length: k * n }, () => 127 * sign()),
      };
      big += accumulators(c).filter((x) => Math.abs(x) > 2 ** 24).length;
      expect(await ort(c)).toEqual(golden(c));
    }
    expect(big).toBeGreaterThan(20);
  });

  it('exact rounding ties go to even and both saturation limits hold', async () => {
    // Scale 0.5 (a 1, b 0.5, y 1): every odd accumulator is a tie; K = 1 walks -128 .. 127 x 1.
    const k = 1,
      n = 2,
      a = Array.from({ length: 256 }, (_, i) => i - 128);
    const c: Cell = {
      name: 'ties',
      aSigned: true,
      ySigned: true,
      perColumn: true,
      aZero: 0,
      yZero: 3,
      m: 256,
      k,
      n,
      aScale: 1,
      yScale: 1,
      bScale: [0.5, 2], // column 1 saturates at both ends
      a,
      b: [1, 1],
    };
    const got = await ort(c);
    expect(got).toEqual(golden(c));
    const col0 = got.filter((_, i) => i % 2 === 0);
    expect(col0[128 + 1]).toBe(3 + 0); // 0.5 -> 0
    expect(col0[128 + 3]).toBe(3 + 2); // 1.5 -> 2
    expect(col0[128 - 1]).toBe(3 - 0); // -0.5 -> -0
    const col1 = got.filter((_, i) => i % 2 === 1);
    expect(Math.max(...col1)).toBe(127);
    expect(Math.min(...col1)).toBe(-128);
  });
});
