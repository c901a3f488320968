// Sections about the machinery: sweeps as CI shards, the report's render
// time, the cold suite, and the two build profiles' trade.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { Random } from '../../golden/common/random.js';
import { repoPath, repoRoot } from '../../golden/common/repo.js';
import { eiePresets, parseEieConfig } from '../../golden/eie/config.js';
import { parseWsConfig, wsPresets } from '../../golden/gemm/config.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { designByName } from '../../testbenches/registry.js';
import { verifyDesign } from '../../testbenches/verbs.js';
import type { BuildProfilesResult, ReportResult, SuiteResult, SweepShardsResult } from '../flows/bench-results.js';
import { loadResult, renderReport, resultFiles } from '../flows/report.js';
import { readGrid, runSweep } from '../flows/sweep.js';
import { alex8, eieMeasured, eieSized, forgetEieRuns } from './eie.js';
import { checkedRun, log, results, withEmptyCache, type Data } from './env.js';

export const grids = ['ws-grid.yaml', 'os-grid.json', 'rs-grid.yaml', 'eie-grid.yaml'].map(
  (g) => `testbenches/sweeps/${g}`,
);

/**
 * Every committed grid (testbenches/sweeps/) as 4 shards, each on an empty
 * build cache (what 4 CI machines pay), then whole on the shards' builds; the
 * shards' configurations must be disjoint, their union the whole run's, and
 * every verdict the same.
 */
export async function sweepShards(): Promise<Data<SweepShardsResult>> {
  const jobs = 2,
    cases = 4;
  const rows: SweepShardsResult['rows'] = [];
  for (const grid of grids) {
    const g = readGrid(repoPath(grid));
    await withEmptyCache(
      async (cache) => {
        const o = { jobs, cases, seed: 1, artifacts: join(cache, 'artifacts'), log: () => {} };
        const shardRuns = [];
        for (let i = 1; i <= 4; i++) {
          const t0 = performance.now();
          const r = await runSweep(g, { ...o, shard: [i, 4] });
          shardRuns.push({ r, seconds: (performance.now() - t0) / 1000 });
          log(
            `${grid} shard ${i}/4: ${r.cases.length} configurations, ${r.cases.filter((c) => c.passed).length} passed`,
          );
        }
        const t0 = performance.now();
        const whole = await runSweep(g, { ...o, shard: [1, 1] });
        const wholeSeconds = (performance.now() - t0) / 1000;
        const verdicts = (cs: { name: string; passed: boolean }[]) => cs.map((c) => `${c.name} ${c.passed}`).sort();
        const union = shardRuns.flatMap((x) => x.r.cases);
        const unionEqualsWhole =
          new Set(union.map((c) => c.name)).size === union.length &&
          JSON.stringify(verdicts(union)) === JSON.stringify(verdicts(whole.cases));
        if (!unionEqualsWhole) throw new Error(`${grid}: the shards' configurations are not the whole run's`);
        rows.push({
          grid,
          design: g.design.name,
          configs: whole.cases.length,
          passed: whole.cases.filter((c) => c.passed).length,
          shardConfigs: shardRuns.map((x) => x.r.cases.length),
          shardSeconds: shardRuns.map((x) => x.seconds),
          wholeSeconds,
          unionEqualsWhole,
        });
      },
      { ACCELFORGE_BUILD_PROFILE: 'fast-build' },
    );
  }
  return { profile: 'fast-build', jobs, cases, rows };
}

/** `accelforge report` over every committed result (run it after the other sections). */
export async function report(): Promise<Data<ReportResult>> {
  const files = resultFiles([results.dir]).filter((f) => !f.endsWith('bench-report.json'));
  let best = Infinity,
    html = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    html = await renderReport(files.map(loadResult));
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const dir = mkdtempSync(join(tmpdir(), 'af-bench-report-'));
  try {
    const t0 = performance.now();
    await execa(process.execPath, [
      repoPath('scripts/accelforge.mjs'),
      'report',
      ...files,
      '--out',
      join(dir, 'report.html'),
    ]);
    const cliSeconds = (performance.now() - t0) / 1000;
    return {
      files: files.length,
      charts: html.match(/<figure class="chart"><svg/g)?.length ?? 0,
      bytes: Buffer.byteLength(html),
      seconds: best,
      cliSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

/** The suite (`vitest run`, what `npm test` runs after set-up, lint and type-check) on empty caches, timed. */
export async function suite(): Promise<Data<SuiteResult>> {
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
    const v = JSON.parse(readFileSync(json, 'utf8')) as VitestJson;
    if (r.exitCode !== 0) {
      const failed = v.testResults.flatMap((f) =>
        f.assertionResults
          .filter((a) => a.status === 'failed')
          .map((a) => `${f.name}: ${a.fullName}\n${a.failureMessages[0]?.slice(0, 2000)}`),
      );
      throw new Error(
        `the suite failed (${v.numFailedTests} tests):\n${failed.join('\n\n')}\n${String(r.stderr).slice(-2000)}`,
      );
    }
    const slowest = v.testResults
      .map((f) => ({
        file: f.name.replace(repoRoot, ''),
        seconds: (f.endTime - f.startTime) / 1000,
        tests: f.assertionResults.length,
      }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 10);
    return {
      run: '`vitest run` as `npm test` runs it, on an empty build cache and an empty ccache (a fresh CI machine)',
      wallSeconds,
      tests: { total: v.numTotalTests, passed: v.numPassedTests, failed: v.numFailedTests, skipped: v.numPendingTests },
      slowest,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * New configurations (a parameter value nothing else builds; ccache off,
 * empty build cache) verified with a sweep's few cases in each profile, and a
 * long run on each profile's build: the trade between them, for ws and eie.
 */
export async function buildProfiles(): Promise<Data<BuildProfilesResult>> {
  const cases = 4;
  const ws = designByName('ws'),
    eie = designByName('eie');
  const wsCfg = parseWsConfig({ ...wsPresets['ws-16x16']!, accWidth: 29 });
  const wsBig = randomGemmProblem(wsCfg, { m: 512, k: 512, n: 512 }, new Random(1), { d: true });
  const eieCfg = eieSized(parseEieConfig({ ...eiePresets['eie-4pe']!, accWidth: 29 }), alex8());
  const targets = [
    {
      design: ws,
      cfg: wsCfg as object,
      config: 'ws-16x16 with accWidth 29',
      longRun: 'GEMM 512 x 512 x 512',
      long: async () => (await checkedRun(ws, wsCfg, wsBig, 'build-profiles ws')).r,
    },
    {
      design: eie,
      cfg: eieCfg as object,
      config: `eie-4pe with accWidth 29, sized for Alex-8 (rowsPerPe ${eieCfg.rowsPerPe})`,
      longRun: 'Alex-8-shaped layer',
      long: async () => (await eieMeasured(eieCfg, alex8(), 'alex8')).r,
    },
  ];
  const rows: BuildProfilesResult['rows'] = [];
  for (const t of targets) {
    for (const profile of ['fast-build', 'fast-sim']) {
      forgetEieRuns();
      await withEmptyCache(
        async (cache) => {
          const t0 = performance.now();
          const b = await t.design.build(t.cfg);
          const lines: string[] = [];
          const t1 = performance.now();
          const { failed } = await verifyDesign(t.design, t.cfg, t.config, 1, cases, (l) => lines.push(l), {
            artifacts: join(cache, 'artifacts'),
          });
          const t2 = performance.now();
          if (failed) throw new Error(`build-profiles: verify failed in ${profile}:\n${lines.join('\n')}`);
          const long = await t.long();
          rows.push({
            design: t.design.name,
            config: t.config,
            profile,
            buildSeconds: b.seconds,
            verifySeconds: (t2 - t0) / 1000,
            casesSeconds: (t2 - t1) / 1000,
            longRun: t.longRun,
            longRunCycles: long.cycles,
            longRunSimSeconds: long.simSeconds,
          });
        },
        { ACCELFORGE_BUILD_PROFILE: profile, CCACHE_DISABLE: '1' },
      );
    }
  }
  return { cases, rows };
}
