// Host side of the ws GEMM engine. TypeScript acts as DMA: it lays A, B and D
// out in the buffer images the RTL reads, splits problems larger than the
// buffers into passes, and writes a program of host-port transactions that
// the C++ harness executes in one process. It moves data only; every sum is
// made by the RTL.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { WsConfig } from './config.js';
import type { GeneratedDesign } from '../../core/design.js';
import { generateWs } from './generate.js';
import { InputError, SimError } from '../../core/errors.js';
import { fromBits, toBits } from '../../core/numerics.js';
import type { GemmProblem } from './golden.js';
import { build, harnessPlusargs, runSim, type Build, type SimRunOptions } from '../../toolchain/verilator/runner.js';
import { parseHostOutput, hostHarness } from '../../toolchain/verilator/host.js';
import { WsEnginePorts as P, WsEngineTop } from './ws_engine.binding.js';


/** Host-port targets and CSR numbers of ws_engine (see its header comment). */
export const Sel = { csr: 0, a: 1, b: 2, acc: 3 } as const;
export const Csr = { ctrl: 0, status: 1, m: 2, n: 3, k: 4, aBase: 5, bBase: 6, accBase: 7 } as const;
export const counterNames = ['cycles', 'stallCycles', 'macs', 'aReads', 'bReads', 'accReads', 'accWrites', 'tiles'] as const;
export type WsCounters = Record<(typeof counterNames)[number], number>;
const firstCounter = 8;

export async function buildWsEngine(cfg: WsConfig, design: GeneratedDesign = generateWs(cfg), traceFormat?: 'fst' | 'vcd'): Promise<Build> {
  if (design.top !== WsEngineTop) throw new Error(`expected top ${WsEngineTop}, got ${design.top}`);
  return build({ design, harness: hostHarness(design, P), traceFormat });
}

export interface WsPass {
  m0: number;
  mp: number;
  n0: number;
  np: number;
  k0: number;
  kp: number;
  firstK: boolean;
  lastK: boolean;
}

const ceil = (a: number, b: number) => Math.ceil(a / b);

/**
 * Splits M x K x N into passes that fit the buffers: k-tiles per pass bounded
 * by the B buffer, n-tiles by B and the accumulators, rows of A by the A
 * buffer and the accumulators. Loops: m outer, n, k inner (the accumulator
 * keeps partial sums across K passes).
 */
export function planWsPasses(cfg: WsConfig, m: number, k: number, n: number): WsPass[] {
  const R = cfg.rows, C = cfg.cols;
  const kt = Math.min(ceil(k, R), Math.floor(cfg.bDepth / R), cfg.aDepth);
  const nt = Math.min(ceil(n, C), Math.floor(cfg.bDepth / (kt * R)), cfg.accDepth);
  const mp = Math.min(m, Math.floor(cfg.aDepth / kt), Math.floor(cfg.accDepth / nt));
  if (kt < 1 || nt < 1 || mp < 1) {
    throw new InputError(
      `ws buffers too small for any pass: bDepth ${cfg.bDepth} must hold ${R} rows (one weight tile); ` +
        `aDepth ${cfg.aDepth} and accDepth ${cfg.accDepth} at least 1`,
    );
  }
  const passes: WsPass[] = [];
  for (let m0 = 0; m0 < m; m0 += mp) {
    for (let n0 = 0; n0 < n; n0 += nt * C) {
      for (let k0 = 0; k0 < k; k0 += kt * R) {
        passes.push({
          m0, mp: Math.min(mp, m - m0),
          n0, np: Math.min(nt * C, n - n0),
          k0, kp: Math.min(kt * R, k - k0),
          firstK: k0 === 0,
          lastK: k0 + kt * R >= k,
        });
      }
    }
  }
  return passes;
}

/** Packs w-bit values little-endian (element 0 in the low bits) as hex. */
function packHex(values: bigint[], w: number): string {
  let v = 0n;
  for (let i = values.length - 1; i >= 0; i--) v = (v << BigInt(w)) | toBits(values[i]!, w);
  return v.toString(16);
}

function unpackRow(row: bigint, count: number, w: number, signed: boolean): bigint[] {
  let v = row;
  const mask = (1n << BigInt(w)) - 1n;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++, v >>= BigInt(w)) out.push(fromBits(v & mask, w, signed));
  return out;
}

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

export interface WsEngineResult {
  /** Trace cycles of the program's MARK lines (start0, done0, ...). */
  marks: Record<string, number>;
  c: bigint[][];
  /** Trace cycle at which each element left the engine (its host read). */
  cCycle: number[][];
  /** Sum over passes of the RTL's busy-cycle counter (start to last result written). */
  cycles: number;
  counters: WsCounters;
  perPass: WsCounters[];
  passes: WsPass[];
  /** All host-port cycles, buffer loads and read-back included. */
  totalCycles: number;
  simSeconds: number;
  build: Build;
}

export interface WsEngineOptions extends SimRunOptions {
  /** Chance per request, in 1/1000, that the host idles a cycle first. */
  stallPermille?: number;
  seed?: number;
  /** Replace the generated program (tests of reset and raw host access). */
  program?: string;
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

/** Runs `p` on the ws engine RTL and returns what it computed and counted. */
export async function runWsEngine(cfg: WsConfig, p: GemmProblem, opts: WsEngineOptions = {}): Promise<WsEngineResult> {
  const b = await buildWsEngine(cfg, opts.design, opts.traceFormat);
  const m = p.a.length, k = p.b.length, n = p.b[0]!.length;
  const passes = planWsPasses(cfg, m, k, n);
  const work = mkdtempSync(join(tmpdir(), 'accelforge-wse-'));
  try {
    const inPath = join(work, 'program.txt'), outPath = join(work, 'out.txt');
    writeFileSync(inPath, opts.program ?? wsEngineProgram(cfg, p, passes));
    const plusargs = harnessPlusargs({ in: inPath, out: outPath, ...opts, extra: { stall_permille: opts.stallPermille ?? 0, seed: opts.seed ?? 1 } });
    const r = await runSim(b, { plusargs, timeoutMs: opts.timeoutMs });
    const out = decodeWsEngineOutput(cfg, readFileSync(outPath, 'utf8'), m, n, passes);
    return { marks: out.marks, c: out.c, cCycle: out.cCycle, cycles: out.counters.cycles, counters: out.counters, perPass: out.perPass, passes, totalCycles: out.totalCycles, simSeconds: r.seconds, build: b };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
