// `npm run bench -- live`: the live path's speed (tools/live) on ws-4x4: a
// poke, a clock period and a peek per cycle, with waves off and on, and one
// GEMM's host program run live against the batch harness (`run`); the same
// loop on Icarus (its VPI module).
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { wsPresets } from '../../golden/gemm/config.js';
import { designByName } from '../../testbenches/registry.js';
import { HostPort } from '../../testbenches/tools/live/host-port.js';
import type { LiveSimResult } from '../flows/bench-schema.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { log, type Data } from './env.js';

const preset = 'ws-4x4';

/** Cycles per second of a poke + rising + peek loop. */
async function loop(cycles: number, waves?: string, sim: 'verilator' | 'icarus' = 'verilator') {
  const d = designByName('ws');
  const drv = await d.open(wsPresets[preset]!, { waves, sim });
  const s = drv.sim;
  const t0 = performance.now();
  for (let i = 0; i < cycles; i++) {
    s.poke('host_req_valid_i', 0);
    await s.rising();
    s.peek('busy_o');
  }
  const seconds = (performance.now() - t0) / 1000;
  await drv.close();
  return { sim, cycles, seconds, cyclesPerSecond: cycles / seconds, callsPerSecond: (3 * cycles) / seconds };
}

export async function live(): Promise<Data<LiveSimResult>> {
  const d = designByName('ws');
  const cfg = wsPresets[preset]!;
  await d.build(cfg);
  const off = await loop(200_000);
  log(`live ${preset}, waves off: ${off.cyclesPerSecond.toFixed(0)} cycles/s`);
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-live-'));
  try {
    const on = await loop(50_000, join(dir, 'w.vcd'));
    log(`live ${preset}, waves on: ${on.cyclesPerSecond.toFixed(0)} cycles/s`);
    const icarus = await loop(20_000, undefined, 'icarus');
    log(`live ${preset} on Icarus, waves off: ${icarus.cyclesPerSecond.toFixed(0)} cycles/s`);
    const p = randomGemmProblem(cfg, { m: 64, k: 64, n: 64 }, new Random(7));
    const drv = await d.open(cfg);
    const t0 = performance.now();
    const text = await new HostPort(drv.sim).runProgram(d.hostProgram!(cfg, p));
    const liveSeconds = (performance.now() - t0) / 1000;
    await drv.close();
    const t1 = performance.now();
    await d.simulate(cfg, p, {});
    const batchSeconds = (performance.now() - t1) / 1000;
    const hostCycles = Number(/cycles (\d+)/.exec(text)![1]);
    log(`GEMM 64^3: live ${liveSeconds.toFixed(2)} s, batch ${batchSeconds.toFixed(2)} s`);
    return {
      config: preset,
      loops: [
        { waves: false, ...off },
        { waves: true, ...on },
        { waves: false, ...icarus },
      ],
      gemm: { shape: '64 x 64 x 64', hostCycles, liveSeconds, batchSeconds },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
