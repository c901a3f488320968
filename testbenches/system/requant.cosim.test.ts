// af_requant (rtl/common) on its own in Icarus against the requantization
// golden (golden/common/requant.ts, itself checked against onnxruntime):
// random accumulators over the whole int32 range and near zero, realistic and
// extreme float32 scales, every zero point range, int8 and uint8, ReLU; and
// crafted vectors on exact ties (scales 2^-k with odd accumulators), on
// accumulators past 2^24 (the float32 conversion rounds), and on both limits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fp32Bits, fp32FromBits, requantize, type RequantParams } from '../../golden/common/requant.js';
import { Random } from '../../golden/common/random.js';
import { repoPath } from '../../golden/common/repo.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { buildIcarus, runIcarus } from '../tools/icarus/runner.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`af_requant seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const count = process.env.ACCELFORGE_FULL ? 200_000 : 20_000;
const tmp = mkdtempSync(join(tmpdir(), 'af-requant-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Vec {
  acc: number;
  q: RequantParams;
}

/** One vector per line: {relu, signed, zp[7:0], scale[31:0], acc[31:0]} in hex (74 bits). */
const line = (v: Vec) => {
  const bits =
    (BigInt(v.q.relu ? 1 : 0) << 73n) |
    (BigInt(v.q.signed ? 1 : 0) << 72n) |
    (BigInt(v.q.zeroPoint & 0xff) << 64n) |
    (BigInt(fp32Bits(v.q.scale)) << 32n) |
    BigInt(v.acc >>> 0);
  return bits.toString(16).padStart(19, '0');
};

const tb = (n: number) => `module requant_tb;
  localparam int N = ${n};
  logic [73:0] vec [N];
  logic [31:0] acc, scale;
  logic [7:0]  zp, q;
  logic        sgn, relu;
  string path;
  af_requant u_dut (.acc_i(acc), .scale_i(scale), .zp_i(zp), .signed_i(sgn), .relu_i(relu), .q_o(q));
  initial begin
    if (!$value$plusargs("vectors=%s", path)) $fatal(1, "no +vectors");
    $readmemh(path, vec);
    for (int i = 0; i < N; i++) begin
      {relu, sgn, zp, scale, acc} = vec[i];
      #1 $display("q %0d %0d", i, q);
    end
    $finish;
  end
endmodule
`;

function randomScale(rng: Random): number {
  const kind = rng.int(0, 5);
  if (kind === 0) return 2 ** rng.int(-30, 4); // ties for odd accumulators
  if (kind === 1) return fp32FromBits(rng.int(0x00800000, 0x7f7fffff)); // any positive normal
  if (kind === 2) return 2 ** -126; // the smallest normal
  return Math.fround(10 ** (rng.float() * 6 - 6)); // 1e-6 .. 1, where layers live
}

function randomAcc(rng: Random): number {
  const kind = rng.int(0, 4);
  if (kind === 0) return rng.int(-(2 ** 31), 2 ** 31 - 1);
  if (kind === 1) return rng.int(-2000, 2000);
  if (kind === 2) return (rng.bool(0.5) ? 1 : -1) * (2 ** rng.int(24, 30) + rng.int(-3, 3)); // float32 rounding
  if (kind === 3) return rng.bool(0.5) ? -(2 ** 31) : 2 ** 31 - 1;
  return rng.int(-(2 ** 20), 2 ** 20);
}

function vectors(rng: Random, n: number): Vec[] {
  const out: Vec[] = [];
  // Ties: acc odd, scale 2^-1 (x.5) and 2^-2 with acc = 2 mod 4.
  for (let a = -41; a <= 41; a += 2) out.push({ acc: a, q: { scale: 0.5, zeroPoint: 0, signed: true } });
  for (let a = -42; a <= 42; a += 4) out.push({ acc: a, q: { scale: 0.25, zeroPoint: 7, signed: false } });
  while (out.length < n) {
    const signed = rng.bool(0.5);
    out.push({
      acc: randomAcc(rng),
      q: {
        scale: randomScale(rng),
        zeroPoint: signed ? rng.int(-128, 127) : rng.int(0, 255),
        signed,
        relu: rng.bool(0.3),
      },
    });
  }
  return out;
}

describe('af_requant', () => {
  it(`equals the golden requantization on ${count} vectors (Icarus)`, async () => {
    const vs = vectors(new Random(seed), count);
    const design = {
      design: 'af_requant',
      top: 'af_requant',
      configHash: 'af_requant',
      config: {},
      parameters: {},
      ports: [],
      modules: [{ name: 'af_requant', text: readFileSync(repoPath('rtl/common/af_requant.sv'), 'utf8') }],
    } satisfies GeneratedDesign;
    const b = await buildIcarus(design, [{ name: 'requant_tb.sv', text: tb(vs.length) }], 'requant_tb');
    const file = join(tmp, 'vectors.hex');
    writeFileSync(file, vs.map(line).join('\n') + '\n');
    const { stdout } = await runIcarus(b, { plusargs: { vectors: file } });
    const got = [...stdout.matchAll(/^q (\d+) (\d+)$/gm)].map((m) => Number(m[2]));
    expect(got).toHaveLength(vs.length);
    const bad = vs.findIndex((v, i) => (requantize(BigInt(v.acc), v.q) & 0xff) >>> 0 !== got[i]);
    if (bad >= 0) {
      const v = vs[bad]!;
      expect.fail(
        `vector ${bad}: acc ${v.acc}, scale ${v.q.scale} (0x${fp32Bits(v.q.scale).toString(16)}), zp ${v.q.zeroPoint}, ` +
          `${v.q.signed ? 'int8' : 'uint8'}${v.q.relu ? ', relu' : ''}: golden ${requantize(BigInt(v.acc), v.q)}, RTL byte ${got[bad]}`,
      );
    }
    // The vectors reach ties, both limits and values in between.
    const ys = vs.map((v) => requantize(BigInt(v.acc), v.q));
    expect(ys).toContain(127);
    expect(ys).toContain(-128);
    expect(ys).toContain(255);
    expect(new Set(ys).size).toBeGreaterThan(300);
  });
});
