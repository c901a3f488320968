// The rs verbs' design-specific part.
import type { RsConfig } from './config.js';
import { generateRs } from './generate.js';
import { MismatchError } from '../../core/errors.js';
import { conv, convShape } from './golden.js';
import { mapConv, rsEnergy } from './rs-map.js';
import { parseRsProblem } from './problem.js';
import { runRs } from './sim.js';
import { rsCase } from './check.js';
import { firstRsMismatch, rsFailureArtifacts } from './failure.js';
import type { RunFlags } from '../ws/verbs.js';
import { failureDir, indent, reproduceRun, reproduceVerify, type CheckOptions } from '../failure.js';

export async function runRsProblem(cfg: RsConfig, raw: unknown, source: string, flags: RunFlags) {
  const p = parseRsProblem(raw, cfg, source);
  const design = generateRs(cfg, { fault: flags.fault });
  const want = flags.expect ? conv(cfg.accWidth, p) : undefined;
  const mapping = mapConv(cfg, convShape(p), p.bias !== undefined, flags.objective);
  const r = await runRs(cfg, p, { design, mapping, trace: flags.waves, maxCycles: flags.maxCycles, expect: want });
  if (want) {
    const bad = firstRsMismatch(cfg, p, r, want);
    if (bad) {
      const a = await rsFailureArtifacts({ cfg, configArg: flags.configArg, problem: p, result: r, design, reproduce: reproduceRun('rs', flags.configArg, source, flags), dir: failureDir(flags, 'rs', design.configHash, 'run') }, bad);
      throw new MismatchError({ ...bad, pe: `column ${bad.column}`, cycle: bad.cycle }, `rs ${flags.configArg}\n${a.report}`);
    }
  }
  const sh = convShape(p);
  const macs = sh.N * sh.M * sh.E * sh.F * sh.C * sh.R * sh.S;
  return {
    ofmap: r.ofmap,
    cycles: r.cycles,
    counters: r.counters,
    mapping: r.mapping,
    macs,
    utilization: macs / (r.cycles * cfg.peRows * cfg.peCols),
    energy: rsEnergy(r.counters),
    design: 'rs',
    configHash: design.configHash,
  };
}

export async function verifyRs(cfg: RsConfig, configArg: string, seed: number, cases: number, log: (l: string) => void, o: CheckOptions): Promise<number> {
  let failed = 0;
  const design = generateRs(cfg, { fault: o.fault });
  for (let i = 0; i < cases; i++) {
    const c = rsCase(cfg, seed + i);
    // The DRAM compares each result as it is written and stops at the first wrong one.
    const want = conv(cfg.accWidth, c.problem);
    const r = await runRs(cfg, c.problem, { design, expect: want });
    const bad = firstRsMismatch(cfg, c.problem, r, want);
    if (bad) {
      failed++;
      const a = await rsFailureArtifacts({ cfg, configArg, problem: c.problem, result: r, design, seed: c.seed, reproduce: reproduceVerify('rs', configArg, c.seed, o.fault), dir: failureDir(o, 'rs', design.configHash, c.seed) }, bad);
      log(`FAIL case ${i + 1}/${cases} seed ${c.seed} ${c.describe}: ${bad.element} expected ${bad.expected}, got ${bad.actual}`);
      log(indent(a.report));
    } else {
      log(`PASS case ${i + 1}/${cases} seed ${c.seed} ${c.describe} cycles=${r.cycles}`);
    }
  }
  log(`${cases - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
