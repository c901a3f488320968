// Runs the EIE engine on Verilator: the host program (host.ts) through the
// host harness, and the answers decoded into outputs and counters.
import { withWorkDir } from '../common/cleanup.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EieConfig } from '../../golden/eie/config.js';
import { clog2, type GeneratedDesign } from '../../generators/common/design.js';
import { generateEie } from '../../generators/eie/generate.js';
import { SimError } from '../../golden/common/errors.js';
import { harnessPlusargs, type Build, type SimRunOptions, tracedFormat } from '../tools/verilator/runner.js';
import { buildHostDesign, runBuild, type SimulatorName } from '../tools/sim.js';
import {
  parseHostOutput,
  resetMismatch,
  csrReadLines,
  takeLeadingReads,
  takeTrailingReads,
  withMidRunReset,
  bitBashLines,
  bitBashMismatch,
  type BashedCsr,
} from '../common/host-program.js';
import { eieBatchProgram, eieProgram, eieReadsPerRun } from './host.js';
import { eieWidths } from '../../generators/eie/generate.js';
import { layoutEie } from '../../golden/eie/layout.js';
import {
  EieCsr,
  EieSel,
  eieCsrs,
  eieLayerCsrs,
  layerCsr,
  peCounterNames,
  type PeCounters,
} from '../../golden/eie/interface.js';
import { EieEnginePorts as P, EieEngineTop } from '../../generators/eie/eie_engine.binding.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import { eieDramValues } from '../../golden/eie/access.js';

export async function buildEieEngine(
  cfg: EieConfig,
  design: GeneratedDesign = generateEie(cfg),
  traceFormat?: 'fst' | 'vcd',
  xprop = false,
  sim?: SimulatorName,
): Promise<Build> {
  if (design.top !== EieEngineTop) throw new Error(`expected top ${EieEngineTop}, got ${design.top}`);
  return buildHostDesign(design, P, { sim, traceFormat, xprop });
}

export interface EieRunResult {
  /** Trace cycles of the program's MARK lines (start, done). */
  marks: Record<string, number>;
  b: bigint[];
  /** Trace cycle at which each output left the engine (its host read). */
  bCycle: number[];
  cycles: number;
  layerCycles: number[];
  broadcasts: number;
  queueFullStalls: number;
  pes: PeCounters[];
  /** Values the host program moved (the DRAM level of the energy model, access.ts). */
  dramValues: number;
  hostCycles: number;
  simSeconds: number;
  /** The program opened with the checked-run prelude (expectInline): a re-run for a trace must do the same. */
  checked: boolean;
  build: Build;
}

export interface EieRunOptions extends SimRunOptions {
  /** Open the program by reading every CSR after reset, each checked against 0 (verify, mutate). */
  expectInline?: boolean;
  stallPermille?: number;
  seed?: number;
}

export async function runEie(cfg: EieConfig, p: EieProblem, opts: EieRunOptions = {}): Promise<EieRunResult> {
  const lay = layoutEie(cfg, p);
  const b = await buildEieEngine(cfg, opts.design, tracedFormat(opts), opts.xprop !== undefined, opts.sim);
  return withWorkDir('accelforge-eie-', async (work) => {
    const inPath = join(work, 'program.txt'),
      outPath = join(work, 'out.txt');
    const program = eieProgram(cfg, p, lay);
    // A checked run (verify, mutate) opens by reading every CSR after reset: each must read 0 (datasheet).
    // Then writes every read-write CSR with two bit patterns, reading each back (bitBashed).
    const csrs = resetCsrs(cfg);
    const unmapped = unmappedReads(cfg);
    const bash = bitBashed(cfg);
    const opened = opts.expectInline
      ? [csrReadLines(csrs.map((c) => c.addr)), ...unmapped.map((u) => u.line), ...bitBashLines(bash), program].join(
          '\n',
        )
      : program;
    // ... and closes by reading the status: done, not busy (a mid-run reset aside).
    const closing = opts.expectInline && !opts.resetMidRun;
    const full = closing ? `${opened}\n${csrReadLines([EieCsr.status])}` : opened;
    writeFileSync(inPath, opts.resetMidRun ? withMidRunReset(full) : full);
    const plusargs = harnessPlusargs({
      in: inPath,
      out: outPath,
      ...opts,
      extra: { stall_permille: opts.stallPermille ?? 0, seed: opts.seed ?? 1 },
    });
    const r = await runBuild(b, { plusargs, timeoutMs: opts.timeoutMs, xprop: opts.xprop });
    let text = readFileSync(outPath, 'utf8');
    if (opts.expectInline) {
      const r0 = takeLeadingReads(text, csrs.length + unmapped.length + 2 * bash.length);
      const bad =
        resetMismatch(csrs, r0.reads, () => 0n) ??
        unmapped
          .map((u, i) =>
            r0.reads[csrs.length + i] !== 0n
              ? `${u.what} read 0x${r0.reads[csrs.length + i]!.toString(16)}; the datasheet says 0`
              : undefined,
          )
          .find(Boolean) ??
        bitBashMismatch(bash, r0.reads.slice(csrs.length + unmapped.length));
      if (bad) throw new SimError(bad);
      text = r0.rest;
    }
    if (closing) {
      const r1 = takeTrailingReads(text, 1);
      if (r1.reads[0] !== 2n)
        throw new SimError(`at the end of the run CSR status read ${r1.reads[0]}, expected 2 (done, not busy)`);
      text = r1.rest;
    }
    const out = parseHostOutput(text);
    const rows = p.layers.at(-1)!.index.length;
    const expected = eieReadsPerRun(cfg, p.layers.length, rows);
    if (out.reads.length !== expected)
      throw new SimError(`eie harness returned ${out.reads.length} reads; expected ${expected}`);
    return {
      ...decodeRun(cfg, p.layers.length, rows, out.reads, out.readCycles, 0),
      dramValues: eieDramValues(cfg, program),
      marks: out.marks,
      hostCycles: out.cycles,
      simSeconds: r.seconds,
      checked: Boolean(opts.expectInline),
      build: b,
    };
  });
}

/** One run's answers from `at` in the read list (the program's reads: counters, then the outputs). */
export function decodeRun(
  cfg: EieConfig,
  layers: number,
  rows: number,
  reads: bigint[],
  readCycles: number[],
  at: number,
) {
  let i = at;
  const next = () => reads[i++]!;
  const cycles = Number(next()),
    broadcasts = Number(next()),
    queueFullStalls = Number(next());
  const layerCycles = Array.from({ length: layers }, () => Number(next()));
  const pes = Array.from({ length: cfg.pes }, () => {
    const c = {} as PeCounters;
    for (const n of peCounterNames) c[n] = Number(next());
    return c;
  });
  const first = i;
  const bOut = Array.from({ length: rows }, () => BigInt.asIntN(16, next()));
  const bCycle = Array.from({ length: rows }, (_, r) => readCycles[first + r]!);
  return { b: bOut, bCycle, cycles, layerCycles, broadcasts, queueFullStalls, pes };
}

export type EieBatchRun = ReturnType<typeof decodeRun>;

/** Several input vectors through the same layers in one simulator run (the memories load once). */
export async function runEieBatch(
  cfg: EieConfig,
  p: EieProblem,
  inputs: bigint[][],
  opts: EieRunOptions = {},
): Promise<{ runs: EieBatchRun[]; hostCycles: number; simSeconds: number; marks: Record<string, number> }> {
  const lay = layoutEie(cfg, p);
  const b = await buildEieEngine(cfg, opts.design, tracedFormat(opts), opts.xprop !== undefined, opts.sim);
  return withWorkDir('accelforge-eie-', async (work) => {
    const inPath = join(work, 'program.txt'),
      outPath = join(work, 'out.txt');
    writeFileSync(inPath, eieBatchProgram(cfg, p, inputs, lay));
    const plusargs = harnessPlusargs({
      in: inPath,
      out: outPath,
      ...opts,
      extra: { stall_permille: opts.stallPermille ?? 0, seed: opts.seed ?? 1 },
    });
    const r = await runBuild(b, { plusargs, timeoutMs: opts.timeoutMs, xprop: opts.xprop });
    const out = parseHostOutput(readFileSync(outPath, 'utf8'));
    const rows = p.layers.at(-1)!.index.length;
    const per = eieReadsPerRun(cfg, p.layers.length, rows);
    if (out.reads.length !== per * inputs.length)
      throw new SimError(`eie harness returned ${out.reads.length} reads; expected ${per * inputs.length}`);
    const runs = inputs.map((_, k) => decodeRun(cfg, p.layers.length, rows, out.reads, out.readCycles, k * per));
    return { runs, hostCycles: out.cycles, simSeconds: r.seconds, marks: out.marks };
  });
}

/** Reads a checked run makes of numbers the datasheet says read 0: past the CSR tables, past the last PE's counters. */
function unmappedReads(cfg: EieConfig): { line: string; what: string }[] {
  const past = layerCsr(cfg.maxLayers - 1, 'flags') + 1;
  const local = BigInt(peCounterNames.length);
  const cnt = (BigInt(cfg.pes - 1) << BigInt(eieWidths(cfg).local)) | local;
  return [
    { line: `R ${EieSel.csr} ${past}`, what: `CSR number ${past} (past the tables)` },
    { line: `R ${EieSel.cnt} ${cnt}`, what: `PE ${cfg.pes - 1}'s counter number ${local} (past the list)` },
  ];
}

/** Every CSR a checked run reads after reset: the engine's, then each layer's. */
/**
 * The read-write CSRs a checked run writes with two patterns and reads back,
 * each with the bits it keeps (datasheet): numLayers bits clog2(maxLayers)..0,
 * each layer's rows 31..0, ptrBase the pointer address's bits, flags 5..0.
 */
export function bitBashed(cfg: EieConfig): BashedCsr[] {
  const bits = (n: number) => (1n << BigInt(n)) - 1n;
  const layer = (l: number) => [
    { name: `layer ${l} rows`, addr: layerCsr(l, 'rows'), mask: bits(32) },
    { name: `layer ${l} ptrBase`, addr: layerCsr(l, 'ptrBase'), mask: bits(eieWidths(cfg).ptrAddr) },
    { name: `layer ${l} flags`, addr: layerCsr(l, 'flags'), mask: bits(6) },
  ];
  return [
    { name: 'numLayers', addr: EieCsr.numLayers, mask: bits(clog2(cfg.maxLayers) + 1) },
    ...Array.from({ length: cfg.maxLayers }, (_, l) => layer(l)).flat(),
  ];
}

function resetCsrs(cfg: EieConfig): { name: string; addr: number }[] {
  const layers = Array.from({ length: cfg.maxLayers }, (_, l) =>
    eieLayerCsrs.map((c) => ({ name: `layer ${l} ${c.name}`, addr: layerCsr(l, c.name) })),
  );
  return [...eieCsrs, ...layers.flat()];
}
