// The ws verbs' design-specific part: run a user problem, verify random ones.
import type { WsConfig } from '../../generators/config/ws.js';
import { configHash } from '../../generators/render.js';
import { MismatchError } from '../../generators/errors.js';
import { scaleSimCycles, utilization, wsPassCycles } from '../../golden/ws-cycles.js';
import { parseWsProblem } from '../../testbenches/ws/problem.js';
import { runWsEngine } from '../../testbenches/ws/engine.js';
import { checkWs, wsCase } from '../../testbenches/ws/check.js';

export interface RunFlags {
  waves?: string;
  maxCycles?: number;
  stall?: number;
}

export async function runWsProblem(cfg: WsConfig, raw: unknown, source: string, flags: RunFlags) {
  const p = parseWsProblem(raw, cfg, source);
  const r = await runWsEngine(cfg, p, { trace: flags.waves, maxCycles: flags.maxCycles, stallPermille: flags.stall ?? 0 });
  const shape = { m: p.a.length, k: p.b.length, n: p.b[0]!.length };
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
    configHash: configHash('ws', cfg),
  };
}

export async function verifyWs(
  cfg: WsConfig,
  configArg: string,
  seed: number,
  cases: number,
  log: (line: string) => void,
): Promise<number> {
  let failed = 0;
  for (let i = 0; i < cases; i++) {
    const c = wsCase(cfg, seed + i);
    const { m, k, n } = c.shape;
    const desc = `seed ${c.seed} M=${m} K=${k} N=${n} d=${c.problem.d ? 'yes' : 'no'} relu=${c.problem.relu ? 'yes' : 'no'} host-stalls=${c.stallPermille / 10}%`;
    try {
      const r = await checkWs(cfg, c.problem, `ws ${configArg}`, { stallPermille: c.stallPermille, seed: c.seed });
      const model = r.passes.reduce((s, ps) => s + wsPassCycles(cfg, { m: ps.mp, k: ps.kp, n: ps.np }), 0);
      if (model !== r.cycles) throw new MismatchError({ element: 'cycles', expected: BigInt(model), actual: BigInt(r.cycles) }, `ws ${configArg} cycle model`);
      log(`PASS case ${i + 1}/${cases} ${desc} cycles=${r.cycles} (model ${model})`);
    } catch (e) {
      if (!(e instanceof MismatchError)) throw e;
      failed++;
      log(`FAIL case ${i + 1}/${cases} ${desc}: ${e.message}`);
      log(`  reproduce: npx accelforge verify ws --config ${configArg} --seed ${c.seed} --cases 1`);
    }
  }
  log(`${cases - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
