// The os host program: TypeScript acts as DMA. Per pass (mapper.ts) it lays
// A, B and D out in the buffer images os_engine reads, writes the CSRs,
// starts, waits and reads the counters and (after the last K pass) C back.
// It moves data only; every sum is made by the RTL.
import type { OsConfig } from '../../golden/os/config.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { decodeGemmOutput } from '../common/gemm-host.js';
import { packHex } from '../common/host-program.js';
import type { OsPass } from '../../golden/os/mapper.js';
import { Csr, Sel, firstCounter, osCounterNames } from '../../golden/os/interface.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

/** The host program for a GEMM: buffer images, CSRs, start, wait, read back. */
export function osEngineProgram(cfg: OsConfig, p: GemmProblem, passes: OsPass[]): string {
  const R = cfg.rows,
    C = cfg.cols,
    DW = cfg.dataWidth,
    AW = cfg.accWidth;
  const lines: string[] = [];
  const at = (mat: bigint[][], i: number, j: number) => mat[i]?.[j] ?? 0n;
  passes.forEach((ps, idx) => {
    const MT = ceil(ps.mp, R),
      NT = ceil(ps.np, C);
    // A row mt K + k: column k of the tile's rows; B row nt K + k: row k of its columns.
    for (let mt = 0; mt < MT; mt++) {
      for (let k = 0; k < ps.kp; k++) {
        const row = Array.from({ length: R }, (_, r) =>
          mt * R + r < ps.mp ? at(p.a, ps.m0 + mt * R + r, ps.k0 + k) : 0n,
        );
        lines.push(`W ${Sel.a} ${mt * ps.kp + k} ${packHex(row, DW)}`);
      }
    }
    for (let nt = 0; nt < NT; nt++) {
      for (let k = 0; k < ps.kp; k++) {
        const row = Array.from({ length: C }, (_, c) =>
          nt * C + c < ps.np ? at(p.b, ps.k0 + k, ps.n0 + nt * C + c) : 0n,
        );
        lines.push(`W ${Sel.b} ${nt * ps.kp + k} ${packHex(row, DW)}`);
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
    for (let i = 0; i < osCounterNames.length; i++) lines.push(`R ${Sel.csr} ${firstCounter + i}`);
    if (ps.lastK) {
      for (let nt = 0; nt < NT; nt++) for (let m = 0; m < ps.mp; m++) lines.push(`R ${Sel.acc} ${nt * ps.mp + m}`);
    }
  });
  return lines.join('\n') + '\n';
}

/** Whether pass `ps` of problem `p` accumulates onto the accumulator buffer. */
export const osAccumulates = (p: GemmProblem, ps: OsPass) => !ps.firstK || p.d !== undefined;

export const decodeOsEngineOutput = (cfg: OsConfig, text: string, m: number, n: number, passes: OsPass[]) =>
  decodeGemmOutput(cfg, 'os', osCounterNames, text, m, n, passes);
