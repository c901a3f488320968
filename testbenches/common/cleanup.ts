// What a signal must not leave behind: temporary work folders (a big run's
// is over 100 MB) and running compilers or simulators (their process
// groups). On SIGINT / SIGTERM everything registered is killed and removed,
// then the process exits with 128 + the signal number.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const dirs = new Set<string>();
const groups = new Set<number>();
const hooks = new Set<() => void>();
let installed = false;

/** Kills a detached child's whole process group (compilers, simulators). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function onSignal(sig: NodeJS.Signals) {
  for (const pid of groups) killGroup(pid);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const h of hooks) {
    try {
      h();
    } catch {
      /* best effort: the process is ending */
    }
  }
  process.stderr.write(`accelforge: stopped by ${sig}; temporary files removed\n`);
  process.exit(sig === 'SIGINT' ? 130 : 143);
}

function install() {
  if (installed) return;
  installed = true;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Registers a folder to remove on a signal; returns the unregister function. */
export function removeOnSignal(dir: string): () => void {
  install();
  dirs.add(dir);
  return () => dirs.delete(dir);
}

/** Registers a process group (a detached child's pid) to kill on a signal. */
export function killOnSignal(pid: number | undefined): () => void {
  if (pid === undefined) return () => {};
  install();
  groups.add(pid);
  return () => groups.delete(pid);
}

/** Registers a synchronous clean-up to run on a signal (a lock to release); returns the unregister function. */
export function onSignalCleanup(hook: () => void): () => void {
  install();
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/** A temporary folder for `f`, removed afterwards and on a signal. */
export async function withWorkDir<T>(prefix: string, f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const unregister = removeOnSignal(dir);
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    unregister();
  }
}
