// `npm run bench`: measurements for docs/benchmarks.md. Each section prints a
// markdown table; pass section names to run only some (see `sections` below).
import { rmSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseWsConfig, wsPresets } from '../designs/ws/config.js';
import { generateWs } from '../designs/ws/generate.js';
import { build, runSim } from '../toolchain/verilator/runner.js';
import { buildWsEngine, runWsEngine } from '../designs/ws/sim.js';
import { planWsPasses } from '../designs/ws/mapper.js';
import { wsEngineProgram } from '../designs/ws/host.js';
import { hostHarness, hostFloorTemplate } from '../toolchain/verilator/host.js';
import { WsEnginePorts } from '../designs/ws/ws_engine.binding.js';
import { firstGemmMismatch } from '../designs/ws/check.js';
import { randomWsProblem } from '../designs/ws/problem.js';
import { Random } from '../core/random.js';
import { fileURLToPath } from 'node:url';
import { mkdirp } from '../core/output.js';
import { gemm } from '../designs/ws/golden.js';
import { scaleSimCycles, utilization, wsPassCycles } from '../designs/ws/cycles.js';
import { eiePresets, parseEieConfig, type EieConfig } from '../designs/eie/config.js';
import { runEie, type EieRunResult } from '../designs/eie/sim.js';
import { layoutEie } from '../designs/eie/host.js';
import { eieExpected, firstEieMismatch } from '../designs/eie/check.js';
import { randomActivations, randomSparseLayer, type EieProblem } from '../designs/eie/problem.js';
import { rsPresets } from '../designs/rs/config.js';
import { convShape } from '../designs/rs/golden.js';
import { osPresets } from '../designs/os/config.js';
import { runOsEngine } from '../designs/os/sim.js';
import { osPassCycles, osUtilization } from '../designs/os/cycles.js';
import { osPassAccess } from '../designs/os/access.js';
import { osAccumulates } from '../designs/os/host.js';
import { randomGemmProblem } from '../core/gemm.js';
import { mapConv, type RsObjective } from '../designs/rs/mapper.js';
import { rsAccessLevels, rsAccesses, rsEnergy } from '../designs/rs/access.js';
import { type RsCounters, type RsMapping } from '../designs/rs/contract.js';
import { runRs } from '../designs/rs/sim.js';
import { firstRsMismatch } from '../designs/rs/failure.js';
import { randomConvProblem } from '../designs/rs/problem.js';
import { readVcd } from '../toolchain/failure/vcd.js';
import { statSync } from 'node:fs';

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
  log(`| cycle model (designs/ws/cycles.ts) | ${model} |`);
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

// ---- os ----

async function osUtil() {
  const os16 = osPresets['os-16x16']!;
  const shapes = [
    { m: 512, k: 512, n: 512 },
    { m: 256, k: 256, n: 256 },
    { m: 64, k: 64, n: 64 },
    { m: 16, k: 16, n: 16 },
    { m: 33, k: 33, n: 33 },
    { m: 1000, k: 64, n: 10 },
  ];
  log('### os-16x16 utilization by GEMM shape (RTL-measured cycles, bit-exact, counters equal to the access model)');
  log('| M x K x N | RTL cycles | model | utilization | ideal cycles | simulator wall time |');
  log('|---|---|---|---|---|---|');
  for (const s of shapes) {
    const p = randomGemmProblem(os16, s, new Random(s.m * 7 + s.k * 3 + s.n), { d: true });
    const r = await runOsEngine(os16, p);
    const bad = firstGemmMismatch(gemm(os16, p), r.c);
    if (bad) throw new Error(`mismatch at ${bad.element} for ${JSON.stringify(s)}`);
    r.passes.forEach((ps, i) => {
      const want = osPassAccess(os16, { m: ps.mp, k: ps.kp, n: ps.np }, osAccumulates(p, ps));
      if (JSON.stringify(r.perPass[i]) !== JSON.stringify(want)) throw new Error(`os counters differ from the access model for ${JSON.stringify(s)} pass ${i}`);
    });
    const model = r.passes.reduce((a, ps) => a + osPassCycles(os16, { m: ps.mp, k: ps.kp, n: ps.np }), 0);
    log(`| ${s.m} x ${s.k} x ${s.n} | ${r.cycles} | ${model} | ${pct(osUtilization(os16, s, r.cycles))} | ${Math.ceil((s.m * s.k * s.n) / 256)} | ${fmt(r.simSeconds)} |`);
  }
}

// ---- eie ----

/** Runs on the RTL, checks bit-exactness and the cycle model; one run per (config, problem). */
const eieRuns = new Map<string, { r: EieRunResult; model: number; usefulMacs: number }>();
async function eieMeasured(cfg: EieConfig, p: EieProblem, name: string) {
  const key = `${name} ${JSON.stringify(cfg)}`;
  const hit = eieRuns.get(key);
  if (hit) return hit;
  const m = eieExpected(cfg, p);
  const r = await runEie(cfg, p, { timeoutMs: 3_600_000 });
  const bad = firstEieMismatch(m.out, r.b);
  if (bad) throw new Error(`${name}: RTL output ${bad.element} = ${bad.actual}, golden ${bad.expected}`);
  if (r.cycles !== m.cycles.cycles) throw new Error(`${name}: RTL ${r.cycles} cycles, model ${m.cycles.cycles}`);
  const usefulMacs = r.pes.reduce((a, c) => a + c.entries, 0);
  const out = { r, model: m.cycles.cycles, usefulMacs };
  eieRuns.set(key, out);
  return out;
}

/** Sizes a config's memories for a problem (pointer words, matrix lines, register files). */
function eieSized(base: EieConfig, p: EieProblem): EieConfig {
  const pow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 2)));
  const widest = Math.max(p.activations.length, ...p.layers.map((l) => l.index.length));
  const cfg = parseEieConfig({ ...base, rowsPerPe: Math.max(base.rowsPerPe, Math.ceil(widest / base.pes)), ptrDepth: 1 << 20, matDepth: 1 << 20 });
  const lay = layoutEie(cfg, p);
  return parseEieConfig({ ...cfg, ptrDepth: pow2(lay.ptrWords), matDepth: pow2(lay.matLines) });
}

// Alex-8's shape (1000 outputs x 4096 inputs), 25 % weights, 37.5 % activations, with bias.
let alex8Problem: EieProblem | undefined;
function alex8(): EieProblem {
  if (!alex8Problem) {
    const rng = new Random(8);
    alex8Problem = { activations: randomActivations(4096, 0.375, rng), layers: [randomSparseLayer(eiePresets['eie-64pe']!, 1000, 4096, 0.25, rng, { bias: true })] };
  }
  return alex8Problem;
}
const loadEff = (m: { r: EieRunResult; usefulMacs: number }, pes: number) => m.usefulMacs / pes / m.r.cycles;
const busyEff = (m: { r: EieRunResult }) => m.r.pes.reduce((a, c) => a + c.busy, 0) / m.r.pes.length / m.r.cycles;
const f3 = (x: number) => x.toFixed(3);

async function eieAlex8() {
  const cfg = eiePresets['eie-64pe']!;
  const m = await eieMeasured(cfg, alex8(), 'alex8');
  log('### eie-64pe (FIFO 8) on an Alex-8-shaped layer: 1000 x 4096, 25 % weights, 37.5 % activations, bias');
  log('| measure | accelforge (RTL counters) | authors\' model (AlexNet FC8) |');
  log('|---|---|---|');
  log(`| cycles, start to done | ${m.r.cycles} (model ${m.model}) | 7,926 |`);
  log(`| time at 800 MHz | ${(m.r.cycles / 800).toFixed(2)} µs | 9.9 µs |`);
  log(`| useful MACs (nonzero weight x nonzero activation) | ${m.usefulMacs} | |`);
  log(`| load efficiency (useful MACs / 64) / cycles | ${f3(loadEff(m, 64))} | 0.895 (goal: at least this) |`);
  log(`| 1 - idle / cycles (walker busy, padding included) | ${f3(busyEff(m))} | 0.895 |`);
  log(`| broadcasts / queue-full stall cycles | ${m.r.broadcasts} / ${m.r.queueFullStalls} | |`);
  log(`| simulator wall time (memories loaded over the host port) | ${fmt(m.r.simSeconds)} | |`);
}

async function eieFifo() {
  const authors: Record<number, string> = { 2: '0.695', 4: '0.845', 8: '0.895', 16: '0.910' };
  log('### FIFO depth sweep, 64 PEs, Alex-8 shape (RTL-measured)');
  log('| fifoDepth | cycles | load efficiency | 1 - idle / cycles | queue-full stalls | authors\' load efficiency |');
  log('|---|---|---|---|---|---|');
  for (const fifoDepth of [1, 2, 4, 8, 16]) {
    const cfg = parseEieConfig({ ...eiePresets['eie-64pe']!, fifoDepth });
    const m = await eieMeasured(cfg, alex8(), 'alex8');
    log(`| ${fifoDepth} | ${m.r.cycles} | ${f3(loadEff(m, 64))} | ${f3(busyEff(m))} | ${m.r.queueFullStalls} | ${authors[fifoDepth] ?? '-'} |`);
  }
}

async function eiePes() {
  const authors: Record<number, string> = { 1: '1', 2: '1.98', 4: '3.94', 8: '7.84', 16: '15.3', 32: '30.2', 64: '57.8' };
  log('### PE-count sweep, FIFO 8, Alex-8 shape (RTL-measured)');
  log('| pes | cycles | speedup over 1 PE | authors\' speedup | load efficiency | 1 - idle / cycles |');
  log('|---|---|---|---|---|---|');
  let one = 0;
  for (const pes of [1, 2, 4, 8, 16, 32, 64]) {
    const cfg = pes === 64 ? eiePresets['eie-64pe']! : eieSized(parseEieConfig({ ...eiePresets['eie-64pe']!, pes }), alex8());
    const m = await eieMeasured(cfg, alex8(), 'alex8');
    if (pes === 1) one = m.r.cycles;
    log(`| ${pes} | ${m.r.cycles} | ${(one / m.r.cycles).toFixed(2)} | ${authors[pes]} | ${f3(loadEff(m, pes))} | ${f3(busyEff(m))} |`);
  }
}

// The paper's nine benchmark layers: inputs x outputs, weight and activation density, measured µs at 64 PEs.
const eieLayers = [
  { name: 'Alex-6', cols: 9216, rows: 4096, w: 0.09, a: 0.351, us: 30.3 },
  { name: 'Alex-7', cols: 4096, rows: 4096, w: 0.09, a: 0.353, us: 12.2 },
  { name: 'Alex-8', cols: 4096, rows: 1000, w: 0.25, a: 0.375, us: 9.9 },
  { name: 'VGG-6', cols: 25088, rows: 4096, w: 0.04, a: 0.183, us: 34.4 },
  { name: 'VGG-7', cols: 4096, rows: 4096, w: 0.04, a: 0.375, us: 8.7 },
  { name: 'VGG-8', cols: 4096, rows: 1000, w: 0.23, a: 0.411, us: 8.4 },
  { name: 'NT-We', cols: 4096, rows: 600, w: 0.1, a: 1, us: 8.0 },
  { name: 'NT-Wd', cols: 600, rows: 8791, w: 0.11, a: 1, us: 13.9 },
  { name: 'NT-LSTM', cols: 1201, rows: 2400, w: 0.1, a: 1, us: 7.5 },
];

async function eieBenchLayers() {
  log('### The nine EIE benchmark layers at 64 PEs, FIFO 8 (random data at the paper\'s densities; RTL-measured)');
  const base = eiePresets['eie-64pe']!;
  const problems = eieLayers.map((L): EieProblem => {
    const rng = new Random(L.cols * 31 + L.rows);
    return { activations: randomActivations(L.cols, L.a, rng), layers: [randomSparseLayer(base, L.rows, L.cols, L.w, rng, { bias: true })] };
  });
  // One build serves all nine: every memory sized for the largest need.
  const sized = problems.map((p) => eieSized(base, p));
  const cfg = parseEieConfig({
    ...base,
    rowsPerPe: Math.max(...sized.map((c) => c.rowsPerPe)),
    ptrDepth: Math.max(...sized.map((c) => c.ptrDepth)),
    matDepth: Math.max(...sized.map((c) => c.matDepth)),
  });
  log(`Config: ${JSON.stringify(cfg)}`);
  log();
  log('| layer | inputs x outputs | weights / acts | cycles | µs at 800 MHz | paper µs | load efficiency | 1 - idle / cycles | sim wall time |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (const [i, L] of eieLayers.entries()) {
    const m = await eieMeasured(cfg, problems[i]!, L.name);
    log(`| ${L.name} | ${L.cols} x ${L.rows} | ${L.w * 100} % / ${(L.a * 100).toFixed(1)} % | ${m.r.cycles} | ${(m.r.cycles / 800).toFixed(1)} | ${L.us} | ${f3(loadEff(m, 64))} | ${f3(busyEff(m))} | ${fmt(m.r.simSeconds)} |`);
  }
}

// ---- rs ----

// AlexNet CONV layers per group as Eyeriss ran them (anchors.md), one image.
const alexnetConv = [
  { name: 'CONV1', C: 3, H: 227, W: 227, M: 96, R: 11, S: 11, stride: 4, padding: 0, chipActive: 154 },
  { name: 'CONV2', C: 48, H: 27, W: 27, M: 256, R: 5, S: 5, stride: 1, padding: 2, chipActive: 135 },
  { name: 'CONV3', C: 256, H: 13, W: 13, M: 384, R: 3, S: 3, stride: 1, padding: 1, chipActive: 156 },
  { name: 'CONV4', C: 192, H: 13, W: 13, M: 384, R: 3, S: 3, stride: 1, padding: 1, chipActive: 156 },
  { name: 'CONV5', C: 192, H: 13, W: 13, M: 256, R: 3, S: 3, stride: 1, padding: 1, chipActive: 156 },
];

async function rsAlexnet() {
  const cfg = rsPresets.eyeriss!;
  const pes = cfg.peRows * cfg.peCols;
  const rows: string[] = [];
  const energy: string[] = [];
  const frugal: string[] = [];
  let allMacs = 0, allCycles = 0;
  const mapText = (m: RsMapping) => `${m.Rg}x${m.w} sets: V=${m.V} Hs=${m.Hs} p=${m.p} q=${m.q}${m.prefetch ? ', prefetch' : ''}${m.ifAhead ? ', ifmap ahead' : ''}`;
  for (const L of alexnetConv) {
    const p = randomConvProblem(cfg, { N: 1, ...L, bias: true, relu: true }, new Random(L.C * 1000 + L.M));
    const sh = convShape(p);
    const macs = sh.M * sh.C * sh.R * sh.S * sh.E * sh.F;
    // One RTL run per mapper objective, each bit-exact and equal to the models.
    const measure = async (objective: RsObjective) => {
      const r = await runRs(cfg, p, { mapping: mapConv(cfg, sh, true, objective), timeoutMs: 3_600_000, maxCycles: 1e9 });
      const bad = firstRsMismatch(cfg, p, r);
      if (bad) throw new Error(`${L.name}: RTL ${bad.element} = ${bad.actual}, golden ${bad.expected}`);
      const model = rsAccesses(cfg, r.mapping, sh, true);
      for (const k of Object.keys(model) as (keyof RsCounters)[]) {
        if (model[k] !== r.counters[k]) throw new Error(`${L.name}: counter ${k} RTL ${r.counters[k]}, model ${model[k]}`);
      }
      return r;
    };
    const r = await measure('cycles');
    allMacs += macs;
    allCycles += r.cycles;
    const c = r.counters;
    const lv = rsAccessLevels(c);
    rows.push(`| ${L.name} | ${mapText(r.mapping)} | ${r.cycles} | ${(macs / 1e6).toFixed(1)} M | ${pct(macs / (r.cycles * pes))} | ${c.activePesPeak} (chip ${L.chipActive}) | ${lv.dram} | ${c.dramReadWords} | ${lv.glb} | ${lv.array} | ${lv.rf} | ${fmt(r.simSeconds)} |`);
    const e = rsEnergy(c);
    const per = (x: number) => (x / macs).toFixed(2);
    energy.push(`| ${L.name} | ${per(e.dram)} | ${per(e.buffer)} | ${per(e.array)} | ${per(e.rf)} | ${per(e.mac)} | ${per(e.total)} |`);
    const f = await measure('energy');
    const fe = rsEnergy(f.counters);
    frugal.push(`| ${L.name} | ${mapText(f.mapping)} | ${f.cycles} | ${pct(macs / (f.cycles * pes))} | ${f.counters.activePesPeak} | ${per(fe.dram)} | ${per(fe.total)} (${per(e.total)}) | ${fmt(f.simSeconds)} |`);
  }
  log('### AlexNet CONV1-5 on `eyeriss` (12 x 14 PEs), one image, random data, bias + ReLU (RTL-measured, bit-exact, counters equal to the model)');
  log('| layer | mapping | cycles | MACs | utilization MACs / (cycles x 168) | active PEs (peak) | DRAM values | DRAM read words | buffer accesses | inter-PE psum hops | scratchpad accesses | sim wall time |');
  log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) log(r);
  log();
  log(`All five layers: ${pct(allMacs / (allCycles * pes))} utilization (MACs / (cycles x ${pes})), ${allCycles} cycles.`);
  log();
  log('### Normalized energy per MAC from the RTL counters (Eyeriss model: DRAM 200, buffer 6, array 2, RF 1, MAC 1 per access)');
  log('| layer | DRAM | buffer | array | RF | MAC | total |');
  log('|---|---|---|---|---|---|---|');
  for (const r of energy) log(r);
  log();
  log('### The same layers with the energy objective (`mapConv(..., \'energy\')`, `run rs --objective energy`; RTL-measured, bit-exact, counters equal to the model)');
  log('| layer | mapping | cycles | utilization | active PEs | DRAM energy / MAC | total energy / MAC (cycles objective) | sim wall time |');
  log('|---|---|---|---|---|---|---|---|');
  for (const r of frugal) log(r);
}

// ---- VCD reading ----

/** A full-depth Verilator VCD of about 1 GB (ws-4x4, a long GEMM), read with the streaming reader. */
async function vcdRead() {
  const cfg = wsPresets['ws-4x4']!;
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-vcd-'));
  try {
    const vcd = join(dir, 'full.vcd');
    const p = randomWsProblem(cfg, { m: 160, k: 160, n: 160 }, new Random(5));
    await runWsEngine(cfg, p, { traceFormat: 'vcd', trace: vcd, timeoutMs: 3_600_000 });
    const bytes = statSync(vcd).size;
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const sel = ['TOP.busy_o', 'TOP.host_rsp_rdata_o', 'TOP.ws_engine.u_array.gen_row[3].gen_col[3].u_pe.psum_o'];
    const t = await readVcd(vcd, (s) => sel.includes(s.path));
    const secs = (performance.now() - t0) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const kept = [...t.changes.values()].reduce((a, l) => a + l.length, 0);
    log('### Streaming VCD reader (vcd-stream 1.5.0, WebAssembly) on a full-depth Verilator trace');
    log('| measure | value |');
    log('|---|---|');
    log(`| trace | ws-4x4 engine, 160 x 160 x 160 GEMM, every signal, ${(bytes / 1e9).toFixed(2)} GB, ${t.signals.length} signal names |`);
    log(`| read time | ${fmt(secs)} |`);
    log(`| throughput | ${(bytes / 1e6 / secs).toFixed(1)} MB/s |`);
    log(`| peak RSS while reading (Node process) | ${(peak / 1e6).toFixed(0)} MB (before: ${(rss0 / 1e6).toFixed(0)} MB) |`);
    log(`| changes kept (3 selected signals) | ${kept} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- whole networks ----

/** The trained LeNets on the RTL, 2,000 test images each; results to docs/results/model-*.json. */
async function networks() {
  const { runModel, modelText } = await import('../flows/model.js');
  const { loadModel } = await import('../nn/zoo.js');
  const { designByName, loadConfig } = await import('../designs/index.js');
  const runs = [['lenet-300-100', 'ws', 'ws-16x16'], ['lenet-5', 'ws', 'ws-16x16'], ['lenet-5', 'rs', 'eyeriss']] as const;
  const rows: string[] = [];
  // The exported float models against onnxruntime (an independent runtime), all test images.
  const { builtinModelPath } = await import('../nn/zoo.js');
  const { testSample } = await import('../nn/mnist.js');
  const { ortMaxAbsDiff } = await import('../nn/ort-agreement.js');
  const agreement: Record<string, number> = {};
  for (const model of ['lenet-300-100', 'lenet-5'] as const) {
    const g = await loadModel(model, log);
    const diff = await ortMaxAbsDiff(readFileSync(await builtinModelPath(model)), g, testSample(2000));
    agreement[model] = diff;
    log(`${model}: max |ours - onnxruntime| over 2,000 test images = ${diff.toExponential(2)}`);
  }
  writeResult('onnxruntime-agreement.json', { schema: 'accelforge/onnxruntime-agreement@1', images: 2000, maxAbsDiff: agreement });
  for (const [model, design, config] of runs) {
    const d = designByName(design);
    const r = await runModel(d, loadConfig(d, config), await loadModel(model, log), { images: 2000, artifacts: 'artifacts', configArg: config, modelArg: model, log, quiet: true });
    writeResult(`model-${model}-${config}.json`, r);
    for (const l of modelText(r)) log(`    ${l}`);
    rows.push(`| ${model} | ${config} | ${pct(r.floatAccuracy)} | ${pct(r.quantizedAccuracy)} | ${pct(r.accuracy)} | ${r.cycles} | ${r.layers.map((l) => `${l.name} ${pct(l.utilization)}`).join(', ')} | ${fmt(r.simSeconds)} | ${fmt(r.wallSeconds)} |`);
  }
  log('### Trained networks on the RTL, 2,000 MNIST test images (`npx tsx scripts/bench.ts networks`)');
  log('| model | config | float | quantized golden | RTL | cycles (RTL counters) | utilization per layer | simulation | wall |');
  log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) log(r);
}

// ---- Deep Compression and the compressed networks on eie ----

/** Han et al.'s published numbers (Deep Compression, ICLR 2016) for the comparison rows. */
const hanResults: Record<string, { denseKB: number; compressedKB: number; ratio: number; before: number; after: number }> = {
  'lenet-300-100': { denseKB: 1070, compressedKB: 27, ratio: 40, before: 98.36, after: 98.42 },
  'lenet-5': { denseKB: 1720, compressedKB: 44, ratio: 39, before: 99.2, after: 99.26 },
};

/** Both LeNets through Deep Compression; stats to docs/results/compress-*.json. */
async function compression() {
  const { compressedModel, compressStats } = await import('../nn/compressed.js');
  const { compressText } = await import('../flows/text.js');
  for (const model of ['lenet-300-100', 'lenet-5'] as const) {
    const t0 = performance.now();
    const { cm } = await compressedModel(model, log);
    const st = compressStats(cm);
    writeResult(`compress-${model}.json`, st);
    for (const l of compressText(st)) log(`    ${l}`);
    log(`(${fmt((performance.now() - t0) / 1000)} here, ${fmt(st.seconds)} when compressed)`);
    log(`### Deep Compression of ${model} (\`npx tsx scripts/bench.ts compression\`)`);
    log('| layer | weights | kept | density | code bits | index bits | bytes before Huffman | bytes after Huffman | pointers |');
    log('|---|---|---|---|---|---|---|---|---|');
    for (const l of st.layers) log(`| ${l.name} | ${l.weights} | ${l.kept} | ${pct(l.density)} | ${st.recipe.bits} | ${st.recipe.indexBits} | ${l.bytes.before} | ${l.bytes.after} | ${l.bytes.pointers} |`);
    const t = st.totals, h = hanResults[model]!;
    log(`| total | ${t.weights} | ${t.kept} | ${pct(t.density)} | | | ${t.compressedBytes} (${st.ratios.beforeHuffman.toFixed(1)}x) | ${t.huffmanBytes} (${st.ratios.huffman.toFixed(1)}x) | ${t.pointerBytes} (${st.ratios.huffmanWithPointers.toFixed(1)}x with them) |`);
    log(`| Han et al. | | | 1/12 | | | | ${h.compressedKB} KB of ${h.denseKB} KB (${h.ratio}x) | |`);
    log('');
    log(`Accuracy on the 2,000 test images: float ${pct(st.accuracy.float)}, pruned ${pct(st.accuracy.pruned)}, pruned + ${st.recipe.bits}-bit ${pct(st.accuracy.quantized)} (${((st.accuracy.quantized - st.accuracy.float) * 100).toFixed(2)} points); Han et al. ${h.before} % -> ${h.after} %.`);
    log('');
    log('| codebook bits | ' + st.bitsTable.map((b) => b.bits).join(' | ') + ' |');
    log('|---|' + st.bitsTable.map(() => '---').join('|') + '|');
    log('| accuracy | ' + st.bitsTable.map((b) => pct(b.accuracy)).join(' | ') + ' |');
  }
}

/** The compressed networks on the EIE RTL (and rs,eie for LeNet-5); results to docs/results/model-*-eie*.json. */
async function eieNetworks() {
  const { compressedModel } = await import('../nn/compressed.js');
  const { runModelEie } = await import('../flows/model-eie.js');
  const { eieModelText } = await import('../flows/text.js');
  const { designByName, loadConfig } = await import('../designs/index.js');
  const eie = designByName('eie'), rs = designByName('rs');
  const runs = [
    { model: 'lenet-300-100', config: 'eie-64pe', pre: undefined, dense: 'model-lenet-300-100-ws-16x16.json' },
    { model: 'lenet-5', config: 'eyeriss,eie-64pe', pre: { d: rs, cfg: loadConfig(rs, 'eyeriss') }, dense: 'model-lenet-5-ws-16x16.json' },
  ] as const;
  log('### Compressed networks on the EIE RTL, 2,000 MNIST test images (`npx tsx scripts/bench.ts eie-networks`)');
  const rows: string[] = [];
  for (const run of runs) {
    const { cm } = await compressedModel(run.model, log);
    const r = await runModelEie(eie, loadConfig(eie, 'eie-64pe') as never, cm, { images: 2000, artifacts: 'artifacts', configArg: run.config, modelArg: run.model, quiet: true }, run.pre);
    writeResult(`model-${run.model}-${run.config.replace(',', '+')}.json`, r);
    for (const l of eieModelText(r)) log(`    ${l}`);
    let speedup = '-';
    try {
      const dense = JSON.parse(readFileSync(new URL(`../docs/results/${run.dense}`, import.meta.url), 'utf8')) as { cycles: number; imageIds: number[] };
      speedup = `${(dense.cycles / dense.imageIds.length / r.perImage.cycles).toFixed(2)}x (dense ws-16x16 ${(dense.cycles / dense.imageIds.length).toFixed(0)} cycles/image)`;
    } catch {
      /* the networks section has not run */
    }
    rows.push(`| ${run.model} | ${run.config} | ${pct(r.floatAccuracy)} | ${pct(r.quantizedAccuracy)} | ${pct(r.accuracy)} | ${r.perImage.cycles.toFixed(0)} (${r.perImage.eieCycles.toFixed(0)} on eie) | ${speedup} | ${r.layers.filter((l) => l.loadEfficiency !== undefined).map((l) => `${l.name} ${f3(l.loadEfficiency!)}`).join(', ')} | ${fmt(r.simSeconds)} | ${fmt(r.wallSeconds)} |`);
  }
  log('| model | design / config | float | compressed golden | RTL | cycles per image (RTL) | speedup over dense ws-16x16 | load efficiency per layer | simulation | wall |');
  log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) log(r);
}

/** Load efficiency against FIFO depth on the real compressed LeNet-300-100 layers, 64 PEs. */
async function eieFifoReal() {
  const { compressedModel } = await import('../nn/compressed.js');
  const { runModelEie } = await import('../flows/model-eie.js');
  const { designByName } = await import('../designs/index.js');
  const eie = designByName('eie');
  const { cm } = await compressedModel('lenet-300-100', log);
  // The authors' FIFO of size N is a ring buffer holding N-1 entries; ours of depth N holds N.
  const authors: Record<number, number> = { 2: 0.695, 4: 0.845, 8: 0.895, 16: 0.91 };
  const depths = [1, 2, 3, 4, 7, 8, 15, 16];
  const rows: { depth: number; layers: Record<string, number>; cycles: number }[] = [];
  for (const fifoDepth of depths) {
    const cfg = parseEieConfig({ ...eiePresets['eie-64pe']!, fifoDepth });
    const r = await runModelEie(eie, cfg, cm, { images: 200, artifacts: 'artifacts', configArg: `eie-64pe fifoDepth ${fifoDepth}`, modelArg: 'lenet-300-100', quiet: true });
    rows.push({ depth: fifoDepth, cycles: r.perImage.eieCycles, layers: Object.fromEntries(r.layers.map((l) => [l.name, l.loadEfficiency!])) });
  }
  writeResult('eie-fifo-lenet-300-100.json', { schema: 'accelforge/eie-fifo@1', model: 'lenet-300-100', images: 200, pes: 64, definition: 'entries / (cycles x PEs); ours holds fifoDepth entries, the authors size N holds N-1', rows, authors });
  const names = Object.keys(rows[0]!.layers);
  log('### Load efficiency against FIFO depth on the real compressed LeNet-300-100, 64 PEs, 200 test images (`npx tsx scripts/bench.ts eie-fifo-real`)');
  log(`| entries held (ours: depth N) | ${names.join(' | ')} | cycles per image | authors' size N = entries + 1 | authors' load efficiency (AlexNet FC8) |`);
  log(`|---|${names.map(() => '---').join('|')}|---|---|---|`);
  for (const row of rows) log(`| ${row.depth} | ${names.map((n) => f3(row.layers[n]!)).join(' | ')} | ${row.cycles.toFixed(0)} | ${row.depth + 1} | ${authors[row.depth + 1] ?? '-'} |`);
}

/** Committed machine-readable results (docs/results/). */
function writeResult(name: string, value: unknown) {
  const dir = new URL('../docs/results/', import.meta.url);
  mkdirp(fileURLToPath(dir));
  const text = JSON.stringify(value, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);
  // Arrays of numbers (per-image ids, labels, predictions) on one line each: 2,000 lines of one number help nobody.
  writeFileSync(new URL(name, dir), text.replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_m, body: string) => `[${body.replace(/,\s+/g, ', ')}]`) + '\n');
}

const sections: Record<string, () => Promise<void>> = {
  'ws-build': wsBuild,
  'ws-sim': wsSim,
  'ws-util': wsUtil,
  'os-util': osUtil,
  'eie-alex8': eieAlex8,
  'eie-fifo': eieFifo,
  'eie-pes': eiePes,
  'eie-layers': eieBenchLayers,
  'rs-alexnet': rsAlexnet,
  'vcd-read': vcdRead,
  networks,
  compression,
  'eie-networks': eieNetworks,
  'eie-fifo-real': eieFifoReal,
};
const want = process.argv.slice(2);
for (const [name, f] of Object.entries(sections)) {
  if (want.length && !want.includes(name)) continue;
  await f();
  log();
}
