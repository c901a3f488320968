// `npm run bench`: measurements for docs/benchmarks.md. Each section prints a
// markdown table; pass section names to run only some (ws-build ws-sim).
import { rmSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseWsConfig, wsPresets } from '../generators/config/ws.js';
import { generateWs } from '../generators/ws/generate.js';
import { renderTemplate } from '../generators/render.js';
import { build, runSim, vtopName } from '../testbenches/verilator/runner.js';
import { buildWs, runWs, wsHarness } from '../testbenches/ws/cosim.js';
import { firstGemmMismatch } from '../testbenches/ws/check.js';
import { randomWsProblem } from '../testbenches/ws/problem.js';
import { Random } from '../testbenches/random.js';
import { gemm } from '../golden/ws.js';

const log = (s = '') => process.stdout.write(s + '\n');
const fmt = (s: number) => `${s.toFixed(2)} s`;

async function wsBuild() {
  const cfg = wsPresets['ws-16x16']!;
  const saved = process.env.ACCELFORGE_CACHE;
  const cache = mkdtempSync(join(tmpdir(), 'af-bench-cache-'));
  process.env.ACCELFORGE_CACHE = cache;
  try {
    process.env.CCACHE_DISABLE = '1';
    const cold = await buildWs(cfg);
    delete process.env.CCACHE_DISABLE;
    const cached = await buildWs(cfg);
    rmSync(cache, { recursive: true, force: true });
    const warmCcache = await buildWs(cfg); // fills ccache if it was empty
    rmSync(cache, { recursive: true, force: true });
    const ccacheHit = await buildWs(cfg);
    const oneParam = await buildWs(parseWsConfig({ ...cfg, accWidth: 30 }));
    log('### ws-16x16 build times');
    log('| build | seconds |');
    log('|---|---|');
    log(`| cold (empty build cache, ccache off) | ${fmt(cold.seconds)} |`);
    log(`| identical request (build cache hit, no compile) | ${fmt(cached.seconds)} |`);
    log(`| identical sources, build cache emptied, ccache warm | ${fmt(ccacheHit.seconds)} |`);
    log(`| one parameter changed (accWidth 32 -> 30), ccache warm | ${fmt(oneParam.seconds)} |`);
    void warmCcache;
  } finally {
    rmSync(cache, { recursive: true, force: true });
    if (saved === undefined) delete process.env.ACCELFORGE_CACHE;
    else process.env.ACCELFORGE_CACHE = saved;
  }
}

async function wsSim() {
  const cfg = wsPresets['ws-16x16']!;
  const n = 512;
  const p = randomWsProblem(cfg, { m: n, k: n, n }, new Random(1), { d: true });
  const t0 = performance.now();
  const want = gemm(cfg, p);
  const goldenSeconds = (performance.now() - t0) / 1000;
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await runWs(cfg, p));
  const r = runs.sort((a, b) => a.simSeconds - b.simSeconds)[0]!;
  const bad = firstGemmMismatch(want, r.c);
  if (bad) throw new Error(`bench GEMM mismatch at ${bad.element}`);

  // The floor: same model, minimal C++ loop, same cycle count and activity.
  const d = generateWs(cfg);
  const floorText = renderTemplate(fileURLToPath(new URL('../testbenches/ws/floor.cpp.hbs', import.meta.url)), {
    vtop: vtopName(d.top),
    rows: cfg.rows,
    cols: cfg.cols,
  });
  const fb = await build({ design: d, harness: [{ name: 'floor.cpp', text: floorText }] });
  const floors: number[] = [];
  for (let i = 0; i < 3; i++) {
    const f = await runSim(fb, { plusargs: { cycles: r.cycles, m: n } });
    floors.push(Number(/seconds ([\d.]+)/.exec(f.stdout)![1]));
  }
  const floor = Math.min(...floors);
  const util = (n * n * n) / (r.cycles * cfg.rows * cfg.cols);
  log(`### ws-16x16 co-simulation, M = N = K = ${n} (best of 3)`);
  log('| measure | value |');
  log('|---|---|');
  log(`| cycles (measured in RTL) | ${r.cycles} |`);
  log(`| utilization M*N*K / (cycles * R * C) | ${(100 * util).toFixed(1)} % |`);
  log(`| accelforge run: simulator process wall time (files in and out included) | ${fmt(r.simSeconds)} |`);
  log(`| accelforge throughput | ${(r.cycles / r.simSeconds / 1e6).toFixed(2)} M cycles/s |`);
  log(`| minimal C++ loop, same model, cycles and activity, data from pre-packed memory | ${fmt(floor)} |`);
  log(`| floor throughput | ${(r.cycles / floor / 1e6).toFixed(2)} M cycles/s |`);
  log(`| overhead accelforge / floor | ${(r.simSeconds / floor).toFixed(2)}x |`);
  log(`| golden model (TypeScript) for the same GEMM | ${fmt(goldenSeconds)} |`);
}

const sections: Record<string, () => Promise<void>> = { 'ws-build': wsBuild, 'ws-sim': wsSim };
const want = process.argv.slice(2);
for (const [name, f] of Object.entries(sections)) {
  if (want.length && !want.includes(name)) continue;
  await f();
  log();
}
