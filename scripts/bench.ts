// `npm run bench`: measurements for docs/benchmarks.md. Each section prints a
// markdown table; pass section names to run only some (ws-build ws-sim ws-util).
import { rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseWsConfig, wsPresets } from '../generators/config/ws.js';
import { generateWs } from '../generators/ws/generate.js';
import { build, runSim } from '../testbenches/verilator/runner.js';
import { buildWsEngine, planWsPasses, runWsEngine, wsEngineProgram } from '../testbenches/ws/engine.js';
import { hostHarness, hostFloorTemplate } from '../testbenches/verilator/host.js';
import { WsEnginePorts } from '../testbenches/ws/ws_engine.binding.js';
import { firstGemmMismatch } from '../testbenches/ws/check.js';
import { randomWsProblem } from '../testbenches/ws/problem.js';
import { Random } from '../testbenches/random.js';
import { gemm } from '../golden/ws.js';
import { scaleSimCycles, utilization, wsPassCycles } from '../golden/ws-cycles.js';

const log = (s = '') => process.stdout.write(s + '\n');
const fmt = (s: number) => `${s.toFixed(2)} s`;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const ws16 = wsPresets['ws-16x16']!;

async function wsBuild() {
  const saved = process.env.ACCELFORGE_CACHE;
  const cache = mkdtempSync(join(tmpdir(), 'af-bench-cache-'));
  process.env.ACCELFORGE_CACHE = cache;
  try {
    process.env.CCACHE_DISABLE = '1';
    const cold = await buildWsEngine(ws16);
    delete process.env.CCACHE_DISABLE;
    const cached = await buildWsEngine(ws16);
    rmSync(cache, { recursive: true, force: true });
    await buildWsEngine(ws16); // fills ccache if it was empty
    rmSync(cache, { recursive: true, force: true });
    const ccacheHit = await buildWsEngine(ws16);
    const oneParam = await buildWsEngine(parseWsConfig({ ...ws16, accWidth: 30 }));
    log('### ws-16x16 engine build times');
    log('| build | seconds |');
    log('|---|---|');
    log(`| cold (empty build cache, ccache off) | ${fmt(cold.seconds)} |`);
    log(`| identical request (build cache hit, no compile) | ${fmt(cached.seconds)} |`);
    log(`| identical sources, build cache emptied, ccache warm | ${fmt(ccacheHit.seconds)} |`);
    log(`| one parameter changed (accWidth 32 -> 30), ccache warm | ${fmt(oneParam.seconds)} |`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
    if (saved === undefined) delete process.env.ACCELFORGE_CACHE;
    else process.env.ACCELFORGE_CACHE = saved;
  }
}

async function wsSim() {
  const n = 512;
  const shape = { m: n, k: n, n };
  const p = randomWsProblem(ws16, shape, new Random(1), { d: true });
  const t0 = performance.now();
  const want = gemm(ws16, p);
  const goldenSeconds = (performance.now() - t0) / 1000;
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await runWsEngine(ws16, p));
  const r = runs.sort((a, b) => a.simSeconds - b.simSeconds)[0]!;
  const bad = firstGemmMismatch(want, r.c);
  if (bad) throw new Error(`bench GEMM mismatch at ${bad.element}`);
  const model = wsPassCycles(ws16, shape);

  // Floor: the same model and host program, pre-parsed, driven by a bare loop.
  const d = generateWs(ws16);
  const fb = await build({ design: d, harness: hostHarness(d, WsEnginePorts, hostFloorTemplate, 'host_floor.cpp') });
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-'));
  const prog = join(dir, 'program.txt');
  writeFileSync(prog, wsEngineProgram(ws16, p, planWsPasses(ws16, n, n, n)));
  const floors: { secs: number; cycles: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const f = await runSim(fb, { plusargs: { in: prog } });
    const m = /cycles (\d+) seconds ([\d.]+)/.exec(f.stdout)!;
    floors.push({ cycles: Number(m[1]), secs: Number(m[2]) });
  }
  rmSync(dir, { recursive: true, force: true });
  const floor = floors.sort((a, b) => a.secs - b.secs)[0]!;
  log(`### ws-16x16 engine co-simulation, M = N = K = ${n} (best of 3)`);
  log('| measure | value |');
  log('|---|---|');
  log(`| compute cycles, start to last result (RTL counter) | ${r.cycles} |`);
  log(`| cycle model (golden/ws-cycles.ts) | ${model} |`);
  log(`| utilization M*N*K / (cycles * 256) | ${pct(utilization(ws16, shape, r.cycles))} |`);
  log(`| SCALE-Sim's model for the same GEMM | ${scaleSimCycles(ws16, shape)} cycles, ${pct(utilization(ws16, shape, scaleSimCycles(ws16, shape)))} |`);
  log(`| all host-port cycles (loading A, B, D and reading C included) | ${r.totalCycles} |`);
  log(`| accelforge run: simulator process wall time (program parse and result file included) | ${fmt(r.simSeconds)} |`);
  log(`| accelforge throughput | ${(r.totalCycles / r.simSeconds / 1e6).toFixed(2)} M cycles/s |`);
  log(`| minimal C++ loop: same model and transactions, pre-parsed, loop only | ${fmt(floor.secs)} (${floor.cycles} cycles) |`);
  log(`| overhead accelforge / floor | ${(r.simSeconds / floor.secs).toFixed(2)}x |`);
  log(`| golden model (TypeScript) for the same GEMM | ${fmt(goldenSeconds)} |`);
}

async function wsUtil() {
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
  log('### ws-16x16 utilization by GEMM shape (RTL-measured cycles)');
  log('| M x K x N | RTL cycles | model | utilization | SCALE-Sim cycles | SCALE-Sim utilization | ideal cycles |');
  log('|---|---|---|---|---|---|---|');
  for (const s of shapes) {
    const p = randomWsProblem(ws16, s, new Random(s.m * 7 + s.k * 3 + s.n));
    const r = await runWsEngine(ws16, p);
    const bad = firstGemmMismatch(gemm(ws16, p), r.c);
    if (bad) throw new Error(`mismatch at ${bad.element} for ${JSON.stringify(s)}`);
    const model = r.passes.reduce((a, ps) => a + wsPassCycles(ws16, { m: ps.mp, k: ps.kp, n: ps.np }), 0);
    const sc = scaleSimCycles(ws16, s);
    const ideal = Math.ceil((s.m * s.k * s.n) / 256);
    log(`| ${s.m} x ${s.k} x ${s.n} | ${r.cycles} | ${model} | ${pct(utilization(ws16, s, r.cycles))} | ${sc} | ${pct(utilization(ws16, s, sc))} | ${ideal} |`);
  }
}

const sections: Record<string, () => Promise<void>> = { 'ws-build': wsBuild, 'ws-sim': wsSim, 'ws-util': wsUtil };
const want = process.argv.slice(2);
for (const [name, f] of Object.entries(sections)) {
  if (want.length && !want.includes(name)) continue;
  await f();
  log();
}
