// Runs the real CLI in a child process, as a user or outside check would.
import { execa } from 'execa';
import { repoPath, repoRoot } from '../../golden/common/repo.js';

export { repoRoot };
const entry = repoPath('scripts/accelforge.mjs');

export async function cli(args: string[], env: Record<string, string> = {}, cwd = repoRoot) {
  const r = await execa(process.execPath, [entry, ...args], {
    reject: false,
    cwd,
    env,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Seed for random tests: ACCELFORGE_SEED reproduces a run, else a fresh one. */
export function testSeed(): number {
  const s = process.env.ACCELFORGE_SEED;
  return s ? Number(s) : Math.floor(Math.random() * 2 ** 31);
}

/**
 * Seed of the property-based checks: ACCELFORGE_SEED when given; a fixed one
 * in npm test (a fixed budget, so CI is reproducible); a fresh one in
 * test:full, which explores.
 */
export function propertySeed(): number {
  if (process.env.ACCELFORGE_SEED) return Number(process.env.ACCELFORGE_SEED);
  return process.env.ACCELFORGE_FULL ? Math.floor(Math.random() * 2 ** 31) : 20261201;
}
