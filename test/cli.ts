// Runs the real CLI in a child process, as a user or outside check would.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../scripts/accelforge.mjs', import.meta.url));

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
