// Limits of a simulator build, and what a failed build ran into. A large
// array's build is the one step that can exhaust the machine: a flat 64 x 64
// build passed 22 GB here, tpu-v1's hierarchical one peaks at 3 GiB and
// 5 minutes. ACCELFORGE_BUILD_TIMEOUT (seconds, default 3600) bounds its time;
// ACCELFORGE_BUILD_MEMORY (GiB, default none) bounds the address space of
// Verilator and the compilers (prlimit --as), so a CI runner gets a clear
// error instead of the kernel's out-of-memory killer picking a victim.
import { execa } from 'execa';
import { InputError } from '../../../golden/common/errors.js';
import { killGroup, killOnSignal } from '../../common/cleanup.js';

const DEFAULT_TIMEOUT_S = 3600;

function positiveNumber(name: string, unit: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new InputError(`${name} '${raw}': allowed: a positive number (${unit})`);
  return v;
}

/** The wall-clock limit of one build, in milliseconds. */
export function buildTimeoutMs(): number {
  return positiveNumber('ACCELFORGE_BUILD_TIMEOUT', 'seconds', DEFAULT_TIMEOUT_S)! * 1000;
}

/** The address-space limit of a build's processes in bytes, if one is set. */
export function buildMemoryBytes(): number | undefined {
  const gib = positiveNumber('ACCELFORGE_BUILD_MEMORY', 'GiB', undefined);
  return gib === undefined ? undefined : Math.floor(gib * 2 ** 30);
}

/** The command that runs `cmd args` under the memory limit (prlimit, util-linux), if one is set. */
export function limitedCommand(cmd: string, args: string[]): [string, string[]] {
  const bytes = buildMemoryBytes();
  return bytes === undefined ? [cmd, args] : ['prlimit', [`--as=${bytes}`, '--', cmd, ...args]];
}

/** Compiler and allocator messages of a process that ran out of memory. */
const OUT_OF_MEMORY =
  /virtual memory exhausted|out of memory|Cannot allocate memory|std::bad_alloc|Killed signal terminated program|fatal error: Killed/i;

/**
 * The first line of a failed build's error: what it ran into, if it was a
 * limit, and what to do about it; undefined for an ordinary failure.
 */
export function buildLimitMessage(log: string, timedOut: boolean, signal: string | undefined): string | undefined {
  if (timedOut)
    return (
      `the build exceeded its time limit of ${buildTimeoutMs() / 1000} s (ACCELFORGE_BUILD_TIMEOUT) and was stopped; ` +
      'raise the limit, or use ACCELFORGE_BUILD_PROFILE=fast-build'
    );
  if (OUT_OF_MEMORY.test(log) || signal === 'SIGKILL') {
    const limit = buildMemoryBytes();
    return (
      'the build ran out of memory' +
      (limit === undefined ? '' : ` (ACCELFORGE_BUILD_MEMORY ${(limit / 2 ** 30).toFixed(2)} GiB)`) +
      '; peak build memory grows with the array (README, "Scale"): free memory, raise the limit, or build fewer jobs at once'
    );
  }
  return undefined;
}

/**
 * Runs a build command (argument array) in its own process group under the
 * limits: a signal or the time limit kills the compilers with it.
 */
export async function runLimitedBuild(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string> },
): Promise<{ ok: boolean; log: string; limit?: string }> {
  const [c, a] = limitedCommand(cmd, args);
  const child = execa(c, a, { reject: false, all: true, ...opts, detached: true });
  const unkill = killOnSignal(child.pid);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, buildTimeoutMs());
  const r = await child;
  clearTimeout(timer);
  unkill();
  const log = String(r.all ?? '');
  const ok = r.exitCode === 0 && !timedOut;
  return { ok, log, limit: ok ? undefined : buildLimitMessage(log, timedOut, r.signal) };
}
