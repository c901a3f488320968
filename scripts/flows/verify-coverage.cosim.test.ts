// verify --coverage --until-covered (issue 28): one coverage build of a small
// ws array (buffers small enough that native convolutions need passes). The
// cases are drawn, steered by seed, until every functional bin is hit; their
// line and toggle counts are merged by verilator_coverage and summed per
// module, the points never reached named by the generated file and line; the
// report draws both. Icarus cannot count and is refused.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { designByName } from '../../testbenches/registry.js';
import { expandGrid, runSweepWithCoverage } from './sweep.js';
import { verifyDesign } from '../../testbenches/verbs.js';
import { InputError } from '../../golden/common/errors.js';
import { loadResult, renderReport } from './report.js';

describe('verify --coverage --until-covered', () => {
  const d = designByName('ws');
  const cfg = d.parseConfig({ rows: 2, cols: 2, aDepth: 32, bDepth: 32, accDepth: 64 }, 'test');
  const files = new Set(d.generate(cfg).modules.map((m) => m.name));

  // The coverage build profile and its cases take about a minute: test:full.
  it.runIf(Boolean(process.env.ACCELFORGE_FULL))(
    'hits every bin, sums line and toggle coverage per module and names what was never reached (test:full only)',
    async () => {
      const artifacts = mkdtempSync(join(tmpdir(), 'af-cov-'));
      const lines: string[] = [];
      const r = await verifyDesign(d, cfg, 'ws small', 7, 60, (l) => lines.push(l), {
        artifacts,
        coverage: true,
        untilCovered: true,
      });
      expect(r.failed).toBe(0);
      // Functional: every bin, stopping at the case that hit the last empty one, well before the 60 allowed.
      const f = r.functional!;
      expect(f.total).toBe(d.bins!.list(cfg).length);
      expect(f.covered).toBe(f.total);
      const last = Math.max(...f.bins.map((b) => b.cases[0]!));
      expect(r.cases).toHaveLength(last);
      expect(r.cases.length).toBeLessThan(60);
      // Seeds rise (each case reproduces with its own seed) and every bin names cases that ran.
      for (let i = 1; i < r.cases.length; i++) expect(r.cases[i]!.seed).toBeGreaterThan(r.cases[i - 1]!.seed);
      for (const b of f.bins) for (const c of b.cases) expect(c).toBeLessThanOrEqual(r.cases.length);
      expect(lines).toContain(`  every bin hit; the last new bin came with case ${last}`);
      // Code coverage.
      const c = r.coverage!;
      expect(existsSync(join(c.dir, 'merged.dat'))).toBe(true);
      const names = c.modules.map((m) => m.module);
      for (const m of ['ws_engine', 'ws_pe', 'ws_convaddr', 'af_host_port']) expect(names).toContain(m);
      for (const m of c.modules) {
        expect(m.lines.covered).toBeLessThanOrEqual(m.lines.total);
        expect(m.toggles.covered).toBeLessThanOrEqual(m.toggles.total);
        // Every point names a file of the generated design.
        expect(files.has(m.file.replace(/\.sv$/, '')) || files.has(m.file), m.file).toBe(true);
      }
      // The 2 x 2 ws array ties the os chain and the os output data to constants: left out, counted per module.
      expect(c.excluded!.toggles).toBeGreaterThan(0);
      expect(c.modules.reduce((s, m) => s + m.excludedToggles, 0)).toBe(c.excluded!.toggles);
      expect(c.excluded!.reason).toMatch(/^constant in this configuration: Yosys/);
      const sum = (k: 'lines' | 'toggles') => c.modules.reduce((s, m) => s + m[k].total, 0);
      expect(c.lines.total).toBe(sum('lines'));
      expect(c.toggles.total).toBe(sum('toggles'));
      // A few cases cannot reach everything: some bits never toggle both ways (high address bits).
      expect(c.toggles.covered).toBeGreaterThan(0);
      expect(c.toggles.covered).toBeLessThan(c.toggles.total);
      expect(lines.some((l) => l.startsWith('coverage: lines '))).toBe(true);
      // The report draws it: the bins, a chart and a table row per module.
      const json = join(artifacts, 'verify.json');
      writeFileSync(json, JSON.stringify(r));
      const html = await renderReport([loadResult(json)]);
      expect(html).toContain('code coverage by module');
      expect(html).toContain('<th>not toggled both ways</th>');
      expect(html.match(/<tr><td><code>ws_pe<\/code><\/td>/g)).toHaveLength(1);
      expect(html).toContain(`Functional coverage: ${f.covered} of ${f.total} bins hit.`);
    },
    600_000,
  );

  it('refuses Icarus, which cannot count', async () => {
    const e = await verifyDesign(d, cfg, 'ws small', 5, 1, () => {}, {
      artifacts: tmpdir(),
      coverage: true,
      sim: 'icarus',
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toContain('--coverage counts with Verilator');
  });

  // Two coverage builds and their cases: test:full.
  it.runIf(Boolean(process.env.ACCELFORGE_FULL))(
    'sweep --coverage sums a grid and leaves out only the bits constant in every configuration (test:full only)',
    async () => {
      const artifacts = mkdtempSync(join(tmpdir(), 'af-sweep-cov-'));
      const g = expandGrid(
        { design: 'ws', params: { rows: [2, 3], cols: 2, aDepth: 64, bDepth: 64, accDepth: 64 } },
        'grid.json',
      );
      const lines: string[] = [];
      const r = await runSweepWithCoverage(g, {
        shard: [1, 1],
        jobs: 1,
        cases: 2,
        seed: 1,
        artifacts,
        log: (l) => lines.push(l),
      });
      expect(r.cases.every((c) => c.passed)).toBe(true);
      const c = r.coverage!;
      expect(c.excluded!.toggles).toBeGreaterThan(0);
      expect(c.excluded!.reason).toMatch(/^constant in every configuration of the sweep, each Yosys/);
      expect(lines.some((l) => l.startsWith('  toggles exclude '))).toBe(true);
    },
    600_000,
  );
});
