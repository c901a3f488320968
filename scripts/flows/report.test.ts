// The report from the committed results: every kind gets its section and
// charts (SVG drawn in Node), ids are scoped per picture, and bad result
// files are refused naming the file, the field and what is allowed.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResult, renderReport, resultFiles } from './report.js';
import { markdownToHtml, scopeSvgIds } from './report-html.js';
import { InputError } from '../../golden/common/errors.js';
import { repoPath } from '../../golden/common/repo.js';

const results = repoPath('docs/results');

describe('accelforge report', () => {
  it('renders every committed result with its charts', async () => {
    const files = resultFiles([results]);
    const loaded = files.map(loadResult);
    const html = await renderReport(loaded, { generatedAt: new Date('2026-12-02T00:00:00Z') });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // One section per file, each naming its file.
    expect(html.match(/<section id=/g)).toHaveLength(files.length);
    for (const f of files) expect(html).toContain(f.split('/').pop()!);
    // Charts are inline SVG with drawn marks; nothing is fetched at view time.
    const sections = html.split('<section id=').slice(1);
    const charted =
      /(bench-(ws-util|os-util|rs-alexnet|eie-fifo|eie-pes|eie-layers)|eie-fifo-lenet-300-100|model-.*|compress-.*|compare-.*)\.json</;
    const withCharts = sections.filter((x) => charted.test(x));
    expect(withCharts.length).toBeGreaterThanOrEqual(15);
    for (const x of withCharts) expect(x, x.slice(0, 200)).toMatch(/<figure class="chart"><svg/);
    expect(html).toMatch(/class="mark-rect role-mark/);
    expect(html).not.toMatch(/<script|<link |src="http/);
    // Axis titles from the specs.
    for (const t of [
      'normalized energy per MAC (MAC = 1)',
      'FIFO entries held',
      'cycles per image (RTL counters)',
      'codebook bits',
    ])
      expect(html).toContain(t);
    // ids are unique across the page.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts a failed verify first with its facts and reproduce command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-report-'));
    const v = join(dir, 'verify.json');
    writeFileSync(
      v,
      JSON.stringify({
        schema: 'accelforge.verify/1',
        design: 'ws',
        config: 'ws-4x4',
        configHash: 'abc123',
        seed: 5,
        passed: 1,
        failed: 1,
        cases: [
          { index: 1, seed: 5, describe: 'M=3 K=4 N=5', passed: true, cycles: 30, modelCycles: 30 },
          {
            index: 2,
            seed: 6,
            describe: 'M=7 K=2 N=9',
            passed: false,
            cycles: 40,
            failure: {
              kind: 'mismatch',
              message: 'c[1][2] expected 5, got 7',
              reproduce: 'npx accelforge verify ws --config ws-4x4 --seed 6 --cases 1',
              artifacts: join(dir, 'gone'),
              element: 'c[1][2]',
              expected: '5',
              actual: '7',
            },
          },
        ],
      }),
    );
    const html = await renderReport([loadResult(join(results, 'compress-lenet-5.json')), loadResult(v)]);
    expect(html.indexOf('verify ws ws-4x4: 1 FAILED')).toBeLessThan(html.indexOf('Deep Compression of lenet-5'));
    expect(html).toContain('npx accelforge verify ws --config ws-4x4 --seed 6 --cases 1');
    expect(html).toContain('<th>element</th><td>c[1][2]</td>');
    expect(html).toContain('could not be read');
    // A failure folder whose picture is a folder (EISDIR in the campaign) and whose facts are damaged.
    const art = join(dir, 'gone');
    mkdirSync(join(art, 'waves.svg'), { recursive: true });
    writeFileSync(join(art, 'report.json'), JSON.stringify({ cycle: -3, findings: 'x' }));
    const again = await renderReport([loadResult(v)]);
    expect(again).toContain('could not be read');
    expect(again).toContain('field &#39;cycle&#39; is -3');
    expect(again).not.toContain('WaveDrom view');
  });

  it('shows a failed sweep configuration with its failed cases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-report-'));
    const f = join(dir, 'sweep.json');
    writeFileSync(
      f,
      JSON.stringify({
        schema: 'accelforge.sweep/1',
        design: 'os',
        shard: [2, 4],
        total: 20,
        skipped: 0,
        cases: [
          {
            index: 1,
            name: 'rows=1 cols=4',
            config: { rows: 1, cols: 4 },
            passed: true,
            seconds: 12.5,
            log: ['PASS case 1/1'],
          },
          {
            index: 5,
            name: 'rows=3 cols=2',
            config: { rows: 3, cols: 2 },
            passed: false,
            seconds: 14,
            log: ['FAIL case 1/1 ...'],
            failures: [
              {
                index: 1,
                seed: 9,
                describe: 'M=2 K=3 N=4',
                passed: false,
                cycles: 50,
                failure: {
                  kind: 'cycles',
                  message: 'cycles expected 48 (model), RTL counted 50',
                  reproduce: 'npx accelforge verify os --config X --seed 9 --cases 1',
                },
              },
            ],
          },
        ],
      }),
    );
    const html = await renderReport([loadResult(f)]);
    expect(html).toContain('sweep os, shard 2/4: 1 of 2 FAILED');
    expect(html).toContain('FAIL: cycles expected 48 (model), RTL counted 50');
    expect(html).toContain('npx accelforge verify os --config X --seed 9 --cases 1');
  });

  it('refuses files it cannot draw, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-report-'));
    const write = (name: string, v: unknown) => (writeFileSync(join(dir, name), JSON.stringify(v)), join(dir, name));
    expect(() => loadResult(write('a.json', [1]))).toThrow(InputError);
    expect(() => loadResult(write('b.json', { rows: [] }))).toThrow(
      /b\.json': field 'schema' is missing; allowed: .*accelforge\.bench\.ws-util\/1/,
    );
    expect(() => loadResult(write('c.json', { schema: 'accelforge.nope/9' }))).toThrow(
      /schema 'accelforge\.nope\/9' is not one the report knows/,
    );
    const meta = {
      section: 'ws-util',
      command: 'npm run bench -- ws-util',
      measuredAt: '2026-12-06T00:00:00Z',
      machine: { cpus: 2, cpuModel: 'x', node: 'v20', verilator: 'Verilator 5.006', loadAverage1m: 0 },
    };
    expect(() =>
      loadResult(write('d.json', { schema: 'accelforge.bench.ws-util/1', ...meta, config: 'ws-16x16', rows: 3 })),
    ).toThrow(/d\.json' \(schema accelforge\.bench\.ws-util\/1\):\n {2}field 'rows' is 3; expected an array/);
    // A bench file without its provenance is refused by field too.
    expect(() => loadResult(write('m.json', { schema: 'accelforge.bench.ws-util/1', config: 'x', rows: [] }))).toThrow(
      /field 'machine' is missing; expected an object/,
    );
    expect(() => resultFiles([join(dir, 'missing.json')])).toThrow(/no such file or folder/);
  });

  it('refuses a file whose deeper fields are not the ones drawn, naming the field (never undefined or NaN drawn)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-report-'));
    const pes = JSON.parse(readFileSync(join(results, 'bench-eie-pes.json'), 'utf8'));
    const bad = (name: string, edit: (d: typeof pes) => void) => {
      const d = structuredClone(pes);
      edit(d);
      // 1e999 (read back as Infinity) cannot come out of JSON.stringify: written as text.
      writeFileSync(join(dir, name), JSON.stringify(d).replace('123456.789', '1e999'));
      return () => loadResult(join(dir, name));
    };
    expect(bad('e.json', (d) => (d.rows = [{ pes: 1 }]))).toThrow(
      /e\.json' \(schema accelforge\.bench\.eie-pes\/1\):\n {2}field 'rows\[0\]\.cycles' is missing; expected a number/,
    );
    expect(bad('f.json', (d) => (d.rows[2].loadEfficiency = 123456.789))).toThrow(
      /field 'rows\[2\]\.loadEfficiency' is Infinity .*; expected a finite number/,
    );
    expect(bad('g.json', (d) => (d.rows[0].pes = -1))).toThrow(/field 'rows\[0\]\.pes' is -1; expected at least 1/);
    // A ws-util row of -1 x undefined x undefined (the campaign's case).
    const util = JSON.parse(readFileSync(join(results, 'bench-ws-util.json'), 'utf8'));
    util.rows[0] = { ...util.rows[0], m: -1, k: undefined, n: undefined };
    writeFileSync(join(dir, 'u.json'), JSON.stringify(util));
    expect(() => loadResult(join(dir, 'u.json'))).toThrow(
      /field 'rows\[0\]\.m' is -1; expected at least 1\n {2}field 'rows\[0\]\.k' is missing/,
    );
  });

  it('scopes ids and their references per picture', () => {
    const svg =
      '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use xlink:href="#clip1"/></g></svg>';
    expect(scopeSvgIds(svg, 'p-')).toBe(
      '<svg><defs><clipPath id="p-clip1"><rect/></clipPath></defs><g clip-path="url(#p-clip1)"><use xlink:href="#p-clip1"/></g></svg>',
    );
  });

  it('turns the bench tables into HTML tables', () => {
    expect(markdownToHtml('| a | b |\n|---|---|\n| 1 | **2** |\n\nsome `x` & y')).toBe(
      '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td><strong>2</strong></td></tr></tbody></table>\n<p>some <code>x</code> &amp; y</p>',
    );
  });

  it('refuses a named pipe at once instead of blocking on it (issue 32)', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'af-report-')), 'r.json');
    await execa('mkfifo', [fifo]);
    expect(() => loadResult(fifo)).toThrow(`results '${fifo}' is not a regular file (a device, pipe or socket)`);
  });
});
