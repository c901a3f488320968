// The report in a real browser: Debian's headless Chromium (installed by
// scripts/setup.sh) driven by playwright-core opens a report of the committed
// benchmark results plus a verify run with an injected fault, finds every
// chart drawn (SVG marks, axis titles, a sensible size), the failure's
// WaveDrom picture and reproduce command, no console errors, and saves a
// screenshot as a test artifact (artifacts/report/, uploaded by CI).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { cli, repoRoot } from '../../testbenches/support/cli.js';

const chromiumPath = '/usr/bin/chromium';

describe('accelforge report in headless Chromium', () => {
  it('draws every chart and the failure page without console errors', async () => {
    if (!existsSync(chromiumPath))
      throw new Error(`${chromiumPath} is missing: run bash scripts/setup.sh (installs Debian's chromium)`);
    const dir = mkdtempSync(join(tmpdir(), 'af-report-browser-'));
    // A failing verify: the JSON names the case, its artifacts and the reproduce command.
    const v = await cli([
      'verify',
      'ws',
      '--config',
      'ws-4x4',
      '--seed',
      '11',
      '--cases',
      '2',
      '--inject-fault',
      'pe[1][2]',
      '--artifacts',
      join(dir, 'art'),
      '--json',
      join(dir, 'verify.json'),
    ]);
    expect(v.code, v.stderr).toBe(1);
    const vj = JSON.parse(readFileSync(join(dir, 'verify.json'), 'utf8'));
    expect(vj).toMatchObject({
      schema: 'accelforge.verify/1',
      design: 'ws',
      config: 'ws-4x4',
      fault: 'pe[1][2]:bit0',
      seed: 11,
    });
    expect(vj.passed + vj.failed).toBe(2);
    expect(vj.failed).toBeGreaterThan(0);
    const bad = vj.cases.find((c: { passed: boolean }) => !c.passed);
    expect(bad.failure.reproduce).toBe(
      `npx accelforge verify ws --config ws-4x4 --seed ${bad.seed} --cases 1 --inject-fault 'pe[1][2]:bit0'`,
    );
    expect(existsSync(join(bad.failure.artifacts, 'waves.svg'))).toBe(true);

    const html = join(dir, 'report.html');
    const r = await cli(['report', join(repoRoot, 'docs/results'), join(dir, 'verify.json'), '--out', html]);
    expect(r.code, r.stderr).toBe(0);

    const browser = await chromium.launch({
      executablePath: chromiumPath,
      // Root in a container needs --no-sandbox, a small /dev/shm --disable-dev-shm-usage; the rest keeps Chromium off the (closed) network.
      args: [
        '--no-sandbox',
        '--disable-dev-shm-usage',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      page.on('pageerror', (e) => errors.push(e.message));
      const requests: string[] = [];
      page.on('request', (q) => void (q.url().startsWith('file:') || requests.push(q.url())));
      await page.goto(pathToFileURL(html).href);

      const charts = await page.$$eval('section figure.chart > svg.marks', (svgs) =>
        svgs.map((s) => {
          const box = s.getBoundingClientRect();
          return {
            marks: s.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark rect').length,
            axisTitles: [...s.querySelectorAll('g.role-axis-title text')].map((t) => t.textContent ?? ''),
            width: box.width,
            height: box.height,
          };
        }),
      );
      const files = readFileSync(join(dir, 'report.html'), 'utf8').match(/<section id=/g)!.length;
      expect(charts.length).toBeGreaterThanOrEqual(files - 2);
      for (const c of charts) {
        expect(c.marks).toBeGreaterThan(0);
        expect(c.axisTitles.filter((t) => t.trim()).length).toBeGreaterThanOrEqual(1);
        expect(c.width).toBeGreaterThan(250);
        expect(c.height).toBeGreaterThan(100);
        expect(c.width).toBeLessThanOrEqual(1180);
      }
      // The failure comes first, with the WaveDrom picture and the reproduce command.
      const first = await page.$eval('section', (s) => ({
        title: s.querySelector('h2')!.textContent,
        waves: s.querySelectorAll('.failure figure svg').length,
        pre: s.querySelector('.failure pre')?.textContent,
      }));
      expect(first.title).toMatch(/^verify ws ws-4x4: \d FAILED$/);
      expect(first.waves).toBeGreaterThan(0);
      expect(first.pre).toBe(bad.failure.reproduce);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);

      const shots = join(repoRoot, 'artifacts', 'report');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
      expect(readFileSync(join(shots, 'report.png')).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
  });
});
