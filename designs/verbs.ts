// The generic `run` and `verify` loops over the Design plugin: one shape for
// every design (parse, generate, simulate, compare, report).
import { MismatchError } from '../core/errors.js';
import type { FaultSpec } from '../core/fault.js';
import type { AnyDesign, DesignRunOptions } from './plugin.js';
import { failureDir, indent, reproduceRun, reproduceVerify, type CheckOptions } from './failure.js';

export type { CheckOptions };

export interface RunFlags extends Pick<DesignRunOptions, 'maxCycles'> {
  /** Trace file of the run. */
  waves?: string;
  stall?: number;
  fault?: FaultSpec;
  /** Check against the golden model; artifacts on a mismatch. */
  expect?: boolean;
  artifacts: string;
  configArg: string;
  /** Design-specific flags by key. */
  flags?: Record<string, unknown>;
  sim?: 'verilator' | 'icarus';
}

/** `run`: a user's problem on the RTL; the JSON of cli.md, with cycles and counters measured in the RTL. */
export async function runProblem(d: AnyDesign, cfg: object, raw: unknown, source: string, f: RunFlags) {
  const p = d.parseProblem(raw, cfg, source);
  const design = d.generate(cfg, { fault: f.fault });
  const r = await d.simulate(cfg, p, { design, trace: f.waves, maxCycles: f.maxCycles, stallPermille: f.stall ?? 0, flags: f.flags, expectInline: f.expect, sim: f.sim });
  if (f.expect) {
    const bad = d.firstMismatch(cfg, p, r);
    if (bad) {
      const a = await d.failure(cfg, p, r, bad, { configArg: f.configArg, design, stallPermille: f.stall, flags: f.flags, reproduce: reproduceRun(d.name, f.configArg, source, f), dir: failureDir(f, d.name, design.configHash, 'run') });
      throw new MismatchError({ ...bad }, `${d.name} ${f.configArg}\n${a.report}`);
    }
  }
  return d.summary(cfg, p, r, design);
}

/** `verify`: random cases against the golden model (and the cycle model); returns the exit code. */
export async function verifyDesign(d: AnyDesign, cfg: object, configArg: string, seed: number, cases: number, log: (l: string) => void, o: CheckOptions): Promise<number> {
  let failed = 0;
  const design = d.generate(cfg, { fault: o.fault });
  for (let i = 0; i < cases; i++) {
    const c = d.randomCase(cfg, seed + i);
    const desc = `seed ${c.seed} ${c.describe}${c.stallPermille !== undefined ? ` host-stalls=${c.stallPermille / 10}%` : ''}`;
    const r = await d.simulate(cfg, c.problem, { design, stallPermille: c.stallPermille, seed: c.seed, expectInline: true, sim: o.sim });
    const bad = d.firstMismatch(cfg, c.problem, r);
    const cyc = d.cycleCheck?.(cfg, c.problem, r);
    if (bad) {
      failed++;
      const a = await d.failure(cfg, c.problem, r, bad, { configArg, design, seed: c.seed, stallPermille: c.stallPermille, reproduce: reproduceVerify(d.name, configArg, c.seed, o.fault, [], o.sim), dir: failureDir(o, d.name, design.configHash, c.seed) });
      log(`FAIL case ${i + 1}/${cases} ${desc}: ${bad.element} expected ${bad.expected}, got ${bad.actual}`);
      log(indent(a.report));
    } else if (cyc && cyc.model !== cyc.measured) {
      failed++;
      log(`FAIL case ${i + 1}/${cases} ${desc}: cycles expected ${cyc.model} (${cyc.modelName}), RTL counted ${cyc.measured}`);
      log(`  reproduce: ${reproduceVerify(d.name, configArg, c.seed, o.fault, [], o.sim)}`);
    } else {
      log(`PASS case ${i + 1}/${cases} ${desc} cycles=${r.cycles}${cyc ? ` (model ${cyc.model})` : ''}`);
    }
  }
  log(`${cases - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
