// The marked tables of the docs are exactly what scripts/docs-tables.ts
// renders from their sources (the committed JSON results, the code's config
// tables and interface descriptions): no drift, and every table has a place.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { docFiles, renderDocs, tableNames } from '../docs-tables.js';
import { repoPath } from '../../golden/common/repo.js';
import { designs } from '../../testbenches/registry.js';

describe('docs tables', () => {
  const texts = Object.fromEntries(docFiles().map((f) => [f, readFileSync(repoPath(f), 'utf8')]));
  it.each(docFiles())('%s matches its sources (regenerate: npx tsx scripts/docs-tables.ts)', (f) => {
    expect(renderDocs(texts[f]!)).toBe(texts[f]);
  });
  it('has a marked place for every table', () => {
    const all = Object.values(texts).join('\n');
    expect(tableNames.filter((n) => !all.includes(`<!-- table:${n} -->`))).toEqual([]);
  });
  it('has a page for every registered design', () => {
    expect(designs.map((d) => d.name).filter((n) => !texts[`docs/designs/${n}.md`])).toEqual([]);
  });
});
