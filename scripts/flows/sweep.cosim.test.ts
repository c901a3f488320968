// `accelforge sweep` end to end: a small grid run whole and as two shards;
// the shards' JUnit test cases are disjoint and together the unsharded run's.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../../testbenches/support/cli.js';

const names = (xml: string) => [...xml.matchAll(/<testcase classname="[^"]*" name="([^"]*)"/g)].map((m) => m[1]!);

describe('sweep', () => {
  it('a 2-configuration ws grid: whole and as 2 shards, JUnit per configuration, shards disjoint and complete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-sweep-'));
    const grid = join(dir, 'grid.json');
    writeFileSync(
      grid,
      JSON.stringify({
        design: 'ws',
        params: { rows: [1, 2], cols: [1], dataWidth: [4], accWidth: [8], aDepth: 64, bDepth: 64, accDepth: 64 },
      }),
    );
    const whole = await cli([
      'sweep',
      grid,
      '--cases',
      '2',
      '--jobs',
      '2',
      '--junit',
      join(dir, 'all.xml'),
      '--json',
      join(dir, 'all.json'),
    ]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toContain('2 configurations passed, 0 failed');
    expect(whole.stdout).toContain('profile fast-build');
    const all = names(readFileSync(join(dir, 'all.xml'), 'utf8'));
    expect(all).toHaveLength(2);
    const parts: string[][] = [];
    for (const s of ['1/2', '2/2']) {
      const r = await cli(['sweep', grid, '--cases', '2', '--shard', s, '--junit', join(dir, `${s[0]}.xml`)]);
      expect(r.code, r.stderr).toBe(0);
      parts.push(names(readFileSync(join(dir, `${s[0]}.xml`), 'utf8')));
    }
    expect(parts[0]!.filter((n) => parts[1]!.includes(n))).toEqual([]);
    expect([...parts[0]!, ...parts[1]!].sort()).toEqual([...all].sort());
    const j = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8'));
    expect(j.cases.every((c: { passed: boolean }) => c.passed)).toBe(true);
  });
});
