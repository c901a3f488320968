// The ws verbs' design-specific part: run a user problem, verify random ones.
import type { WsConfig } from './config.js';
import { generateWs } from './generate.js';
import type { FaultSpec } from '../../core/fault.js';
import type { RsObjective } from '../rs/rs-map.js';
import { MismatchError } from '../../core/errors.js';
import { gemm } from './golden.js';
import { scaleSimCycles, utilization, wsPassCycles } from './cycles.js';
import { parseWsProblem } from './problem.js';
import { runWsEngine } from './sim.js';
import { firstGemmMismatch, wsCase } from './check.js';
import { wsFailureArtifacts } from './failure.js';
import { failureDir, indent, reproduceRun, reproduceVerify, type CheckOptions } from '../failure.js';

export interface RunFlags {
  waves?: string;
  maxCycles?: number;
  stall?: number;
  fault?: FaultSpec;
  /** Check against the golden model; artifacts on a mismatch. */
  expect?: boolean;
  artifacts: string;
  configArg: string;
  /** rs: what the mapper minimizes. */
  objective?: RsObjective;
}

export async function runWsProblem(cfg: WsConfig, raw: unknown, source: string, flags: RunFlags) {
  const p = parseWsProblem(raw, cfg, source);
  const design = generateWs(cfg, { fault: flags.fault });
  const r = await runWsEngine(cfg, p, { design, trace: flags.waves, maxCycles: flags.maxCycles, stallPermille: flags.stall ?? 0 });
  const shape = { m: p.a.length, k: p.b.length, n: p.b[0]!.length };
  if (flags.expect) {
    const bad = firstGemmMismatch(gemm(cfg, p), r.c, r.cCycle);
    if (bad) {
      const a = await wsFailureArtifacts({ cfg, configArg: flags.configArg, problem: p, result: r, design, stallPermille: flags.stall, reproduce: reproduceRun('ws', flags.configArg, source, flags), dir: failureDir(flags, 'ws', design.configHash, 'run') }, bad);
      throw new MismatchError({ ...bad, pe: `column ${bad.j % cfg.cols}` }, `ws ${flags.configArg}\n${a.report}`);
    }
  }
  return {
    c: r.c,
    cycles: r.cycles,
    counters: r.counters,
    passes: r.passes.map((ps, i) => ({ ...ps, cycles: r.perPass[i]!.cycles })),
    hostCycles: r.totalCycles,
    utilization: utilization(cfg, shape, r.cycles),
    modelCycles: r.passes.reduce((s, ps) => s + wsPassCycles(cfg, { m: ps.mp, k: ps.kp, n: ps.np }), 0),
    scaleSimCycles: scaleSimCycles(cfg, shape),
    design: 'ws',
    configHash: design.configHash,
  };
}

export async function verifyWs(cfg: WsConfig, configArg: string, seed: number, cases: number, log: (line: string) => void, o: CheckOptions): Promise<number> {
  let failed = 0;
  const design = generateWs(cfg, { fault: o.fault });
  for (let i = 0; i < cases; i++) {
    const c = wsCase(cfg, seed + i);
    const { m, k, n } = c.shape;
    const desc = `seed ${c.seed} M=${m} K=${k} N=${n} d=${c.problem.d ? 'yes' : 'no'} relu=${c.problem.relu ? 'yes' : 'no'} host-stalls=${c.stallPermille / 10}%`;
    const r = await runWsEngine(cfg, c.problem, { design, stallPermille: c.stallPermille, seed: c.seed });
    const bad = firstGemmMismatch(gemm(cfg, c.problem), r.c, r.cCycle);
    const model = r.passes.reduce((s, ps) => s + wsPassCycles(cfg, { m: ps.mp, k: ps.kp, n: ps.np }), 0);
    if (bad) {
      failed++;
      const a = await wsFailureArtifacts({ cfg, configArg, problem: c.problem, result: r, design, seed: c.seed, stallPermille: c.stallPermille, reproduce: reproduceVerify('ws', configArg, c.seed, o.fault), dir: failureDir(o, 'ws', design.configHash, c.seed) }, bad);
      log(`FAIL case ${i + 1}/${cases} ${desc}: ${bad.element} expected ${bad.expected}, got ${bad.actual}`);
      log(indent(a.report));
    } else if (model !== r.cycles) {
      failed++;
      log(`FAIL case ${i + 1}/${cases} ${desc}: cycles expected ${model} (designs/ws/cycles.ts), RTL counted ${r.cycles}`);
      log(`  reproduce: ${reproduceVerify('ws', configArg, c.seed, o.fault)}`);
    } else {
      log(`PASS case ${i + 1}/${cases} ${desc} cycles=${r.cycles} (model ${model})`);
    }
  }
  log(`${cases - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
