// The rs verbs' design-specific part.
import type { RsConfig } from '../../generators/config/rs.js';
import { configHash } from '../../generators/render.js';
import { MismatchError } from '../../generators/errors.js';
import { convShape } from '../../golden/rs.js';
import { rsEnergy } from '../../golden/rs-map.js';
import { parseRsProblem } from '../../testbenches/rs/problem.js';
import { runRs } from '../../testbenches/rs/engine.js';
import { checkRs, rsCase } from '../../testbenches/rs/check.js';
import type { RunFlags } from './ws.js';

export async function runRsProblem(cfg: RsConfig, raw: unknown, source: string, flags: RunFlags) {
  const p = parseRsProblem(raw, cfg, source);
  const r = await runRs(cfg, p, { trace: flags.waves, maxCycles: flags.maxCycles });
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
    configHash: configHash('rs', cfg),
  };
}

export async function verifyRs(cfg: RsConfig, configArg: string, seed: number, cases: number, log: (l: string) => void): Promise<number> {
  let failed = 0;
  for (let i = 0; i < cases; i++) {
    const c = rsCase(cfg, seed + i);
    try {
      const r = await checkRs(cfg, c.problem, `rs ${configArg} seed ${c.seed}`);
      log(`PASS case ${i + 1}/${cases} seed ${c.seed} ${c.describe} cycles=${r.cycles}`);
    } catch (e) {
      if (!(e instanceof MismatchError)) throw e;
      failed++;
      log(`FAIL case ${i + 1}/${cases} seed ${c.seed} ${c.describe}: ${e.message}`);
      log(`  reproduce: npx accelforge verify rs --config ${configArg} --seed ${c.seed} --cases 1`);
    }
  }
  log(`${cases - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
