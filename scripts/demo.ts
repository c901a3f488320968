// `npm run demo`: the main job end to end on the ws presets: generate, lint,
// synthesize, verify random GEMMs against the golden model, run a larger
// GEMM and report what the RTL measured.
import { join, resolve } from 'node:path';
import { designByName, loadConfig } from '../testbenches/registry.js';
import type { WsConfig } from '../golden/ws/config.js';
import { designFiles } from '../generators/common/emit.js';
import { writeDirAtomic } from '../testbenches/common/output.js';
import { MismatchError } from '../golden/common/errors.js';
import { lint } from '../testbenches/tools/verilator/runner.js';
import { synth } from '../testbenches/tools/yosys/synth.js';
import { checkWs } from '../testbenches/ws/check.js';
import { randomWsProblem } from '../golden/ws/problem.js';
import { Random } from '../golden/common/random.js';
import { scaleSimCycles, utilization, wsPassCycles } from '../golden/ws/cycles.js';
import { verifyDesign, type VerifyReport } from '../testbenches/verbs.js';
import { loadResult, renderReport, resultFiles } from './flows/report.js';
import { toJson } from '../golden/common/show.js';
import { writeFileAtomic } from '../testbenches/common/output.js';
import { repoPath } from '../golden/common/repo.js';

export async function demo(outDir: string, log: (s: string) => void): Promise<number> {
  const report: Record<string, unknown> = {};
  const seed = 20261122;
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

  const small = loadConfig(ws, 'ws-4x4');
  log(`[ws-4x4] verify: 8 random GEMMs (sizes not multiples of the array, D, ReLU, host stalls)`);
  const verified: VerifyReport[] = [];
  const v4 = await verifyDesign(ws, small, 'ws-4x4', seed, 8, (l) => log(`  ${l}`), {
    artifacts: join(outDir, 'failures'),
  });
  verified.push(v4);
  if (v4.failed) return writeReport(outDir, verified, log).then(() => 1);

  const big = loadConfig(ws, 'ws-16x16') as WsConfig;
  const shape = { m: 256, k: 192, n: 200 };
  const p = randomWsProblem(big, shape, new Random(seed), { d: true, relu: true });
  log(
    `[ws-16x16] run: C = relu(D + A x B), M=${shape.m} K=${shape.k} N=${shape.n} (build may take a minute the first time)`,
  );
  try {
    const r = await checkWs(big, p, 'ws ws-16x16 demo');
    const util = utilization(big, shape, r.cycles);
    const model = r.passes.reduce((s, ps) => s + wsPassCycles(big, { m: ps.mp, k: ps.kp, n: ps.np }), 0);
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
    if (model !== r.cycles) return 1;
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
  } catch (e) {
    if (e instanceof MismatchError) {
      log(`[ws-16x16] FAIL: ${e.message}`);
      return 1;
    }
    throw e;
  }
  // The other two families: generate + lint, then random co-simulation cases.
  for (const [design, preset] of [
    ['eie', 'eie-4pe'],
    ['rs', 'rs-4x4'],
  ] as const) {
    const plugin = designByName(design);
    const cfg = loadConfig(plugin, preset);
    const d = plugin.generate(cfg);
    writeDirAtomic(join(outDir, preset), await designFiles(d, plugin.datasheet(cfg)));
    await lint(d);
    log(`[${preset}] generated ${d.modules.length} modules, verilator --lint-only -Wall: 0 warnings`);
    log(
      `[${preset}] verify: 4 random ${design === 'eie' ? 'layer chains' : 'convolution layers'} (build may take a minute the first time)`,
    );
    const v = await verifyDesign(plugin, cfg, preset, seed, 4, (l) => log(`  ${l}`), {
      artifacts: join(outDir, 'failures'),
    });
    verified.push(v);
    if (v.failed) return writeReport(outDir, verified, log).then(() => 1);
    report[preset] = { configHash: d.configHash, verified: 4, seed };
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
