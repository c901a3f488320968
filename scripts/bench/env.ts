// What every bench section shares: where results go, how a section's data
// is typed, environment and empty-cache scopes, and a checked run of a
// design through the registry (bit-exact against the golden model and equal
// to the cycle model, or the bench stops).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoPath } from '../../golden/common/repo.js';
import { mkdirp } from '../../testbenches/common/fs.js';
import type { AnyDesign, DesignRunOptions } from '../../testbenches/plugin.js';
import type { BenchMeta } from '../flows/bench-results.js';

/** A section's own fields; the main loop adds where and how it was measured. */
export type Data<T extends BenchMeta> = Omit<T, keyof BenchMeta>;

export const log = (s = '') => process.stdout.write(s + '\n');
export const fmt = (s: number) => `${s.toFixed(2)} s`;

/** Committed machine-readable results (docs/results/), or --out. */
export const results = { dir: repoPath('docs/results') };

export function writeResult(name: string, value: unknown): void {
  mkdirp(results.dir);
  const text = JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2);
  // Arrays of numbers (per-image ids, labels, predictions) on one line each: 2,000 lines of one number help nobody.
  writeFileSync(
    join(results.dir, name),
    text.replace(
      /\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g,
      (_m, body: string) => `[${body.replace(/,\s+/g, ', ')}]`,
    ) + '\n',
  );
}

/** Runs `fn` with these environment variables set (undefined: unset), then puts the old values back. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

/** Runs `fn` on a build cache of its own, empty at the start and removed afterwards (plus any other variables). */
export async function withEmptyCache<T>(
  fn: (cache: string) => Promise<T>,
  vars: Record<string, string | undefined> = {},
): Promise<T> {
  const cache = mkdtempSync(join(tmpdir(), 'af-bench-cache-'));
  try {
    return await withEnv({ ACCELFORGE_CACHE: cache, ...vars }, () => fn(cache));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** A run's result as every design's simulate returns it (the fields the benches read). */
export interface Run {
  cycles: number;
  simSeconds: number;
  counters?: Record<string, number>;
}

/**
 * Runs a problem on a design's RTL through the registry and stops the bench
 * unless the result equals the golden model and the cycles the exact model.
 * Returns the raw result and the JSON `run` writes for it.
 */
export async function checkedRun<R extends Run = Run>(
  d: AnyDesign,
  cfg: object,
  p: unknown,
  what: string,
  o: Omit<DesignRunOptions, 'design'> = {},
) {
  const design = d.generate(cfg);
  const r = (await d.simulate(cfg, p, { design, ...o })) as R;
  const bad = d.firstMismatch(cfg, p, r);
  if (bad) throw new Error(`${what}: RTL ${bad.element} = ${bad.actual}, golden ${bad.expected}`);
  const cyc = d.cycleCheck?.(cfg, p, r);
  if (cyc && cyc.measured !== cyc.model)
    throw new Error(`${what}: RTL ${cyc.measured} cycles, ${cyc.modelName} ${cyc.model}`);
  return { r, summary: d.summary(cfg, p, r, design), modelCycles: cyc?.model };
}
