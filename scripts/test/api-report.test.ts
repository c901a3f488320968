// docs/api.md lists exactly what scripts/api/index.ts exports: an unannounced
// change to the public API fails here (rewrite: npx tsx scripts/api-report.ts --write).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { apiReport, apiReportPath } from '../api-report.js';
import * as api from '../api/index.js';

describe('API report', () => {
  it('docs/api.md is the report of what scripts/api/index.ts exports (npx tsx scripts/api-report.ts --write)', () => {
    const report = apiReport();
    expect(report.split('\n').length).toBeGreaterThan(100);
    expect(readFileSync(apiReportPath, 'utf8')).toBe(report);
    // Every runtime export is in the report by name.
    for (const name of Object.keys(api)) expect(report).toContain(`### ${name}\n`);
  });
});
