// The ws host program: TypeScript acts as DMA. It lays A, B and D out in
// the buffer images the RTL reads, pass by pass (mapper.ts), as host-port
// transactions the harness executes, and decodes what the RTL answers. It
// moves data only; every sum is made by the RTL.
import type { WsConfig } from './config.js';
import { SimError } from '../../core/errors.js';
import type { GemmProblem } from './golden.js';
import { packHex, parseHostOutput, unpackRow } from '../../core/host-program.js';
import type { WsPass } from './mapper.js';
import { Csr, Sel, counterNames, firstCounter, type WsCounters } from './interface.js';

const ceil = (a: number, b: number) => Math.ceil(a / b);

/** The host program for a GEMM: buffer images, CSRs, start, wait, read back. */
export function wsEngineProgram(cfg: WsConfig, p: GemmProblem, passes: WsPass[]): string {
  const R = cfg.rows, C = cfg.cols, DW = cfg.dataWidth, AW = cfg.accWidth;
  const lines: string[] = [];
  const at = (mat: bigint[][], i: number, j: number) => mat[i]?.[j] ?? 0n; // memory past the matrix reads zero
  passes.forEach((ps, idx) => {
    const KT = ceil(ps.kp, R), NT = ceil(ps.np, C);
    const inK = (kk: number) => kk < ps.kp;
    for (let kt = 0; kt < KT; kt++) {
      for (let m = 0; m < ps.mp; m++) {
        const row = Array.from({ length: R }, (_, r) => (inK(kt * R + r) ? at(p.a, ps.m0 + m, ps.k0 + kt * R + r) : 0n));
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
          const row = Array.from({ length: C }, (_, c) => (nt * C + c < ps.np ? at(p.d!, ps.m0 + m, ps.n0 + nt * C + c) : 0n));
          lines.push(`W ${Sel.acc} ${nt * ps.mp + m} ${packHex(row, AW)}`);
        }
      }
    }
    const accumulate = preloadD || !ps.firstK;
    const relu = ps.lastK && p.relu === true;
    for (const [reg, v] of [[Csr.m, ps.mp], [Csr.n, ps.np], [Csr.k, ps.kp], [Csr.aBase, 0], [Csr.bBase, 0], [Csr.accBase, 0]] as const) {
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

export function decodeWsEngineOutput(cfg: WsConfig, text: string, m: number, n: number, passes: WsPass[]) {
  const { reads, readCycles, marks, cycles: total } = parseHostOutput(text);
  const c: bigint[][] = Array.from({ length: m }, () => Array<bigint>(n).fill(0n));
  // The trace cycle each element left the engine (its host read).
  const cCycle: number[][] = Array.from({ length: m }, () => Array<number>(n).fill(-1));
  const perPass: WsCounters[] = [];
  let i = 0;
  const next = () => {
    const v = reads[i++];
    if (v === undefined) throw new SimError(`ws engine harness returned ${reads.length} reads; expected more`);
    return v;
  };
  for (const ps of passes) {
    const cnt = {} as WsCounters;
    for (const name of counterNames) cnt[name] = Number(next());
    perPass.push(cnt);
    if (ps.lastK) {
      const NT = ceil(ps.np, cfg.cols);
      for (let nt = 0; nt < NT; nt++) {
        for (let mm = 0; mm < ps.mp; mm++) {
          const row = unpackRow(next(), cfg.cols, cfg.accWidth, cfg.signed);
          const at = readCycles[i - 1]!;
          for (let cc = 0; cc < cfg.cols && nt * cfg.cols + cc < ps.np; cc++) {
            c[ps.m0 + mm]![ps.n0 + nt * cfg.cols + cc] = row[cc]!;
            cCycle[ps.m0 + mm]![ps.n0 + nt * cfg.cols + cc] = at;
          }
        }
      }
    }
  }
  const counters = {} as WsCounters;
  for (const name of counterNames) counters[name] = perPass.reduce((s, x) => s + x[name], 0);
  return { c, cCycle, marks, perPass, counters, totalCycles: total };
}

