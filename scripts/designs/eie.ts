// The eie verbs' design-specific part.
import type { EieConfig } from '../../generators/config/eie.js';
import { configHash } from '../../generators/render.js';
import { MismatchError } from '../../generators/errors.js';
import { parseEieProblem } from '../../testbenches/eie/problem.js';
import { runEie } from '../../testbenches/eie/engine.js';
import { checkEie, eieCase } from '../../testbenches/eie/check.js';
import type { RunFlags } from './ws.js';

export async function runEieProblem(cfg: EieConfig, raw: unknown, source: string, flags: RunFlags) {
  const p = parseEieProblem(raw, cfg, source);
  const r = await runEie(cfg, p, { trace: flags.waves, maxCycles: flags.maxCycles, stallPermille: flags.stall ?? 0 });
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
    configHash: configHash('eie', cfg),
  };
}

export async function verifyEie(cfg: EieConfig, configArg: string, seed: number, cases: number, log: (l: string) => void): Promise<number> {
  let failed = 0;
  for (let i = 0; i < cases; i++) {
    const c = eieCase(cfg, seed + i);
    try {
      const r = await checkEie(cfg, c.problem, `eie ${configArg}`, { stallPermille: c.stallPermille, seed: c.seed });
      log(`PASS case ${i + 1}/${cases} seed ${c.seed} ${c.describe} host-stalls=${c.stallPermille / 10}% cycles=${r.cycles}`);
    } catch (e) {
      if (!(e instanceof MismatchError)) throw e;
      failed++;
      log(`FAIL case ${i + 1}/${cases} seed ${c.seed} ${c.describe}: ${e.message}`);
      log(`  reproduce: npx accelforge verify eie --config ${configArg} --seed ${c.seed} --cases 1`);
    }
  }
  log(`${cases - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
