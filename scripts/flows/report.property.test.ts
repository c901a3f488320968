// The report's reader under damage (issue 32): every committed result file
// with one field deleted or replaced by a wrong value (300 cases; 1,000 in
// test:full) is either drawn without "undefined" or "NaN" anywhere in the
// page's text, or refused with an InputError naming the file; never another
// error, never a stack.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { InputError } from '../../golden/common/errors.js';
import { repoPath } from '../../golden/common/repo.js';
import { loadResult, renderReport, resultFiles } from './report.js';
import { jsonPaths, badValue, mutatedJson } from '../../testbenches/support/mutate.js';

const runs = process.env.ACCELFORGE_FULL ? 1000 : 300;
const files = resultFiles([repoPath('docs/results')]);
const docs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown);
const paths = docs.map((d) => jsonPaths(d).filter((p) => p[0] !== 'schema'));

/** The page's visible text (tags, styles and SVG path data dropped). */
const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;/g, ' ');

describe('report: damaged result files', () => {
  it(`${runs} damaged files are drawn cleanly or refused by field`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-report-prop-'));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: files.length - 1 }), fc.nat(), badValue, async (fi, pi, bad) => {
        const ps = paths[fi]!;
        const path = ps[pi % ps.length]!;
        const f = join(dir, `r-${fi}.json`);
        writeFileSync(f, mutatedJson(docs[fi], path, bad));
        let html: string;
        try {
          html = await renderReport([loadResult(f)]);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          expect(e.message).toContain(f);
          expect(e.message).not.toMatch(/\n\s+at .*\(/);
          return;
        }
        expect(textOf(html)).not.toMatch(/\bundefined\b|\bNaN\b/);
      }),
      { numRuns: runs, seed: 32 },
    );
  }, 600_000);
});
