// A lock across processes (proper-lockfile: a `<target>.lock` folder, kept
// fresh while held, taken over when stale) that a signal does not leave
// behind: while held, SIGINT / SIGTERM remove it before the process ends.
import { rmSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { onSignalCleanup } from './cleanup.js';

export type LockOptions = Parameters<typeof lockfile.lock>[1];

/** Takes the lock on `target` (which need not exist); the returned function releases it. */
export async function lockRemovedOnSignal(target: string, opts: LockOptions): Promise<() => Promise<void>> {
  const release = await lockfile.lock(target, { realpath: false, ...opts });
  const unregister = onSignalCleanup(() => rmSync(`${target}.lock`, { recursive: true, force: true }));
  return async () => {
    unregister();
    await release();
  };
}
