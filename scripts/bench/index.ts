// `npm run bench`: measurements for docs/benchmarks.md. Each section writes
// its result as JSON (docs/results/bench-<section>.json, or --out DIR; one
// versioned schema per section, flows/bench-results.ts) and prints the
// markdown table rendered from it; pass section names to run only some.
import { rmSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseWsConfig, wsPresets } from '../../golden/ws/config.js';
import { generateWs } from '../../generators/ws/generate.js';
import { build, runSim } from '../../testbenches/tools/verilator/runner.js';
import { buildWsEngine, runWsEngine } from '../../testbenches/ws/sim.js';
import { planWsPasses } from '../../golden/ws/mapper.js';
import { wsEngineProgram } from '../../testbenches/ws/host.js';
import { hostHarness, hostFloorTemplate } from '../../testbenches/tools/verilator/host.js';
import { WsEnginePorts } from '../../generators/ws/ws_engine.binding.js';
import { firstGemmMismatch } from '../../testbenches/ws/check.js';
import { randomWsProblem } from '../../golden/ws/problem.js';
import { Random } from '../../golden/common/random.js';
import { fileURLToPath } from 'node:url';
import { mkdirp } from '../../testbenches/common/output.js';
import { gemm } from '../../golden/ws/golden.js';
import { scaleSimCycles, utilization, wsPassCycles } from '../../golden/ws/cycles.js';
import { eiePresets, parseEieConfig, type EieConfig } from '../../golden/eie/config.js';
import { buildEieEngine, runEie, type EieRunResult } from '../../testbenches/eie/sim.js';
import { layoutEie } from '../../testbenches/eie/host.js';
import { eieExpected, firstEieMismatch } from '../../testbenches/eie/check.js';
import { randomActivations, randomSparseLayer, type EieProblem } from '../../golden/eie/problem.js';
import { rsPresets } from '../../golden/rs/config.js';
import { convShape } from '../../golden/rs/golden.js';
import { osPresets } from '../../golden/os/config.js';
import { runOsEngine } from '../../testbenches/os/sim.js';
import { osPassCycles, osUtilization } from '../../golden/os/cycles.js';
import { osPassAccess } from '../../golden/os/access.js';
import { osAccumulates } from '../../testbenches/os/host.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { mapConv, type RsObjective } from '../../golden/rs/mapper.js';
import { rsAccessLevels, rsAccesses, rsEnergy } from '../../golden/rs/access.js';
import { type RsCounters, type RsMapping } from '../../golden/rs/contract.js';
import { runRs } from '../../testbenches/rs/sim.js';
import { firstRsMismatch } from '../../testbenches/rs/failure.js';
import { randomConvProblem } from '../../golden/rs/problem.js';
import { readVcd } from '../../testbenches/tools/failure/vcd.js';
import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { verifyDesign } from '../../testbenches/verbs.js';
import { progress } from '../lib/progress.js';
import { renderTable, sectionTables } from '../docs-tables.js';
import {
  benchSchema, type BenchMeta, type BuildProfilesResult, type EieAlex8Result, type EieFifoRealResult, type EieFifoResult, type EieLayersResult,
  type EieMeasure, type EiePesResult, type SweepShardsResult, type SuiteResult, type ReportResult, type OsUtilResult, type RsAlexnetResult, type RsRun, type VcdReadResult, type WsBuildResult, type WsSimResult, type WsUtilResult,
} from '../flows/bench-results.js';
import { repoPath, repoRoot } from '../../golden/common/repo.js';

/** A section's own fields; the main loop adds where and how it was measured. */
type Data<T extends BenchMeta> = Omit<T, keyof BenchMeta>;

const log = (s = '') => process.stdout.write(s + '\n');
const fmt = (s: number) => `${s.toFixed(2)} s`;
const ws16 = wsPresets['ws-16x16']!;

/** Runs `fn` with these environment variables set (undefined: unset), then puts the old values back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

/** Runs `fn` on a build cache of its own, empty at the start and removed afterwards (plus any other variables). */
async function withEmptyCache<T>(fn: (cache: string) => Promise<T>, vars: Record<string, string | undefined> = {}): Promise<T> {
  const cache = mkdtempSync(join(tmpdir(), 'af-bench-cache-'));
  try {
    return await withEnv({ ACCELFORGE_CACHE: cache, ...vars }, () => fn(cache));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

async function wsBuild(): Promise<Data<WsBuildResult>> {
  return withEmptyCache(async (cache) => {
    const cold = await withEnv({ CCACHE_DISABLE: '1' }, () => buildWsEngine(ws16));
    const cached = await buildWsEngine(ws16);
    rmSync(cache, { recursive: true, force: true });
    await buildWsEngine(ws16); // fills ccache if it was empty
    rmSync(cache, { recursive: true, force: true });
    const ccacheHit = await buildWsEngine(ws16);
    const oneParam = await buildWsEngine(parseWsConfig({ ...ws16, accWidth: 30 }));
    return {
      config: 'ws-16x16',
      builds: [
        { build: 'cold (empty build cache, ccache off)', seconds: cold.seconds },
        { build: 'identical request (build cache hit, no compile)', seconds: cached.seconds },
        { build: 'identical sources, build cache emptied, ccache warm', seconds: ccacheHit.seconds },
        { build: 'one parameter changed (accWidth 32 -> 30), ccache warm', seconds: oneParam.seconds },
      ],
    } satisfies Data<WsBuildResult>;
  });
}

async function wsSim(): Promise<Data<WsSimResult>> {
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
  return {
    config: 'ws-16x16', ...shape, cycles: r.cycles, modelCycles: model, utilization: utilization(ws16, shape, r.cycles),
    scaleSimCycles: scaleSimCycles(ws16, shape), scaleSimUtilization: utilization(ws16, shape, scaleSimCycles(ws16, shape)),
    totalCycles: r.totalCycles, simSeconds: r.simSeconds, floor: { seconds: floor.secs, cycles: floor.cycles }, goldenSeconds,
  };
}

async function wsUtil(): Promise<Data<WsUtilResult>> {
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
    const p = randomWsProblem(ws16, s, new Random(s.m * 7 + s.k * 3 + s.n));
    const r = await runWsEngine(ws16, p);
    const bad = firstGemmMismatch(gemm(ws16, p), r.c);
    if (bad) throw new Error(`mismatch at ${bad.element} for ${JSON.stringify(s)}`);
    const model = r.passes.reduce((a, ps) => a + wsPassCycles(ws16, { m: ps.mp, k: ps.kp, n: ps.np }), 0);
    const sc = scaleSimCycles(ws16, s);
    const ideal = Math.ceil((s.m * s.k * s.n) / 256);
    rows.push({ ...s, cycles: r.cycles, modelCycles: model, utilization: utilization(ws16, s, r.cycles), scaleSimCycles: sc, scaleSimUtilization: utilization(ws16, s, sc), idealCycles: ideal });
  }
  return { config: 'ws-16x16', rows };
}

// ---- os ----

async function osUtil(): Promise<Data<OsUtilResult>> {
  const os16 = osPresets['os-16x16']!;
  const shapes = [
    { m: 512, k: 512, n: 512 },
    { m: 256, k: 256, n: 256 },
    { m: 64, k: 64, n: 64 },
    { m: 16, k: 16, n: 16 },
    { m: 33, k: 33, n: 33 },
    { m: 1000, k: 64, n: 10 },
  ];
  const rows: OsUtilResult['rows'] = [];
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
    rows.push({ ...s, cycles: r.cycles, modelCycles: model, utilization: osUtilization(os16, s, r.cycles), idealCycles: Math.ceil((s.m * s.k * s.n) / 256), simSeconds: r.simSeconds });
  }
  return { config: 'os-16x16', rows };
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
/** What the eie tables show of a run (pes: the configuration's PE count). */
function eieMeasure(m: { r: EieRunResult; model: number; usefulMacs: number }, pes: number): EieMeasure {
  return {
    cycles: m.r.cycles, modelCycles: m.model, usefulMacs: m.usefulMacs,
    loadEfficiency: m.usefulMacs / pes / m.r.cycles,
    busyEfficiency: m.r.pes.reduce((a, c) => a + c.busy, 0) / m.r.pes.length / m.r.cycles,
    queueFullStalls: m.r.queueFullStalls, broadcasts: m.r.broadcasts, simSeconds: m.r.simSeconds,
  };
}
const alex8Text = 'Alex-8 shape: 1000 outputs x 4096 inputs, 25 % weights, 37.5 % activations, bias, random (seed 8)';

async function eieAlex8(): Promise<Data<EieAlex8Result>> {
  const cfg = eiePresets['eie-64pe']!;
  const m = await eieMeasured(cfg, alex8(), 'alex8');
  return { config: 'eie-64pe', problem: alex8Text, measured: eieMeasure(m, 64), paper: { cycles: 7926, us: 9.9, loadEfficiency: 0.895 } };
}

async function eieFifo(): Promise<Data<EieFifoResult>> {
  const rows: EieFifoResult['rows'] = [];
  for (const fifoDepth of [1, 2, 4, 8, 16]) {
    const cfg = parseEieConfig({ ...eiePresets['eie-64pe']!, fifoDepth });
    rows.push({ fifoDepth, ...eieMeasure(await eieMeasured(cfg, alex8(), 'alex8'), 64) });
  }
  const paper = [[2, 0.695], [4, 0.845], [8, 0.895], [16, 0.91]].map(([fifoSize, loadEfficiency]) => ({ fifoSize: fifoSize!, loadEfficiency: loadEfficiency! }));
  return { problem: alex8Text, pes: 64, rows, paper };
}

async function eiePes(): Promise<Data<EiePesResult>> {
  const paper = [[1, 1], [2, 1.98], [4, 3.94], [8, 7.84], [16, 15.3], [32, 30.2], [64, 57.8]].map(([pes, speedup]) => ({ pes: pes!, speedup: speedup! }));
  const rows: EiePesResult['rows'] = [];
  let one = 0;
  for (const pes of [1, 2, 4, 8, 16, 32, 64]) {
    const cfg = pes === 64 ? eiePresets['eie-64pe']! : eieSized(parseEieConfig({ ...eiePresets['eie-64pe']!, pes }), alex8());
    const m = eieMeasure(await eieMeasured(cfg, alex8(), 'alex8'), pes);
    if (pes === 1) one = m.cycles;
    rows.push({ pes, speedup: one / m.cycles, ...m });
  }
  return { problem: alex8Text, fifoDepth: 8, rows, paper };
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

async function eieBenchLayers(): Promise<Data<EieLayersResult>> {
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
  const rows: EieLayersResult['rows'] = [];
  for (const [i, L] of eieLayers.entries()) {
    const m = eieMeasure(await eieMeasured(cfg, problems[i]!, L.name), 64);
    rows.push({ name: L.name, cols: L.cols, rows: L.rows, weightDensity: L.w, activationDensity: L.a, paperUs: L.us, ...m });
  }
  return { config: { ...cfg }, rows };
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

async function rsAlexnet(): Promise<Data<RsAlexnetResult>> {
  const cfg = rsPresets.eyeriss!;
  const pes = cfg.peRows * cfg.peCols;
  const mapText = (m: RsMapping) => `${m.Rg}x${m.w} sets: V=${m.V} Hs=${m.Hs} p=${m.p} q=${m.q}${m.prefetch ? ', prefetch' : ''}${m.ifAhead ? ', ifmap ahead' : ''}`;
  const layers: RsAlexnetResult['layers'] = [];
  for (const L of alexnetConv) {
    const p = randomConvProblem(cfg, { N: 1, ...L, bias: true, relu: true }, new Random(L.C * 1000 + L.M));
    const sh = convShape(p);
    const macs = sh.M * sh.C * sh.R * sh.S * sh.E * sh.F;
    // One RTL run per mapper objective, each bit-exact and equal to the models.
    const measure = async (objective: RsObjective): Promise<RsRun> => {
      const r = await runRs(cfg, p, { mapping: mapConv(cfg, sh, true, objective), timeoutMs: 3_600_000, maxCycles: 1e9 });
      const bad = firstRsMismatch(cfg, p, r);
      if (bad) throw new Error(`${L.name}: RTL ${bad.element} = ${bad.actual}, golden ${bad.expected}`);
      const model = rsAccesses(cfg, r.mapping, sh, true);
      for (const k of Object.keys(model) as (keyof RsCounters)[]) {
        if (model[k] !== r.counters[k]) throw new Error(`${L.name}: counter ${k} RTL ${r.counters[k]}, model ${model[k]}`);
      }
      const e = rsEnergy(r.counters);
      const per = (x: number) => x / macs;
      return {
        mapping: mapText(r.mapping), cycles: r.cycles, utilization: macs / (r.cycles * pes), activePesPeak: r.counters.activePesPeak,
        levels: rsAccessLevels(r.counters), dramReadWords: r.counters.dramReadWords,
        energyPerMac: { dram: per(e.dram), buffer: per(e.buffer), array: per(e.array), rf: per(e.rf), mac: per(e.mac), total: per(e.total) },
        simSeconds: r.simSeconds,
      };
    };
    layers.push({ name: L.name, macs, chipActivePes: L.chipActive, cyclesObjective: await measure('cycles'), energyObjective: await measure('energy') });
  }
  return { config: 'eyeriss', pes, layers };
}

// ---- VCD reading ----

/** A full-depth Verilator VCD of about 1 GB (ws-4x4, a long GEMM), read with the streaming reader. */
async function vcdRead(): Promise<Data<VcdReadResult>> {
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
    return { trace: 'ws-4x4 engine, 160 x 160 x 160 GEMM, every signal', bytes, signals: t.signals.length, seconds: secs, peakRssBytes: peak, rssBeforeBytes: rss0, changesKept: kept };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- whole networks (they write their own reports: model-*.json, compress-*.json) ----

/** The trained LeNets on the RTL, 2,000 test images each. */
async function networks() {
  const { runModel, modelText } = await import('../flows/model.js');
  const { loadModel } = await import('../nn/zoo.js');
  const { designByName, loadConfig } = await import('../../testbenches/registry.js');
  const runs = [['lenet-300-100', 'ws', 'ws-16x16'], ['lenet-5', 'ws', 'ws-16x16'], ['lenet-5', 'rs', 'eyeriss']] as const;
  // The exported float models against onnxruntime (an independent runtime), all test images.
  const { builtinModelPath } = await import('../nn/zoo.js');
  const { testSample } = await import('../../golden/nn/mnist.js');
  const { ortMaxAbsDiff } = await import('../nn/ort-agreement.js');
  const agreement: Record<string, number> = {};
  for (const model of ['lenet-300-100', 'lenet-5'] as const) {
    const g = await loadModel(model, log);
    const diff = await ortMaxAbsDiff(readFileSync(await builtinModelPath(model)), g, testSample(2000));
    agreement[model] = diff;
    log(`${model}: max |ours - onnxruntime| over 2,000 test images = ${diff.toExponential(2)}`);
  }
  writeResult('onnxruntime-agreement.json', { schema: benchSchema('onnxruntime-agreement'), images: 2000, maxAbsDiff: agreement });
  for (const [model, design, config] of runs) {
    const d = designByName(design);
    const r = await runModel(d, loadConfig(d, config), await loadModel(model, log), { images: 2000, artifacts: 'artifacts', configArg: config, modelArg: model, log, quiet: true });
    writeResult(`model-${model}-${config}.json`, r);
    for (const l of modelText(r)) log(`    ${l}`);
  }
}

/** Both LeNets through Deep Compression. */
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
  }
}

/** The compressed networks on the EIE RTL (and rs,eie for LeNet-5). */
async function eieNetworks() {
  const { compressedModel } = await import('../nn/compressed.js');
  const { runModelEie } = await import('../flows/model-eie.js');
  const { eieModelText } = await import('../flows/text.js');
  const { designByName, loadConfig } = await import('../../testbenches/registry.js');
  const eie = designByName('eie'), rs = designByName('rs');
  const runs = [
    { model: 'lenet-300-100', config: 'eie-64pe', pre: undefined },
    { model: 'lenet-5', config: 'eyeriss,eie-64pe', pre: { d: rs, cfg: loadConfig(rs, 'eyeriss') } },
  ] as const;
  for (const run of runs) {
    const { cm } = await compressedModel(run.model, log);
    const r = await runModelEie(eie, loadConfig(eie, 'eie-64pe') as never, cm, { images: 2000, artifacts: 'artifacts', configArg: run.config, modelArg: run.model, quiet: true }, run.pre);
    writeResult(`model-${run.model}-${run.config.replace(',', '+')}.json`, r);
    for (const l of eieModelText(r)) log(`    ${l}`);
  }
}

/** Load efficiency against FIFO depth on the real compressed LeNet-300-100 layers, 64 PEs. */
async function eieFifoReal() {
  const { compressedModel } = await import('../nn/compressed.js');
  const { runModelEie } = await import('../flows/model-eie.js');
  const { designByName } = await import('../../testbenches/registry.js');
  const eie = designByName('eie');
  const { cm } = await compressedModel('lenet-300-100', log);
  // The authors' FIFO of size N is a ring buffer holding N-1 entries; ours of depth N holds N.
  const authors: Record<number, number> = { 2: 0.695, 4: 0.845, 8: 0.895, 16: 0.91 };
  const depths = [1, 2, 3, 4, 7, 8, 15, 16];
  const rows: EieFifoRealResult['rows'] = [];
  for (const fifoDepth of depths) {
    const cfg = parseEieConfig({ ...eiePresets['eie-64pe']!, fifoDepth });
    const r = await runModelEie(eie, cfg, cm, { images: 200, artifacts: 'artifacts', configArg: `eie-64pe fifoDepth ${fifoDepth}`, modelArg: 'lenet-300-100', quiet: true });
    rows.push({ depth: fifoDepth, cycles: r.perImage.eieCycles, layers: Object.fromEntries(r.layers.map((l) => [l.name, l.loadEfficiency!])) });
  }
  writeResult('eie-fifo-lenet-300-100.json', { schema: benchSchema('eie-fifo-real'), model: 'lenet-300-100', images: 200, pes: 64, definition: 'entries / (cycles x PEs); ours holds fifoDepth entries, the authors size N holds N-1', rows, authors } satisfies EieFifoRealResult);
}

// ---- sweeps as shards ----

/**
 * Every committed grid (sweeps/) as 4 shards, each on an empty build cache
 * (what 4 CI machines pay), then whole on the shards' builds; the shards'
 * configurations must be disjoint, their union the whole run's, and every
 * verdict the same.
 */
async function sweepShards(): Promise<Data<SweepShardsResult>> {
  const { readGrid, runSweep } = await import('../flows/sweep.js');
  const grids = ['testbenches/sweeps/ws-grid.yaml', 'testbenches/sweeps/os-grid.json', 'testbenches/sweeps/rs-grid.yaml', 'testbenches/sweeps/eie-grid.yaml'];
  const jobs = 2, cases = 4;
  const rows: SweepShardsResult['rows'] = [];
  for (const grid of grids) {
    const g = readGrid(repoPath(grid));
    await withEmptyCache(async (cache) => {
      const o = { jobs, cases, seed: 1, artifacts: join(cache, 'artifacts'), log: () => {} };
      const shardRuns = [];
      for (let i = 1; i <= 4; i++) {
        const t0 = performance.now();
        const r = await runSweep(g, { ...o, shard: [i, 4] });
        shardRuns.push({ r, seconds: (performance.now() - t0) / 1000 });
        log(`${grid} shard ${i}/4: ${r.cases.length} configurations, ${r.cases.filter((c) => c.passed).length} passed`);
      }
      const t0 = performance.now();
      const whole = await runSweep(g, { ...o, shard: [1, 1] });
      const wholeSeconds = (performance.now() - t0) / 1000;
      const verdicts = (cs: { name: string; passed: boolean }[]) => cs.map((c) => `${c.name} ${c.passed}`).sort();
      const union = shardRuns.flatMap((x) => x.r.cases);
      const unionEqualsWhole = new Set(union.map((c) => c.name)).size === union.length && JSON.stringify(verdicts(union)) === JSON.stringify(verdicts(whole.cases));
      if (!unionEqualsWhole) throw new Error(`${grid}: the shards' configurations are not the whole run's`);
      rows.push({
        grid, design: g.design.name, configs: whole.cases.length, passed: whole.cases.filter((c) => c.passed).length,
        shardConfigs: shardRuns.map((x) => x.r.cases.length), shardSeconds: shardRuns.map((x) => x.seconds), wholeSeconds, unionEqualsWhole,
      });
    }, { ACCELFORGE_BUILD_PROFILE: 'fast-build' });
  }
  return { profile: 'fast-build', jobs, cases, rows };
}

// ---- the report ----

/** `accelforge report` over every committed result (run it after the other sections). */
async function report(): Promise<Data<ReportResult>> {
  const { loadResult, renderReport, resultFiles } = await import('../flows/report.js');
  const { execa } = await import('execa');
  const files = resultFiles([resultsDir]).filter((f) => !f.endsWith('bench-report.json'));
  let best = Infinity, html = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    html = await renderReport(files.map(loadResult));
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-report-'));
  try {
    const t0 = performance.now();
    await execa(process.execPath, [repoPath('scripts/accelforge.mjs'), 'report', ...files, '--out', join(dir, 'report.html')]);
    const cliSeconds = (performance.now() - t0) / 1000;
    return { files: files.length, charts: html.match(/<figure class="chart"><svg/g)?.length ?? 0, bytes: Buffer.byteLength(html), seconds: best, cliSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the suite ----

/** The suite (`vitest run`, what `npm test` runs after set-up and type-check) on empty caches, timed. */
async function suite(): Promise<Data<SuiteResult>> {
  const { execa } = await import('execa');
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-suite-'));
  try {
    const json = join(dir, 'vitest.json');
    const t0 = performance.now();
    const r = await execa('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${json}`], {
      cwd: repoRoot,
      env: { CCACHE_DIR: join(dir, 'ccache'), ACCELFORGE_CACHE: join(dir, 'build') },
      reject: false,
    });
    const wallSeconds = (performance.now() - t0) / 1000;
    const v = JSON.parse(readFileSync(json, 'utf8')) as {
      numTotalTests: number; numPassedTests: number; numFailedTests: number; numPendingTests: number;
      testResults: { name: string; startTime: number; endTime: number; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    if (r.exitCode !== 0) {
      const failed = v.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${f.name}: ${a.fullName}\n${a.failureMessages[0]?.slice(0, 2000)}`));
      throw new Error(`the suite failed (${v.numFailedTests} tests):\n${failed.join('\n\n')}\n${String(r.stderr).slice(-2000)}`);
    }
    const root = repoRoot;
    const slowest = v.testResults.map((f) => ({ file: f.name.replace(root, ''), seconds: (f.endTime - f.startTime) / 1000, tests: f.assertionResults.length }))
      .sort((a, b) => b.seconds - a.seconds).slice(0, 10);
    return {
      run: '`vitest run` as `npm test` runs it, on an empty build cache and an empty ccache (a fresh CI machine)',
      wallSeconds, tests: { total: v.numTotalTests, passed: v.numPassedTests, failed: v.numFailedTests, skipped: v.numPendingTests }, slowest,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the build profiles ----

/**
 * New configurations (a parameter value nothing else builds; ccache off,
 * empty build cache) verified with a sweep's few cases in each profile, and a
 * long run on each profile's build: the trade between them, for ws and eie.
 */
async function buildProfiles(): Promise<Data<BuildProfilesResult>> {
  const { designByName } = await import('../../testbenches/registry.js');
  const cases = 4;
  const wsCfg = parseWsConfig({ ...ws16, accWidth: 29 });
  const wsBig = randomWsProblem(wsCfg, { m: 512, k: 512, n: 512 }, new Random(1), { d: true });
  const eieCfg = eieSized(parseEieConfig({ ...eiePresets['eie-4pe']!, accWidth: 29 }), alex8());
  const targets = [
    {
      design: designByName('ws'), cfg: wsCfg as object, config: 'ws-16x16 with accWidth 29', longRun: 'GEMM 512 x 512 x 512',
      build: () => buildWsEngine(wsCfg),
      long: async () => {
        const r = await runWsEngine(wsCfg, wsBig);
        if (firstGemmMismatch(gemm(wsCfg, wsBig), r.c)) throw new Error('build-profiles: ws mismatch');
        return { cycles: r.cycles, simSeconds: r.simSeconds };
      },
    },
    {
      design: designByName('eie'), cfg: eieCfg as object, config: `eie-4pe with accWidth 29, sized for Alex-8 (rowsPerPe ${eieCfg.rowsPerPe})`, longRun: 'Alex-8-shaped layer',
      build: () => buildEieEngine(eieCfg),
      long: async () => {
        const m = await eieMeasured(eieCfg, alex8(), 'alex8');
        return { cycles: m.r.cycles, simSeconds: m.r.simSeconds };
      },
    },
  ];
  const rows: BuildProfilesResult['rows'] = [];
  for (const t of targets) {
    for (const profile of ['fast-build', 'fast-sim']) {
      eieRuns.clear();
      await withEmptyCache(async (cache) => {
        const t0 = performance.now();
        const b = await t.build();
        const lines: string[] = [];
        const t1 = performance.now();
        const { failed } = await verifyDesign(t.design, t.cfg, t.config, 1, cases, (l) => lines.push(l), { artifacts: join(cache, 'artifacts') });
        const t2 = performance.now();
        if (failed) throw new Error(`build-profiles: verify failed in ${profile}:\n${lines.join('\n')}`);
        const long = await t.long();
        rows.push({ design: t.design.name, config: t.config, profile, buildSeconds: b.seconds, verifySeconds: (t2 - t0) / 1000, casesSeconds: (t2 - t1) / 1000, longRun: t.longRun, longRunCycles: long.cycles, longRunSimSeconds: long.simSeconds });
      }, { ACCELFORGE_BUILD_PROFILE: profile, CCACHE_DISABLE: '1' });
    }
  }
  return { cases, rows };
}

/** Committed machine-readable results (docs/results/). */
let resultsDir = repoPath('docs/results');
function writeResult(name: string, value: unknown) {
  mkdirp(resultsDir);
  const text = JSON.stringify(value, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);
  // Arrays of numbers (per-image ids, labels, predictions) on one line each: 2,000 lines of one number help nobody.
  writeFileSync(join(resultsDir, name), text.replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_m, body: string) => `[${body.replace(/,\s+/g, ', ')}]`) + '\n');
}

type Section = () => Promise<Data<BenchMeta> | void>;
const sections: Record<string, Section> = {
  'ws-build': wsBuild,
  'build-profiles': buildProfiles,
  'sweep-shards': sweepShards,
  suite,
  report,
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

async function verilatorVersion(): Promise<string> {
  const { execa } = await import('execa');
  return (await execa('verilator', ['--version'])).stdout.trim();
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
if (outAt >= 0) {
  if (!args[outAt + 1]) throw new Error('--out needs a directory');
  resultsDir = resolve(args[outAt + 1]!);
  args.splice(outAt, 2);
}
const unknown = args.filter((a) => !(a in sections));
if (unknown.length) {
  process.stderr.write(`bench: unknown section ${unknown.map((u) => `'${u}'`).join(', ')}; sections: ${Object.keys(sections).join(', ')}\n`);
  process.exit(2);
}
const chosen = Object.entries(sections).filter(([name]) => !args.length || args.includes(name));
const bar = progress({ total: chosen.length, unit: 'sections', offTty: 'lines' });
for (const [i, [name, f]] of chosen.entries()) {
  bar.update(i, name);
  const loadAverage1m = loadavg()[0]!;
  const data = await f();
  if (data) {
    const meta: BenchMeta = {
      schema: benchSchema(name), section: name, command: `npx tsx scripts/bench.ts ${name}`, measuredAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, verilator: await verilatorVersion(), loadAverage1m },
    };
    writeResult(`bench-${name}.json`, { ...meta, ...data });
  }
  bar.log(`## ${name}`);
  for (const t of sectionTables[name] ?? []) bar.log(`${renderTable(t, (n) => JSON.parse(readFileSync(join(resultsDir, `${n}.json`), 'utf8')))}\n`);
}
bar.update(chosen.length, 'done');
bar.stop();
