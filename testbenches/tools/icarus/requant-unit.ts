// af_requant (rtl/common) alone in Icarus: a vector file in, one output byte
// per vector out. The requantization checks (the unit's own test, the int8
// conformance matrix) drive the RTL through this.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fp32Bits, type RequantParams } from '../../../golden/common/requant.js';
import { repoPath } from '../../../golden/common/repo.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';
import { buildIcarus, runIcarus } from './runner.js';

export interface RequantVector {
  /** The int32 accumulator. */
  acc: number;
  q: RequantParams;
}

/** One vector per line: {relu, signed, zp[7:0], scale[31:0], acc[31:0]} in hex (74 bits). */
const line = (v: RequantVector) =>
  (
    (BigInt(v.q.relu ? 1 : 0) << 73n) |
    (BigInt(v.q.signed ? 1 : 0) << 72n) |
    (BigInt(v.q.zeroPoint & 0xff) << 64n) |
    (BigInt(fp32Bits(v.q.scale)) << 32n) |
    BigInt(v.acc >>> 0)
  )
    .toString(16)
    .padStart(19, '0');

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

/** The RTL's output for each vector, read as the vector's type (int8 or uint8). */
export async function requantOnRtl(vs: RequantVector[]): Promise<number[]> {
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
  const dir = mkdtempSync(join(tmpdir(), 'af-requant-'));
  try {
    const file = join(dir, 'vectors.hex');
    writeFileSync(file, vs.map(line).join('\n') + '\n');
    const { stdout } = await runIcarus(b, { plusargs: { vectors: file } });
    const bytes = [...stdout.matchAll(/^q (\d+) (\d+)$/gm)].map((m) => Number(m[2]));
    return bytes.map((x, i) => (vs[i]!.q.signed && x > 127 ? x - 256 : x));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
