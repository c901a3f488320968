// The ws verbs' design-specific part: run a user problem, verify random ones.
import type { WsConfig } from '../../generators/config/ws.js';
import { configHash } from '../../generators/render.js';
import { MismatchError } from '../../generators/errors.js';
import { parseWsProblem } from '../../testbenches/ws/problem.js';
import { runWs } from '../../testbenches/ws/cosim.js';
import { checkWs, wsCase } from '../../testbenches/ws/check.js';

export interface RunFlags {
  waves?: string;
  maxCycles?: number;
  bubbles?: number;
}

export async function runWsProblem(cfg: WsConfig, raw: unknown, source: string, flags: RunFlags) {
  const p = parseWsProblem(raw, cfg, source);
  const r = await runWs(cfg, p, {
    trace: flags.waves,
    maxCycles: flags.maxCycles,
    bubblePermille: flags.bubbles ?? 0,
  });
  const m = p.a.length, k = p.b.length, n = p.b[0]!.length;
  return {
    c: r.c,
    cycles: r.cycles,
    tiles: r.tiles,
    bubbles: r.bubbles,
    macs: m * n * k,
    utilization: (m * n * k) / (r.cycles * cfg.rows * cfg.cols),
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
    const desc = `seed ${c.seed} M=${m} K=${k} N=${n} d=${c.problem.d ? 'yes' : 'no'} relu=${c.problem.relu ? 'yes' : 'no'} bubbles=${c.bubblePermille / 10}%`;
    try {
      const r = await checkWs(cfg, c.problem, `ws ${configArg}`, { bubblePermille: c.bubblePermille, seed: c.seed });
      log(`PASS case ${i + 1}/${cases} ${desc} cycles=${r.cycles}`);
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
