// Imports run one way: core <- toolchain, nn <- designs/plugin <- designs/<x>
// <- the registry and generic verbs <- flows <- scripts. A design never
// imports another design, and a design's pure models (config, contract,
// golden, cycle, access and mapping models, host programs) never reach the
// simulator. This test fails on the first backwards import.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from './cli.js';

const roots = ['core', 'toolchain', 'nn', 'designs', 'flows', 'scripts'];

function sources(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (n.endsWith('.ts') && !n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Layer of a file (repo-relative path). */
export function layerOf(rel: string): number {
  if (rel.startsWith('core/')) return 0;
  if (rel.startsWith('toolchain/') || rel.startsWith('nn/')) return 1;
  if (rel === 'designs/plugin.ts') return 2;
  if (/^designs\/[^/]+\//.test(rel)) return 3;
  if (rel.startsWith('designs/')) return 4;
  if (rel.startsWith('flows/')) return 5;
  if (rel.startsWith('scripts/')) return 6;
  return 7;
}

/** A design's pure modules: no simulator below them. */
const pure = /^designs\/[^/]+\/(config|contract|interface|golden|cycles|access|energy|mapper|host|problem|format|generate|layout|quant|bindings)\.ts$/;

export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => relative(repoRoot, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
}

describe('import direction', () => {
  const files = roots.flatMap((r) => sources(join(repoRoot, r)));
  const rel = (f: string) => relative(repoRoot, f);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.map(rel)).toContain('designs/plugin.ts');
  });

  it('has no import from a higher layer, and no design imports another', () => {
    const bad: string[] = [];
    for (const f of files) {
      const from = rel(f);
      for (const to of importsOf(f)) {
        if (layerOf(to) > layerOf(from)) bad.push(`${from} (layer ${layerOf(from)}) imports ${to} (layer ${layerOf(to)})`);
        const a = /^designs\/([^/]+)\//.exec(from)?.[1], b = /^designs\/([^/]+)\//.exec(to)?.[1];
        if (a && b && a !== b) bad.push(`design ${a} imports design ${b}: ${from} -> ${to}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("keeps every design's models free of the simulator (transitively)", () => {
    const seen = new Map<string, string[]>();
    const deps = (f: string): string[] => {
      if (!seen.has(f)) {
        seen.set(f, []);
        seen.set(f, importsOf(join(repoRoot, f)).flatMap((t) => [t, ...deps(t)]));
      }
      return seen.get(f)!;
    };
    const bad: string[] = [];
    for (const f of files.map(rel).filter((f) => pure.test(f))) {
      for (const d of deps(f)) if (d.startsWith('toolchain/')) bad.push(`${f} reaches ${d}`);
    }
    expect(bad).toEqual([]);
  });

  it('flags a backwards import (the check itself works)', () => {
    expect(layerOf('core/errors.ts')).toBeLessThan(layerOf('designs/ws/sim.ts'));
    expect(layerOf('designs/index.ts')).toBeGreaterThan(layerOf('designs/ws/index.ts'));
    expect(pure.test('designs/rs/mapper.ts')).toBe(true);
    expect(pure.test('designs/rs/sim.ts')).toBe(false);
  });
});
