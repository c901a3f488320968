// Runs the os engine on a simulator: builds it with the host harness, hands
// it the host program (host.ts) and returns what the RTL computed and counted.
import { withWorkDir } from '../common/cleanup.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OsConfig } from '../../golden/os/config.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { generateOs } from '../../generators/os/generate.js';
import { harnessPlusargs, type Build, type SimRunOptions } from '../tools/verilator/runner.js';
import { buildHostDesign, runBuild, type SimulatorName } from '../tools/sim.js';
import { planOsPasses, type OsPass } from '../../golden/os/mapper.js';
import { decodeOsEngineOutput, osEngineProgram } from './host.js';
import { withMidRunReset } from '../common/host-program.js';
import type { OsCounters } from '../../golden/os/interface.js';
import { osDramValues } from '../../golden/os/energy.js';
import { OsEnginePorts as P, OsEngineTop } from '../../generators/os/os_engine.binding.js';

export async function buildOsEngine(
  cfg: OsConfig,
  design: GeneratedDesign = generateOs(cfg),
  traceFormat?: 'fst' | 'vcd',
  xprop = false,
  sim?: SimulatorName,
): Promise<Build> {
  if (design.top !== OsEngineTop) throw new Error(`expected top ${OsEngineTop}, got ${design.top}`);
  return buildHostDesign(design, P, { sim, traceFormat, xprop });
}

export interface OsEngineResult {
  marks: Record<string, number>;
  c: bigint[][];
  /** Trace cycle at which each element left the engine (its host read). */
  cCycle: number[][];
  /** Sum over passes of the RTL's busy-cycle counter. */
  cycles: number;
  counters: OsCounters;
  /** Values the host moved (the DRAM level of the energy model, energy.ts). */
  dramValues: number;
  perPass: OsCounters[];
  passes: OsPass[];
  /** All host-port cycles, buffer loads and read-back included. */
  totalCycles: number;
  simSeconds: number;
  build: Build;
}

export interface OsEngineOptions extends SimRunOptions {
  stallPermille?: number;
  seed?: number;
}

/** Runs `p` on the os engine RTL and returns what it computed and counted. */
export async function runOsEngine(cfg: OsConfig, p: GemmProblem, opts: OsEngineOptions = {}): Promise<OsEngineResult> {
  const b = await buildOsEngine(cfg, opts.design, opts.traceFormat, opts.xprop !== undefined, opts.sim);
  const m = p.a.length,
    k = p.b.length,
    n = p.b[0]!.length;
  const passes = planOsPasses(cfg, m, k, n);
  return withWorkDir('accelforge-os-', async (work) => {
    const inPath = join(work, 'program.txt'),
      outPath = join(work, 'out.txt');
    const program = osEngineProgram(cfg, p, passes);
    writeFileSync(inPath, opts.resetMidRun ? withMidRunReset(program) : program);
    const plusargs = harnessPlusargs({
      in: inPath,
      out: outPath,
      ...opts,
      extra: { stall_permille: opts.stallPermille ?? 0, seed: opts.seed ?? 1 },
    });
    const r = await runBuild(b, { plusargs, timeoutMs: opts.timeoutMs, xprop: opts.xprop });
    const out = decodeOsEngineOutput(cfg, readFileSync(outPath, 'utf8'), m, n, passes);
    return {
      marks: out.marks,
      c: out.c,
      cCycle: out.cCycle,
      cycles: out.counters.cycles,
      counters: out.counters,
      dramValues: osDramValues(cfg, p, passes),
      perPass: out.perPass,
      passes,
      totalCycles: out.totalCycles,
      simSeconds: r.seconds,
      build: b,
    };
  });
}
