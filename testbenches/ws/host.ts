// The ws host program: TypeScript acts as DMA. It lays A, B and D out in
// the buffer images the RTL reads, pass by pass (mapper.ts), as host-port
// transactions the harness executes, and decodes what the RTL answers. It
// moves data only; every sum is made by the RTL.
import type { WsConfig } from '../../golden/ws/config.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { decodeGemmOutput } from '../common/gemm-host.js';
import { packHex } from '../common/host-program.js';
import type { WsPass } from '../../golden/ws/mapper.js';
import { Csr, Sel, counterNames, firstCounter } from '../../golden/ws/interface.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

/** The host program for a GEMM: buffer images, CSRs, start, wait, read back. */
export function wsEngineProgram(cfg: WsConfig, p: GemmProblem, passes: WsPass[]): string {
  const R = cfg.rows,
    C = cfg.cols,
    DW = cfg.dataWidth,
    AW = cfg.accWidth;
  const lines: string[] = [];
  const at = (mat: bigint[][], i: number, j: number) => mat[i]?.[j] ?? 0n; // memory past the matrix reads zero
  passes.forEach((ps, idx) => {
    const KT = ceil(ps.kp, R),
      NT = ceil(ps.np, C);
    const inK = (kk: number) => kk < ps.kp;
    for (let kt = 0; kt < KT; kt++) {
      for (let m = 0; m < ps.mp; m++) {
        const row = Array.from({ length: R }, (_, r) =>
          inK(kt * R + r) ? at(p.a, ps.m0 + m, ps.k0 + kt * R + r) : 0n,
        );
        lines.push(`W ${Sel.a} ${kt * ps.mp + m} ${packHex(row, DW)}`);
      }
    }
    for (let nt = 0; nt < NT; nt++) {
      for (let kt = 0; kt < KT; kt++) {
        for (let r = 0; r < R; r++) {
          const kk = kt * R + r;
          const row = Array.from({ length: C }, (_, c) =>
            inK(kk) && nt * C + c < ps.np ? at(p.b, ps.k0 + kk, ps.n0 + nt * C + c) : 0n,
          );
          lines.push(`W ${Sel.b} ${(nt * KT + kt) * R + r} ${packHex(row, DW)}`);
        }
      }
    }
    const preloadD = ps.firstK && p.d !== undefined;
    if (preloadD) {
      for (let nt = 0; nt < NT; nt++) {
        for (let m = 0; m < ps.mp; m++) {
          const row = Array.from({ length: C }, (_, c) =>
            nt * C + c < ps.np ? at(p.d!, ps.m0 + m, ps.n0 + nt * C + c) : 0n,
          );
          lines.push(`W ${Sel.acc} ${nt * ps.mp + m} ${packHex(row, AW)}`);
        }
      }
    }
    const accumulate = preloadD || !ps.firstK;
    const relu = ps.lastK && p.relu === true;
    for (const [reg, v] of [
      [Csr.m, ps.mp],
      [Csr.n, ps.np],
      [Csr.k, ps.kp],
      [Csr.aBase, 0],
      [Csr.bBase, 0],
      [Csr.accBase, 0],
    ] as const) {
      lines.push(`W ${Sel.csr} ${reg} ${v.toString(16)}`);
    }
    lines.push(`MARK start${idx}`);
    lines.push(`W ${Sel.csr} ${Csr.ctrl} ${(1 | (relu ? 2 : 0) | (accumulate ? 4 : 0)).toString(16)}`);
    lines.push('WAIT');
    lines.push(`MARK done${idx}`);
    for (let i = 0; i < counterNames.length; i++) lines.push(`R ${Sel.csr} ${firstCounter + i}`);
    if (ps.lastK) {
      for (let nt = 0; nt < NT; nt++) for (let m = 0; m < ps.mp; m++) lines.push(`R ${Sel.acc} ${nt * ps.mp + m}`);
    }
  });
  return lines.join('\n') + '\n';
}

export const decodeWsEngineOutput = (cfg: WsConfig, text: string, m: number, n: number, passes: WsPass[]) =>
  decodeGemmOutput(cfg, 'ws', counterNames, text, m, n, passes);
