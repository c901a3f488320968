// The tables of docs/benchmarks.md that come from committed JSON results are
// exactly what scripts/docs-tables.ts renders from them (no drift).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderDocs } from '../scripts/docs-tables.js';

describe('docs/benchmarks.md tables', () => {
  it('match docs/results/*.json (regenerate: npx tsx scripts/docs-tables.ts)', () => {
    const text = readFileSync(fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url)), 'utf8');
    expect(text).toContain('<!-- table:compare-alexnet-conv -->');
    expect(renderDocs(text)).toBe(text);
  });
});
