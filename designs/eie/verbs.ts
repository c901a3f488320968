// The eie verbs' design-specific part.
import type { EieConfig } from './config.js';
import { generateEie } from './generate.js';
import { MismatchError } from '../../core/errors.js';
import { eieChain } from './golden.js';
import { parseEieProblem } from './problem.js';
import { runEie } from './sim.js';
import { eieCase, firstEieMismatch } from './check.js';
import { eieFailureArtifacts } from './failure.js';
import type { RunFlags } from '../ws/verbs.js';
import { failureDir, indent, reproduceRun, reproduceVerify, type CheckOptions } from '../failure.js';

export async function runEieProblem(cfg: EieConfig, raw: unknown, source: string, flags: RunFlags) {
  const p = parseEieProblem(raw, cfg, source);
  const design = generateEie(cfg, { fault: flags.fault });
  const r = await runEie(cfg, p, { design, trace: flags.waves, maxCycles: flags.maxCycles, stallPermille: flags.stall ?? 0 });
  if (flags.expect) {
    const bad = firstEieMismatch(eieChain(cfg.accWidth, p.activations, p.layers).at(-1)!, r.b, r.bCycle);
    if (bad) {
      const a = await eieFailureArtifacts({ cfg, configArg: flags.configArg, problem: p, result: r, design, stallPermille: flags.stall, reproduce: reproduceRun('eie', flags.configArg, source, flags), dir: failureDir(flags, 'eie', design.configHash, 'run') }, bad);
      throw new MismatchError({ ...bad, pe: `${bad.i % cfg.pes}` }, `eie ${flags.configArg}\n${a.report}`);
    }
  }
  const macs = r.pes.reduce((s, c) => s + c.entries, 0);
  return {
    b: r.b,
    cycles: r.cycles,
    layerCycles: r.layerCycles,
    broadcasts: r.broadcasts,
    queueFullStalls: r.queueFullStalls,
    pes: r.pes,
    macs,
    loadEfficiency: macs / cfg.pes / r.cycles,
    hostCycles: r.hostCycles,
    design: 'eie',
    configHash: design.configHash,
  };
}

export async function verifyEie(cfg: EieConfig, configArg: string, seed: number, cases: number, log: (l: string) => void, o: CheckOptions): Promise<number> {
  let failed = 0;
  const design = generateEie(cfg, { fault: o.fault });
  for (let i = 0; i < cases; i++) {
    const c = eieCase(cfg, seed + i);
    const r = await runEie(cfg, c.problem, { design, stallPermille: c.stallPermille, seed: c.seed });
    const bad = firstEieMismatch(eieChain(cfg.accWidth, c.problem.activations, c.problem.layers).at(-1)!, r.b, r.bCycle);
    const desc = `seed ${c.seed} ${c.describe} host-stalls=${c.stallPermille / 10}%`;
    if (bad) {
      failed++;
      const a = await eieFailureArtifacts({ cfg, configArg, problem: c.problem, result: r, design, seed: c.seed, stallPermille: c.stallPermille, reproduce: reproduceVerify('eie', configArg, c.seed, o.fault), dir: failureDir(o, 'eie', design.configHash, c.seed) }, bad);
      log(`FAIL case ${i + 1}/${cases} ${desc}: ${bad.element} expected ${bad.expected}, got ${bad.actual}`);
      log(indent(a.report));
    } else {
      log(`PASS case ${i + 1}/${cases} ${desc} cycles=${r.cycles}`);
    }
  }
  log(`${cases - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
