// docs/api.md lists exactly what scripts/api/index.ts exports: an unannounced
// change to the public API fails here (rewrite: npx tsx scripts/api-report.ts --write).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { apiReport, apiReportPath } from '../api-report.js';
import * as api from '../api/index.js';
import { repoPath } from '../../golden/common/repo.js';

describe('API report', () => {
  it('docs/api.md is the report of what scripts/api/index.ts exports (npx tsx scripts/api-report.ts --write)', () => {
    const report = apiReport();
    expect(report.split('\n').length).toBeGreaterThan(100);
    expect(readFileSync(apiReportPath, 'utf8')).toBe(report);
    // Every runtime export is in the report by name.
    for (const name of Object.keys(api)) expect(report).toContain(`### ${name}\n`);
  });

  it("the README's directed test is examples/directed-test's, word for word", () => {
    const example = readFileSync(repoPath('examples/directed-test/test/ws-gemm.test.ts'), 'utf8');
    expect(readFileSync(repoPath('README.md'), 'utf8')).toContain(example);
  });
});
