// Runs a systolic engine on a simulator: builds it with the host harness,
// hands it the host program (host.ts) for the run's dataflow and returns what
// the RTL computed and counted.
import { withWorkDir } from '../common/cleanup.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { harnessPlusargs, type Build, type SimRunOptions, tracedFormat } from '../tools/verilator/runner.js';
import { buildHostDesign, runBuild, type SimulatorName } from '../tools/sim.js';
import { planPasses, type GemmPass } from '../../golden/gemm/mapper.js';
import { dramValues } from '../../golden/gemm/access.js';
import { ctrlBits, gemmCsrs, Sel, type GemmCounters } from '../../golden/gemm/interface.js';
import { SimError } from '../../golden/common/errors.js';
import { clog2 } from '../../generators/common/design.js';
import { decodeGemmEngineOutput, gemmProgram } from './host.js';
import {
  resetMismatch,
  csrReadLines,
  bitBashLines,
  bitBashMismatch,
  type BashedCsr,
  takeLeadingReads,
  takeTrailingReads,
  withMidRunReset,
} from '../common/host-program.js';
import { WsEnginePorts, WsEngineTop } from '../../generators/gemm/ws_engine.binding.js';
import { OsEnginePorts, OsEngineTop } from '../../generators/gemm/os_engine.binding.js';
import { isConvProblem, ofmapFromGemm, type ConvGeometry, type GemmConvProblem } from '../../golden/gemm/conv.js';
import { convModel } from '../../golden/gemm/conv-models.js';
import { nativeConv } from './conv-host.js';

/** The engine tops' bindings (the same host port under each design's name). */
const tops = { ws: { top: WsEngineTop, ports: WsEnginePorts }, os: { top: OsEngineTop, ports: OsEnginePorts } };

export interface GemmBuildOptions {
  design?: GeneratedDesign;
  traceFormat?: 'fst' | 'vcd';
  xprop?: boolean;
  sim?: SimulatorName;
}

/** Builds (or reuses) the engine of a ws or os configuration. */
export async function buildGemmEngine(name: Dataflow, cfg: GemmConfig, o: GemmBuildOptions = {}): Promise<Build> {
  const design = o.design ?? generateGemm(name, cfg);
  const t = tops[name];
  if (design.top !== t.top) throw new Error(`expected top ${t.top}, got ${design.top}`);
  return buildHostDesign(design, t.ports, { sim: o.sim, traceFormat: o.traceFormat, xprop: o.xprop });
}

export interface GemmEngineResult {
  /** The dataflow the run used. */
  dataflow: Dataflow;
  /** Trace cycles of the program's MARK lines (start0, done0, ...). */
  marks: Record<string, number>;
  c: bigint[][];
  /** A native convolution's geometry and its ofmap (C's im2col rows rearranged), N x M x E x F. */
  conv?: { geometry: ConvGeometry; ofmap: bigint[][][][] };
  /** Trace cycle at which each element left the engine (its host read). */
  cCycle: number[][];
  /** Sum over passes of the RTL's busy-cycle counter (start to last result written). */
  cycles: number;
  counters: GemmCounters;
  /** Values the host moved (the DRAM level of the energy model). */
  dramValues: number;
  perPass: GemmCounters[];
  passes: GemmPass[];
  /** All host-port cycles, buffer loads and read-back included. */
  totalCycles: number;
  simSeconds: number;
  /** The program opened with the checked-run prelude (expectInline): a re-run for a trace must do the same. */
  checked: boolean;
  build: Build;
}

export interface GemmEngineOptions extends SimRunOptions {
  /** Chance per request, in 1/1000, that the host idles a cycle first. */
  stallPermille?: number;
  seed?: number;
  /** Open the program by reading every CSR after reset and check each against its reset value (verify, mutate). */
  expectInline?: boolean;
  /** Replace the generated program (tests of reset and raw host access). */
  program?: string;
}

/** Runs `p` on the engine RTL in dataflow `df` and returns what it computed and counted. */
export async function runGemmEngine(
  name: Dataflow,
  cfg: GemmConfig,
  df: Dataflow,
  p: GemmProblem | GemmConvProblem,
  opts: GemmEngineOptions = {},
): Promise<GemmEngineResult> {
  const b = await buildGemmEngine(name, cfg, {
    design: opts.design,
    traceFormat: tracedFormat(opts),
    xprop: opts.xprop !== undefined,
    sim: opts.sim,
  });
  // A native convolution runs as passes of its im2col GEMM (golden/gemm/conv.ts, os-conv.ts).
  const conv = isConvProblem(p) ? nativeConv(cfg, df, p) : undefined;
  const g = conv?.g;
  const m = g ? g.gm : (p as GemmProblem).a.length,
    n = g ? g.gn : (p as GemmProblem).b[0]!.length,
    k = g ? g.gk : (p as GemmProblem).b.length;
  const passes = conv ? conv.passes : planPasses(cfg, df, m, k, n, (p as GemmProblem).requant !== undefined);
  return withWorkDir(`accelforge-${name}-`, async (work) => {
    const inPath = join(work, 'program.txt'),
      outPath = join(work, 'out.txt');
    const body = opts.program ?? (conv ? conv.program() : gemmProgram(cfg, df, p as GemmProblem, passes));
    const checkReset = opts.expectInline && opts.program === undefined;
    // A checked run also closes by reading the host-request counters (without a mid-run reset, which clears them).
    const closing = checkReset && !opts.resetMidRun;
    const opened = checkReset ? `${gemmCheckedPrelude(cfg)}\n${withRowAfterCsrs(withIgnoredBit(cfg, body))}` : body;
    const program = closing ? `${opened}\n${csrReadLines(closingCsrs.map(csrAddr))}` : opened;
    writeFileSync(inPath, opts.resetMidRun ? withMidRunReset(program) : program);
    const plusargs = harnessPlusargs({
      in: inPath,
      out: outPath,
      ...opts,
      extra: { stall_permille: opts.stallPermille ?? 0, seed: opts.seed ?? 1 },
    });
    const r = await runBuild(b, { plusargs, timeoutMs: opts.timeoutMs, xprop: opts.xprop });
    const text = checkedOutput(cfg, readFileSync(outPath, 'utf8'), opened, Boolean(checkReset), Boolean(closing));
    const out = decodeGemmEngineOutput(cfg, name, text, m, n, passes);
    return {
      dataflow: df,
      marks: out.marks,
      c: out.c,
      ...(g ? { conv: { geometry: g, ofmap: ofmapFromGemm(g, out.c) } } : {}),
      cCycle: out.cCycle,
      cycles: out.counters.cycles,
      counters: out.counters,
      dramValues: isConvProblem(p)
        ? convModel(cfg, df, g!, p.bias !== undefined).dramValues
        : dramValues(cfg, df, p, passes),
      perPass: out.perPass,
      passes,
      totalCycles: out.totalCycles,
      simSeconds: r.seconds,
      checked: Boolean(checkReset),
      build: b,
    };
  });
}

/**
 * A CSR's value read as the `index`-th read after reset (datasheet): 0,
 * except CTRL's dataflow bit on an os array, the dataflows the array runs,
 * and hostReads, which has counted the reads before it.
 */
export function gemmResetValue(cfg: GemmConfig, csr: string, index: number): bigint {
  if (csr === 'hostReads') return BigInt(index);
  if (csr === 'ctrl') return cfg.dataflow === 'os' ? 1n << BigInt(ctrlBits.os) : 0n;
  if (csr === 'dataflows') return (cfg.dataflow !== 'os' ? 1n : 0n) | (cfg.dataflow !== 'ws' ? 2n : 0n);
  return 0n;
}

/** The CSRs a checked run reads at its end: the host-request counters and the status (done). */
const closingCsrs = ['hostWrites', 'hostReads', 'status'] as const;
const csrAddr = (name: string) => gemmCsrs.find((c) => c.name === name)!.addr;

/** The closing reads against the requests the program made and a finished run's status. */
function closingMismatch(reads: bigint[], want: Record<(typeof closingCsrs)[number], number>): string | undefined {
  for (const [i, n] of closingCsrs.entries())
    if (reads[i] !== BigInt(want[n]))
      return `at the end of the run CSR ${n} read ${reads[i]}, expected ${want[n]} (${n === 'status' ? 'done, not busy' : `the ${n === 'hostWrites' ? 'writes' : 'reads'} the host made`})`;
  return undefined;
}

/** The read-write CSRs a checked run writes with two patterns and reads back, each with the bits it keeps (datasheet). */
export function bitBashed(cfg: GemmConfig): BashedCsr[] {
  const bits = (n: number) => (1n << BigInt(n)) - 1n;
  const widths: Record<string, number> = {
    m: 32,
    n: 32,
    k: 32,
    aBase: clog2(cfg.aDepth),
    bBase: clog2(cfg.bDepth),
    accBase: clog2(cfg.accDepth),
    convIn: 64,
    convWin: 32,
    convOut: 32,
    convBand: 48,
    convBandW: 48,
    convTap: 32,
    convOs: 64,
    convOsStride: 60,
    convOsStride2: 56,
  };
  return gemmCsrs
    .filter((c) => widths[c.name] !== undefined)
    .map((c) => ({ name: c.name, addr: c.addr, mask: bits(widths[c.name]!) }));
}

/** The empty starts of a checked run: M, then N, then K zero (the other two not). */
const emptyStarts = [
  { m: 0, n: 3, k: 5 },
  { m: 2, n: 0, k: 5 },
  { m: 2, n: 3, k: 0 },
];

/**
 * What a checked run does before the problem: read every CSR after reset;
 * write each read-write CSR with 0101... and 1010..., reading each back, then
 * 0 again; and start three times with one of M, N and K zero, each of which
 * must end at once: STATUS read right after the start says done, not busy.
 */
function gemmCheckedPrelude(cfg: GemmConfig): string {
  const bash = bitBashed(cfg);
  const hex = (v: bigint) => v.toString(16);
  return [
    csrReadLines(gemmCsrs.map((c) => c.addr)),
    ...bitBashLines(bash),
    // CTRL without its start bit, both halves of bits 1-4, then 0 again; and CSR numbers past the table.
    ...ctrlPatterns.flatMap((v) => [`W 0 ${ctrlAddr} ${hex(v)}`, `R 0 ${ctrlAddr}`]),
    `W 0 ${ctrlAddr} 0`,
    csrReadLines(unusedCsrs),
    ...emptyStarts.flatMap((e) => [
      `W 0 ${csrAddr('m')} ${hex(BigInt(e.m))}`,
      `W 0 ${csrAddr('n')} ${hex(BigInt(e.n))}`,
      `W 0 ${csrAddr('k')} ${hex(BigInt(e.k))}`,
      `W 0 ${csrAddr('ctrl')} 1`,
      `R 0 ${csrAddr('status')}`,
      'WAIT',
    ]),
  ].join('\n');
}

function emptyStartMismatch(reads: bigint[]): string | undefined {
  const i = reads.findIndex((r) => r !== 2n);
  if (i < 0) return undefined;
  const e = emptyStarts[i]!;
  return `a start with M=${e.m} N=${e.n} K=${e.k} read status 0x${(reads[i] ?? 0n).toString(16)} right after; the datasheet says it ends at once (0x2: done, not busy)`;
}

/**
 * On an array of one dataflow CTRL bit 3 is ignored (the datasheet): a
 * checked run's starts set it against the array's dataflow, so a design that
 * listened to it would fail.
 */
function withIgnoredBit(cfg: GemmConfig, program: string): string {
  if (cfg.dataflow === 'both') return program;
  const ctrl = `W 0 ${ctrlAddr} `;
  return program
    .split('\n')
    .map((l) => {
      if (!l.startsWith(ctrl)) return l;
      const v = BigInt(`0x${l.slice(ctrl.length)}`);
      return v & 1n ? `${ctrl}${(cfg.dataflow === 'ws' ? v | 8n : v & ~8n).toString(16)}` : l;
    })
    .join('\n');
}

/**
 * A checked run writes one buffer row again (the same data) between its CSRs
 * and its first start, a row whose number is also the number of CSR M, N, K
 * or CTRL: a design that decoded a buffer write as a CSR write would change
 * that CSR, and the run would show it. (Before, every buffer row was written
 * before the CSRs, which then overwrote such a change.)
 */
function withRowAfterCsrs(program: string): string {
  const lines = program.split('\n');
  const ctrl = `W ${Sel.csr} ${ctrlAddr} `;
  const start = lines.findIndex((l) => l.startsWith(ctrl) && (BigInt(`0x${l.slice(ctrl.length)}`) & 1n) === 1n);
  if (start < 0) return program;
  const last = new Map<string, number>();
  lines.slice(0, start).forEach((l, i) => {
    const [w, sel, addr] = l.split(' ');
    if (w === 'W' && (Number(sel) === Sel.a || Number(sel) === Sel.b)) last.set(addr!, i);
  });
  const row = ['m', 'n', 'k', 'ctrl'].map((c) => last.get(String(csrAddr(c)))).find((i) => i !== undefined);
  if (row === undefined) return program;
  return [...lines.slice(0, start), lines[row]!, ...lines.slice(start)].join('\n');
}

const ctrlAddr = csrAddr('ctrl');
/** CTRL written without the start bit: bits 2 and 4, then bits 1 and 3. */
const ctrlPatterns = [0x14n, 0x0an];
/** Two CSR numbers past the table (the datasheet: they read 0). */
const unusedCsrs = [Math.max(...gemmCsrs.map((c) => c.addr)) + 1, Math.max(...gemmCsrs.map((c) => c.addr)) + 9];

/** CTRL reads back bits 1, 2 and 4 as written; bit 3 is the next run's dataflow: written on an array of both, else the array's own. */
function ctrlMismatch(cfg: GemmConfig, reads: bigint[]): string | undefined {
  for (const [i, v] of ctrlPatterns.entries()) {
    const os = cfg.dataflow === 'both' ? v & 8n : cfg.dataflow === 'os' ? 8n : 0n;
    const want = (v & 0x16n) | os;
    if (reads[i] !== want)
      return `CSR ctrl written 0x${v.toString(16)} read back 0x${(reads[i] ?? 0n).toString(16)}, the datasheet says 0x${want.toString(16)}`;
  }
  return undefined;
}

function unusedMismatch(reads: bigint[]): string | undefined {
  const i = reads.findIndex((r) => r !== 0n);
  return i < 0
    ? undefined
    : `CSR number ${unusedCsrs[i]} (not in the table) read 0x${reads[i]!.toString(16)}; the datasheet says 0`;
}

/**
 * The harness output without the checked run's own reads, after checking
 * them: the opening reads (reset values, read-back, CTRL, unused numbers) and
 * the closing ones (host-request counters, status). SimError on a wrong one.
 */
function checkedOutput(cfg: GemmConfig, output: string, opened: string, opening: boolean, closing: boolean): string {
  let text = output;
  if (opening) {
    const bash = bitBashed(cfg);
    const n = gemmCsrs.length + 2 * bash.length;
    const r0 = takeLeadingReads(text, n + ctrlPatterns.length + unusedCsrs.length + emptyStarts.length);
    const bad =
      resetMismatch(gemmCsrs, r0.reads, (csr, i) => gemmResetValue(cfg, csr, i)) ??
      bitBashMismatch(bash, r0.reads.slice(gemmCsrs.length)) ??
      ctrlMismatch(cfg, r0.reads.slice(n, n + ctrlPatterns.length)) ??
      unusedMismatch(r0.reads.slice(n + ctrlPatterns.length, n + ctrlPatterns.length + unusedCsrs.length)) ??
      emptyStartMismatch(r0.reads.slice(n + ctrlPatterns.length + unusedCsrs.length));
    if (bad) throw new SimError(bad);
    text = r0.rest;
  }
  if (closing) {
    const lines = opened.split('\n');
    const want = {
      hostWrites: lines.filter((l) => l.startsWith('W ')).length,
      hostReads: lines.filter((l) => l.startsWith('R ')).length + 1,
      status: 2, // done, not busy
    };
    const r1 = takeTrailingReads(text, closingCsrs.length);
    const bad = closingMismatch(r1.reads, want);
    if (bad) throw new SimError(bad);
    text = r1.rest;
  }
  return text;
}
