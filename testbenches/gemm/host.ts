// The systolic engines' host program: TypeScript acts as DMA. Per pass
// (golden/gemm/mapper.ts) it lays A, B and D out in the buffer images the
// RTL reads, in the layout of the run's dataflow, writes the CSRs (CTRL
// bit 3 picks output stationary on an array of both), starts, waits, reads
// the counters and (after the last K pass) C back, and decodes what the RTL
// answers. It moves data only; every sum is made by the RTL.
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import type { GemmProblem, GemmRequant } from '../../golden/common/gemm.js';
import { accumulates, requants, type GemmPass } from '../../golden/gemm/mapper.js';
import { fp32Bits } from '../../golden/common/requant.js';
import { Csr, Sel, counterNames, ctrlBits, firstCounter } from '../../golden/gemm/interface.js';
import { decodeGemmOutput } from '../common/gemm-host.js';
import { packHex } from '../common/host-program.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);
const at = (mat: bigint[][], i: number, j: number) => mat[i]?.[j] ?? 0n; // memory past the matrix reads zero

/** ws layout: A row kt M + m holds A[m][kt R + r]; B row (nt KT + kt) R + r holds B[kt R + r][nt C + c]. */
function wsImages(cfg: GemmConfig, p: GemmProblem, ps: GemmPass, lines: string[], base: Bases): void {
  const R = cfg.rows,
    C = cfg.cols,
    DW = cfg.dataWidth;
  const KT = ceil(ps.kp, R),
    NT = ceil(ps.np, C);
  const inK = (kk: number) => kk < ps.kp;
  for (let kt = 0; kt < KT; kt++) {
    for (let m = 0; m < ps.mp; m++) {
      const row = Array.from({ length: R }, (_, r) => (inK(kt * R + r) ? at(p.a, ps.m0 + m, ps.k0 + kt * R + r) : 0n));
      lines.push(`W ${Sel.a} ${base.a + kt * ps.mp + m} ${packHex(row, DW)}`);
    }
  }
  for (let nt = 0; nt < NT; nt++) {
    for (let kt = 0; kt < KT; kt++) {
      for (let r = 0; r < R; r++) {
        const kk = kt * R + r;
        const row = Array.from({ length: C }, (_, c) =>
          inK(kk) && nt * C + c < ps.np ? at(p.b, ps.k0 + kk, ps.n0 + nt * C + c) : 0n,
        );
        lines.push(`W ${Sel.b} ${base.b + (nt * KT + kt) * R + r} ${packHex(row, DW)}`);
      }
    }
  }
}

/** os layout: A row mt K + k holds A[mt R + r][k]; B row nt K + k holds B[k][nt C + c]. */
function osImages(cfg: GemmConfig, p: GemmProblem, ps: GemmPass, lines: string[], base: Bases): void {
  const R = cfg.rows,
    C = cfg.cols,
    DW = cfg.dataWidth;
  const MT = ceil(ps.mp, R),
    NT = ceil(ps.np, C);
  for (let mt = 0; mt < MT; mt++) {
    for (let k = 0; k < ps.kp; k++) {
      const row = Array.from({ length: R }, (_, r) =>
        mt * R + r < ps.mp ? at(p.a, ps.m0 + mt * R + r, ps.k0 + k) : 0n,
      );
      lines.push(`W ${Sel.a} ${base.a + mt * ps.kp + k} ${packHex(row, DW)}`);
    }
  }
  for (let nt = 0; nt < NT; nt++) {
    for (let k = 0; k < ps.kp; k++) {
      const row = Array.from({ length: C }, (_, c) =>
        nt * C + c < ps.np ? at(p.b, ps.k0 + k, ps.n0 + nt * C + c) : 0n,
      );
      lines.push(`W ${Sel.b} ${base.b + nt * ps.kp + k} ${packHex(row, DW)}`);
    }
  }
}

interface Bases {
  a: number;
  b: number;
  acc: number;
}

/**
 * The first row of each buffer the program uses, the same for every pass (a
 * K pass accumulates onto the rows an earlier pass wrote): the problem's
 * placement of the rows the largest pass needs within the buffer's depth.
 */
export function bases(cfg: GemmConfig, df: Dataflow, p: GemmProblem, passes: GemmPass[]): Bases {
  if (!p.placement) return { a: 0, b: 0, acc: 0 };
  const R = cfg.rows,
    C = cfg.cols;
  const need = (f: (ps: GemmPass) => number) => Math.max(...passes.map(f));
  const used =
    df === 'ws'
      ? {
          a: need((ps) => ceil(ps.kp, R) * ps.mp),
          b: need((ps) => ceil(ps.np, C) * ceil(ps.kp, R) * R),
        }
      : { a: need((ps) => ceil(ps.mp, R) * ps.kp), b: need((ps) => ceil(ps.np, C) * ps.kp) };
  const acc = need((ps) => ceil(ps.np, C) * ps.mp);
  const at = (f: number, depth: number, n: number) => Math.floor(f * (depth - n + 1));
  return {
    a: at(p.placement.a, cfg.aDepth, used.a),
    b: at(p.placement.b, cfg.bDepth, used.b),
    acc: at(p.placement.acc, cfg.accDepth, acc),
  };
}

/** The CTRL value that starts a pass: ReLU on the last K pass, accumulate onto D or an earlier pass, the dataflow. */
export function ctrlWord(df: Dataflow, relu: boolean, accumulate: boolean, requant = false): number {
  return (
    (1 << ctrlBits.start) |
    (requant ? 1 << ctrlBits.requant : 0) |
    (relu ? 1 << ctrlBits.relu : 0) |
    (accumulate ? 1 << ctrlBits.accumulate : 0) |
    (df === 'os' ? 1 << ctrlBits.os : 0)
  );
}

/** The host program for a GEMM in a dataflow: buffer images, CSRs, start, wait, read back. */
export function gemmProgram(cfg: GemmConfig, df: Dataflow, p: GemmProblem, passes: GemmPass[]): string {
  const C = cfg.cols,
    AW = cfg.accWidth;
  const lines: string[] = [];
  const base = bases(cfg, df, p, passes);
  passes.forEach((ps, idx) => {
    const NT = ceil(ps.np, C);
    if (df === 'ws') wsImages(cfg, p, ps, lines, base);
    else osImages(cfg, p, ps, lines, base);
    const preloadD = ps.firstK && p.d !== undefined;
    if (preloadD) {
      for (let nt = 0; nt < NT; nt++) {
        for (let m = 0; m < ps.mp; m++) {
          const row = Array.from({ length: C }, (_, c) =>
            nt * C + c < ps.np ? at(p.d!, ps.m0 + m, ps.n0 + nt * C + c) : 0n,
          );
          lines.push(`W ${Sel.acc} ${base.acc + nt * ps.mp + m} ${packHex(row, AW)}`);
        }
      }
    }
    for (const [reg, v] of [
      [Csr.m, ps.mp],
      [Csr.n, ps.np],
      [Csr.k, ps.kp],
      [Csr.aBase, base.a],
      [Csr.bBase, base.b],
      [Csr.accBase, base.acc],
    ] as const) {
      lines.push(`W ${Sel.csr} ${reg} ${v.toString(16)}`);
    }
    if (requants(ps)) lines.push(...quantTable(p.requant!, ps.n0, ps.np));
    lines.push(`MARK start${idx}`);
    const ctrl = ctrlWord(df, ps.lastK && p.relu === true, accumulates(p, ps), requants(ps));
    lines.push(`W ${Sel.csr} ${Csr.ctrl} ${ctrl.toString(16)}`);
    lines.push('WAIT');
    lines.push(`MARK done${idx}`);
    for (let i = 0; i < counterNames.length; i++) lines.push(`R ${Sel.csr} ${firstCounter + i}`);
    if (ps.lastK) {
      for (let nt = 0; nt < NT; nt++)
        for (let m = 0; m < ps.mp; m++) lines.push(`R ${Sel.acc} ${base.acc + nt * ps.mp + m}`);
    }
  });
  return lines.join('\n') + '\n';
}

/** The output stage's CSRs for a pass's columns n0 .. n0 + np - 1: type and zero point, then the table from entry 0. */
export function quantTable(q: GemmRequant, n0: number, np: number): string[] {
  const lines = [
    `W ${Sel.csr} ${Csr.quant} ${(((q.output === 'int8' ? 1 : 0) << 8) | (q.zeroPoint & 0xff)).toString(16)}`,
    `W ${Sel.csr} ${Csr.quantAddr} 0`,
  ];
  for (let j = n0; j < n0 + np; j++) {
    const word = (BigInt.asUintN(32, BigInt(q.offset[j]!)) << 32n) | BigInt(fp32Bits(q.scale[j]!));
    lines.push(`W ${Sel.csr} ${Csr.quantData} ${word.toString(16)}`);
  }
  return lines;
}

export const decodeGemmEngineOutput = (
  cfg: GemmConfig,
  design: string,
  text: string,
  m: number,
  n: number,
  passes: GemmPass[],
) => decodeGemmOutput(cfg, design, counterNames, text, m, n, passes);
