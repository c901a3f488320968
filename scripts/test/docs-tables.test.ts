// The tables of docs/benchmarks.md are exactly what scripts/docs-tables.ts
// renders from the committed JSON results (no drift), and every table the
// results feed has its place on the page.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderDocs, tableNames } from '../docs-tables.js';
import { repoPath } from '../../golden/common/repo.js';

describe('docs/benchmarks.md tables', () => {
  const text = readFileSync(repoPath('docs/benchmarks.md'), 'utf8');
  it('match docs/results/*.json (regenerate: npx tsx scripts/docs-tables.ts)', () => {
    expect(renderDocs(text)).toBe(text);
  });
  it('has a marked place for every table', () => {
    expect(tableNames.filter((n) => !text.includes(`<!-- table:${n} -->`))).toEqual([]);
  });
});
