// Runs the ws engine on Verilator: builds the model with the host harness,
// hands it the host program (host.ts) and returns what the RTL computed and
// counted.
import { withWorkDir } from '../common/cleanup.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WsConfig } from '../../golden/ws/config.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { generateWs } from '../../generators/ws/generate.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { harnessPlusargs, type Build, type SimRunOptions } from '../tools/verilator/runner.js';
import { buildHostDesign, runBuild, type SimulatorName } from '../tools/sim.js';
import { planWsPasses, type WsPass } from '../../golden/ws/mapper.js';
import { decodeWsEngineOutput, wsEngineProgram } from './host.js';
import { withMidRunReset } from '../common/host-program.js';
import type { WsCounters } from '../../golden/ws/interface.js';
import { wsDramValues } from '../../golden/ws/access.js';
import { WsEnginePorts as P, WsEngineTop } from '../../generators/ws/ws_engine.binding.js';

export async function buildWsEngine(
  cfg: WsConfig,
  design: GeneratedDesign = generateWs(cfg),
  traceFormat?: 'fst' | 'vcd',
  xprop = false,
  sim?: SimulatorName,
): Promise<Build> {
  if (design.top !== WsEngineTop) throw new Error(`expected top ${WsEngineTop}, got ${design.top}`);
  return buildHostDesign(design, P, { sim, traceFormat, xprop });
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
  /** Values the host moved (the DRAM level of the energy model, access.ts). */
  dramValues: number;
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

/** Runs `p` on the ws engine RTL and returns what it computed and counted. */
export async function runWsEngine(cfg: WsConfig, p: GemmProblem, opts: WsEngineOptions = {}): Promise<WsEngineResult> {
  const b = await buildWsEngine(cfg, opts.design, opts.traceFormat, opts.xprop !== undefined, opts.sim);
  const m = p.a.length,
    k = p.b.length,
    n = p.b[0]!.length;
  const passes = planWsPasses(cfg, m, k, n);
  return withWorkDir('accelforge-wse-', async (work) => {
    const inPath = join(work, 'program.txt'),
      outPath = join(work, 'out.txt');
    const program = opts.program ?? wsEngineProgram(cfg, p, passes);
    writeFileSync(inPath, opts.resetMidRun ? withMidRunReset(program) : program);
    const plusargs = harnessPlusargs({
      in: inPath,
      out: outPath,
      ...opts,
      extra: { stall_permille: opts.stallPermille ?? 0, seed: opts.seed ?? 1 },
    });
    const r = await runBuild(b, { plusargs, timeoutMs: opts.timeoutMs, xprop: opts.xprop });
    const out = decodeWsEngineOutput(cfg, readFileSync(outPath, 'utf8'), m, n, passes);
    return {
      marks: out.marks,
      c: out.c,
      cCycle: out.cCycle,
      cycles: out.counters.cycles,
      counters: out.counters,
      dramValues: wsDramValues(cfg, p, passes),
      perPass: out.perPass,
      passes,
      totalCycles: out.totalCycles,
      simSeconds: r.seconds,
      build: b,
    };
  });
}
