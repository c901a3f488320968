// Runs a network job (nn-jobs.ts) in a worker thread and waits for it; see
// nn-jobs.ts for why. A job's exception comes back with its message and
// class name (an InputError stays one).
import { Worker } from 'node:worker_threads';
import { InputError } from '../../golden/common/errors.js';
import type { NnJob } from './nn-jobs.js';
import { repoPath } from '../../golden/common/repo.js';

export function runNnJob<T>(job: NnJob, log?: (line: string) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const w = new Worker(repoPath('scripts/nn/nn-worker.mjs'), { workerData: job });
    let result: { value: T } | undefined;
    let failed: Error | undefined;
    w.on('message', (m: { log?: string; result?: T; error?: { input: boolean; message: string; stack?: string } }) => {
      if (m.log !== undefined) log?.(m.log);
      else if (m.error) {
        failed = m.error.input ? new InputError(m.error.message) : new Error(m.error.message);
        if (!m.error.input && m.error.stack) failed.stack = m.error.stack;
      } else result = { value: m.result as T };
    });
    w.on('error', (e) => (failed ??= e));
    w.on('exit', (code) =>
      result
        ? resolve(result.value)
        : reject(failed ?? new Error(`the ${job.kind} worker stopped (exit ${code}) without a result`)),
    );
  });
}
