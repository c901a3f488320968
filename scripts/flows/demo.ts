// `npm run demo`: the main job end to end on the ws presets: generate, lint,
// synthesize, verify random GEMMs against the golden model, run a larger
// GEMM and report what the RTL measured.
import { join, resolve } from 'node:path';
import { designByName, loadConfig } from '../../testbenches/registry.js';
import type { WsConfig } from '../../golden/gemm/config.js';
import { designFiles } from '../../generators/common/emit.js';
import { writeDirAtomic } from '../../testbenches/common/output.js';
import { lint } from '../../testbenches/tools/verilator/runner.js';
import { synth } from '../../testbenches/tools/yosys/synth.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { scaleSimCycles, utilization } from '../../golden/gemm/cycles.js';
import { verifyDesign, type VerifyReport } from '../../testbenches/verbs.js';
import { loadResult, renderReport, resultFiles } from './report.js';
import { toJson } from '../../golden/common/show.js';
import { writeFileAtomic } from '../../testbenches/common/output.js';
import { repoPath } from '../../golden/common/repo.js';

type Log = (s: string) => void;
const seed = 20261122;

/** The ws presets: generated, linted and synthesized. */
async function wsPresetsChecked(outDir: string, log: Log, report: Record<string, unknown>): Promise<void> {
  const ws = designByName('ws');
  for (const preset of ['ws-4x4', 'ws-16x16']) {
    const cfg = loadConfig(ws, preset);
    const d = ws.generate(cfg);
    const dir = join(outDir, preset);
    writeDirAtomic(dir, await designFiles(d, ws.datasheet(cfg)));
    log(`[${preset}] generated ${d.modules.length} modules into ${resolve(dir)}`);
    await lint(d);
    log(`[${preset}] verilator --lint-only -Wall: 0 warnings`);
    const s = await synth(d);
    log(
      `[${preset}] yosys: no latches, no multiple drivers, no undriven nets; ${s.cells} cells, ${s.flipFlops} flip-flop bits (${s.seconds.toFixed(1)} s)`,
    );
    report[preset] = { configHash: d.configHash, synth: { cells: s.cells, flipFlops: s.flipFlops } };
  }
}

/** A larger GEMM on ws-16x16: bit-exact, cycles equal to the model, utilization beside SCALE-Sim's. Returns whether it passed. */
async function wsRun(log: Log, report: Record<string, unknown>): Promise<boolean> {
  const ws = designByName('ws');
  const big = loadConfig(ws, 'ws-16x16') as WsConfig;
  const shape = { m: 256, k: 192, n: 200 };
  const p = randomGemmProblem(big, shape, new Random(seed), { d: true, relu: true });
  log(
    `[ws-16x16] run: C = relu(D + A x B), M=${shape.m} K=${shape.k} N=${shape.n} (build may take a minute the first time)`,
  );
  const design = ws.generate(big);
  const r = (await ws.simulate(big, p, { design })) as {
    cycles: number;
    simSeconds: number;
    counters: Record<string, number>;
    build: { cached: boolean; seconds: number };
  };
  const bad = ws.firstMismatch(big, p, r);
  if (bad) {
    log(
      `[ws-16x16] FAIL: ${bad.element} expected ${bad.expected}, got ${bad.actual} (reproduce: npx accelforge verify ws --config ws-16x16)`,
    );
    return false;
  }
  const model = ws.cycleCheck!(big, p, r)!.model;
  const util = utilization(big, shape, r.cycles);
  const scale = scaleSimCycles(big, shape);
  log(
    `[ws-16x16] bit-exact against golden: ${shape.m * shape.n} results; ${r.cycles} cycles measured in RTL (${r.counters.tiles} weight tiles, ${r.counters.macs} MACs)`,
  );
  log(
    `[ws-16x16] cycle model ${model} (${model === r.cycles ? 'exact' : 'MISMATCH'}); utilization ${(100 * util).toFixed(2)} % (SCALE-Sim's model: ${scale} cycles, ${(100 * utilization(big, shape, scale)).toFixed(1)} %)`,
  );
  log(
    `[ws-16x16] build ${r.build.cached ? 'cached' : `${r.build.seconds.toFixed(1)} s`}, simulation ${r.simSeconds.toFixed(2)} s`,
  );
  report.run = {
    preset: 'ws-16x16',
    ...shape,
    cycles: r.cycles,
    modelCycles: model,
    scaleSimCycles: scale,
    counters: r.counters,
    utilization: util,
    seed,
  };
  return model === r.cycles;
}

/** Generate and lint a preset (unless done already), then a few random co-simulation cases. */
async function verifyPreset(
  design: string,
  preset: string,
  cases: number,
  outDir: string,
  log: Log,
  report: Record<string, unknown>,
  generated = false,
): Promise<VerifyReport> {
  const plugin = designByName(design);
  const cfg = loadConfig(plugin, preset);
  const d = plugin.generate(cfg);
  if (!generated) {
    writeDirAtomic(join(outDir, preset), await designFiles(d, plugin.datasheet(cfg)));
    await lint(d);
    log(`[${preset}] generated ${d.modules.length} modules, verilator --lint-only -Wall: 0 warnings`);
  }
  log(`[${preset}] verify: ${cases} random ${plugin.caseNoun} (build may take a minute the first time)`);
  const v = await verifyDesign(plugin, cfg, preset, seed, cases, (l) => log(`  ${l}`), {
    artifacts: join(outDir, 'failures'),
  });
  report[preset] = { configHash: d.configHash, verified: cases, seed };
  return v;
}

export async function demo(outDir: string, log: Log): Promise<number> {
  const report: Record<string, unknown> = {};
  await wsPresetsChecked(outDir, log, report);
  const verified: VerifyReport[] = [];
  const v4 = await verifyPreset('ws', 'ws-4x4', 8, outDir, log, report, true);
  verified.push(v4);
  if (v4.failed || !(await wsRun(log, report))) return writeReport(outDir, verified, log).then(() => 1);
  // The other families: generate + lint, then random co-simulation cases.
  for (const [design, preset] of [
    ['eie', 'eie-4pe'],
    ['rs', 'rs-4x4'],
  ] as const) {
    const v = await verifyPreset(design, preset, 4, outDir, log, report);
    verified.push(v);
    if (v.failed) return writeReport(outDir, verified, log).then(() => 1);
  }
  const path = join(outDir, 'report.json');
  writeFileAtomic(path, toJson(report, 2) + '\n');
  await writeReport(outDir, verified, log);
  log(`demo passed; JSON summary in ${resolve(path)}`);
  return 0;
}

/** The demo's verify runs (results/verify-*.json) and the committed benchmark results as one HTML page. */
async function writeReport(outDir: string, verified: VerifyReport[], log: (s: string) => void): Promise<void> {
  const files = verified.map((v) => {
    const f = join(outDir, 'results', `verify-${v.config}.json`);
    writeFileAtomic(f, toJson(v, 2) + '\n');
    return f;
  });
  const committed = repoPath('docs/results');
  const html = await renderReport([...files, ...resultFiles([committed])].map(loadResult), {
    title: 'accelforge demo report',
  });
  const page = join(outDir, 'report.html');
  writeFileAtomic(page, html);
  log(`HTML report (the demo's checks and the committed benchmarks): ${resolve(page)}`);
}
