// ws sections: build times, a long GEMM against the simulation floor,
// utilization by shape against SCALE-Sim, and reading a 1 GB VCD. The
// design is driven through the registry; golden/gemm gives the models.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Random } from '../../golden/common/random.js';
import { gemm } from '../../golden/common/gemm.js';
import { parseWsConfig, wsPresets } from '../../golden/gemm/config.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { scaleSimCycles, utilization, wsPassCycles } from '../../golden/gemm/cycles.js';
import { WsEnginePorts } from '../../generators/gemm/ws_engine.binding.js';
import { designByName } from '../../testbenches/registry.js';
import { build, runSim } from '../../testbenches/tools/verilator/runner.js';
import { hostFloorTemplate, hostHarness } from '../../testbenches/tools/verilator/host.js';
import { readVcd } from '../../testbenches/tools/failure/vcd.js';
import type { VcdReadResult, WsBuildResult, WsSimResult, WsUtilResult } from '../flows/bench-results.js';
import { checkedRun, withEmptyCache, withEnv, type Data } from './env.js';

const ws16 = wsPresets['ws-16x16']!;
const ws = () => designByName('ws');

export async function wsBuild(): Promise<Data<WsBuildResult>> {
  const d = ws();
  return withEmptyCache(async (cache) => {
    const cold = await withEnv({ CCACHE_DISABLE: '1' }, () => d.build(ws16));
    const cached = await d.build(ws16);
    rmSync(cache, { recursive: true, force: true });
    await d.build(ws16); // fills ccache if it was empty
    rmSync(cache, { recursive: true, force: true });
    const ccacheHit = await d.build(ws16);
    const oneParam = await d.build(parseWsConfig({ ...ws16, accWidth: 30 }));
    return {
      config: 'ws-16x16',
      builds: [
        { build: 'cold (empty build cache, ccache off)', seconds: cold.seconds },
        { build: 'identical request (build cache hit, no compile)', seconds: cached.seconds },
        { build: 'identical sources, build cache emptied, ccache warm', seconds: ccacheHit.seconds },
        { build: 'one parameter changed (accWidth 32 -> 30), ccache warm', seconds: oneParam.seconds },
      ],
    };
  });
}

/** The same model and host program, pre-parsed, driven by a bare loop: the best the harness could do. */
async function simulationFloor(program: string): Promise<{ seconds: number; cycles: number }> {
  const design = ws().generate(ws16);
  const fb = await build({ design, harness: hostHarness(design, WsEnginePorts, hostFloorTemplate, 'host_floor.cpp') });
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-'));
  try {
    const prog = join(dir, 'program.txt');
    writeFileSync(prog, program);
    const floors: { seconds: number; cycles: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const f = await runSim(fb, { plusargs: { in: prog } });
      const m = /cycles (\d+) seconds ([\d.]+)/.exec(f.stdout)!;
      floors.push({ cycles: Number(m[1]), seconds: Number(m[2]) });
    }
    return floors.sort((a, b) => a.seconds - b.seconds)[0]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function wsSim(): Promise<Data<WsSimResult>> {
  const n = 512;
  const shape = { m: n, k: n, n };
  const p = randomGemmProblem(ws16, shape, new Random(1), { d: true });
  const t0 = performance.now();
  gemm(ws16, p);
  const goldenSeconds = (performance.now() - t0) / 1000;
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await checkedRun(ws(), ws16, p, 'ws-sim'));
  const best = runs.sort((a, b) => a.r.simSeconds - b.r.simSeconds)[0]!;
  const floor = await simulationFloor(ws().hostProgram!(ws16, p));
  return {
    config: 'ws-16x16',
    ...shape,
    cycles: best.r.cycles,
    modelCycles: wsPassCycles(ws16, shape),
    utilization: utilization(ws16, shape, best.r.cycles),
    scaleSimCycles: scaleSimCycles(ws16, shape),
    scaleSimUtilization: utilization(ws16, shape, scaleSimCycles(ws16, shape)),
    totalCycles: best.summary.hostCycles as number,
    simSeconds: best.r.simSeconds,
    floor,
    goldenSeconds,
  };
}

export async function wsUtil(): Promise<Data<WsUtilResult>> {
  const shapes = [
    { m: 512, k: 512, n: 512 },
    { m: 256, k: 256, n: 256 },
    { m: 64, k: 64, n: 64 },
    { m: 16, k: 16, n: 16 },
    { m: 33, k: 33, n: 33 },
    { m: 1, k: 512, n: 512 },
    { m: 16, k: 512, n: 512 },
    { m: 512, k: 16, n: 512 },
    { m: 512, k: 512, n: 16 },
    { m: 1000, k: 64, n: 10 },
  ];
  const rows: WsUtilResult['rows'] = [];
  for (const s of shapes) {
    const p = randomGemmProblem(ws16, s, new Random(s.m * 7 + s.k * 3 + s.n));
    const { r, modelCycles } = await checkedRun(ws(), ws16, p, `ws-util ${JSON.stringify(s)}`);
    const sc = scaleSimCycles(ws16, s);
    rows.push({
      ...s,
      cycles: r.cycles,
      modelCycles: modelCycles!,
      utilization: utilization(ws16, s, r.cycles),
      scaleSimCycles: sc,
      scaleSimUtilization: utilization(ws16, s, sc),
      idealCycles: Math.ceil((s.m * s.k * s.n) / 256),
    });
  }
  return { config: 'ws-16x16', rows };
}

/** A full-depth Verilator VCD of about 1 GB (ws-4x4, a long GEMM), read with the streaming reader. */
export async function vcdRead(): Promise<Data<VcdReadResult>> {
  const cfg = wsPresets['ws-4x4']!;
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-vcd-'));
  try {
    const vcd = join(dir, 'full.vcd');
    const p = randomGemmProblem(cfg, { m: 160, k: 160, n: 160 }, new Random(5));
    await ws().simulate(cfg, p, { design: ws().generate(cfg), traceFormat: 'vcd', trace: vcd, timeoutMs: 3_600_000 });
    const bytes = statSync(vcd).size;
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const sel = [
      'TOP.busy_o',
      'TOP.host_rsp_rdata_o',
      'TOP.ws_engine.u_array.gen_trow[0].gen_tcol[0].u_tile.gen_row[3].gen_col[3].u_pe.dn_o',
    ];
    const t = await readVcd(vcd, (s) => sel.includes(s.path));
    const secs = (performance.now() - t0) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const kept = [...t.changes.values()].reduce((a, l) => a + l.length, 0);
    return {
      trace: 'ws-4x4 engine, 160 x 160 x 160 GEMM, every signal',
      bytes,
      signals: t.signals.length,
      seconds: secs,
      peakRssBytes: peak,
      rssBeforeBytes: rss0,
      changesKept: kept,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
