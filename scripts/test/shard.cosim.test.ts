// `npm test -- --shard=i/n` (vitest's sharding) splits the suite: the shards'
// test files are disjoint and together every test file of the suite.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { repoRoot } from '../../testbenches/support/cli.js';

// The files a (sharded) run takes: vitest runs them with a test-name filter
// that matches nothing, so each file is collected and no test runs.
async function files(shard?: string): Promise<string[]> {
  const args = [
    'vitest',
    'run',
    '--reporter=json',
    '-t',
    'no test is called this',
    '--passWithNoTests',
    ...(shard ? [`--shard=${shard}`] : []),
  ];
  const r = await execa('npx', args, { cwd: repoRoot, env: { ...process.env, CI: '' }, reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout) as { testResults: { name: string }[] };
  return j.testResults.map((t) => t.name);
}

describe('suite sharding', () => {
  // Five vitest runs that collect every file (about a minute): in test:full, to keep npm test under 10 minutes cold.
  it.skipIf(!process.env.ACCELFORGE_FULL)(
    '3 shards: disjoint, and together the whole suite (test:full only: five vitest runs, about a minute)',
    async () => {
      // Every test file (vitest list ignores --shard, so it gives the whole suite).
      const listed = await execa('npx', ['vitest', 'list', '--filesOnly'], { cwd: repoRoot, reject: false });
      const all = listed.stdout
        .split('\n')
        .map((l) => l.replace(/^\[\w+\] /, '').trim())
        .filter((l) => l.endsWith('.test.ts'))
        .map((l) => `${repoRoot}${l}`);
      expect(all.length).toBeGreaterThan(40);
      const shards: string[][] = [];
      for (const i of [1, 2, 3]) shards.push(await files(`${i}/3`));
      const seen = new Set<string>();
      for (const s of shards) {
        expect(s.length).toBeGreaterThan(0);
        for (const f of s) {
          expect(seen.has(f), `${f} in two shards`).toBe(false);
          seen.add(f);
        }
      }
      expect([...seen].sort()).toEqual([...all].sort());
    },
  );
});
