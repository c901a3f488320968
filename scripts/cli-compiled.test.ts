// The CLI's compiled copy (scripts/cli-compiled.mjs): built once per state of
// the sources, rebuilt when one changes, old copies pruned, and never in the
// way: where it cannot be written the entry falls back to tsx.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { compiledCli } from './cli-compiled.mjs';
import { repoRoot } from '../golden/common/repo.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'af-clic-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const mirrors = (root: string) => readdirSync(join(root, '.accelforge', 'cli')).filter((d) => !d.startsWith('.'));

describe('compiled CLI', () => {
  it('compiles the sources (not the tests) once, rebuilds on a change, keeps the newest three', async () => {
    const root = tree({
      'golden/a.ts': 'export const x: number = 6;\n',
      'golden/a.test.ts': 'throw new Error("a test is not compiled");\n',
      // (the import line built from parts: the layers test reads this file's imports)
      'scripts/cli/index.ts': `import { x } ${'from'} '../../golden/a.js';\nexport const main = async (): Promise<number> => x + 1;\n`,
    });
    const first = await compiledCli(root);
    expect(first).toBe(join(root, '.accelforge', 'cli', mirrors(root)[0]!, 'scripts', 'cli', 'index.js'));
    const { main } = (await import(pathToFileURL(first!).href)) as { main: () => Promise<number> };
    expect(await main()).toBe(7);
    expect(existsSync(join(dirname(first!), '..', '..', 'golden', 'a.test.js'))).toBe(false);
    const built = statSync(first!).mtimeMs;
    expect(await compiledCli(root)).toBe(first);
    expect(statSync(first!).mtimeMs).toBe(built);
    const seen = [first];
    for (let v = 7; v < 11; v++) {
      writeFileSync(join(root, 'golden/a.ts'), `export const x: number = ${v * 10};\n`);
      const next = await compiledCli(root);
      expect(seen).not.toContain(next);
      seen.push(next);
      const m = (await import(pathToFileURL(next!).href)) as { main: () => Promise<number> };
      expect(await m.main()).toBe(v * 10 + 1);
    }
    expect(mirrors(root)).toHaveLength(3);
    expect(existsSync(seen.at(-1)!)).toBe(true);
    expect(existsSync(first!)).toBe(false);
  });

  it('answers null where the copy cannot be written (the entry then runs the sources through tsx)', async () => {
    const root = tree({ 'scripts/cli/index.ts': 'export const main = async () => 0;\n', '.accelforge': 'a file' });
    expect(await compiledCli(root)).toBeNull();
  });

  it("the repository's copy finds the repository root (templates and docs are read from there)", async () => {
    const index = await compiledCli(repoRoot);
    expect(index).toMatch(/\.accelforge\/cli\/[0-9a-f]{16}\/scripts\/cli\/index\.js$/);
    const repo = join(dirname(index!), '..', '..', 'golden', 'common', 'repo.js');
    const m = (await import(pathToFileURL(repo).href)) as { repoRoot: string };
    expect(m.repoRoot).toBe(repoRoot);
  });
});
