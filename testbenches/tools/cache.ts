// The build cache both simulators share: one folder per content key under
// ACCELFORGE_CACHE (default .accelforge/build). An entry is built in a fresh
// temporary folder and renamed into place once BUILD_OK (the binary's size
// and checksum) is written, so neither a half-finished build nor a compiler
// orphaned by kill -9 can damage it; an entry whose binary is missing or
// altered is rebuilt. Builders of one key serialize on a lock (one build for
// parallel workers; a lock left by a killed process expires); waiting is
// announced.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockRemovedOnSignal } from '../common/lock.js';
import { InputError } from '../../golden/common/errors.js';
import { repoPath } from '../../golden/common/repo.js';
import { removeOnSignal } from '../common/cleanup.js';
import { mkdirp } from '../common/fs.js';

/** Where builds are cached; ACCELFORGE_CACHE overrides. */
export function buildRoot(): string {
  return resolve(process.env.ACCELFORGE_CACHE ?? repoPath('.accelforge/build'));
}

/** The build cache's root, created if missing; a file there or a read-only folder is refused at once. */
const usableRoots = new Set<string>();

export function ensureCacheRoot(root = buildRoot()): string {
  // Checked once per process and root (every build asks).
  if (usableRoots.has(root) && existsSync(root)) return root;
  const flag = process.env.ACCELFORGE_CACHE
    ? `ACCELFORGE_CACHE '${process.env.ACCELFORGE_CACHE}'`
    : `the build cache '${root}'`;
  try {
    if (existsSync(root) && !statSync(root).isDirectory())
      throw new InputError(`${flag} is a file; point it at a folder (or unset it)`);
    mkdirp(root);
    const probe = join(root, `.probe-${process.pid}-${randomBytes(3).toString('hex')}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'read-only file system'
          : code === 'ENOTDIR'
            ? 'a parent is a file'
            : code === 'ENOENT'
              ? 'it cannot be created there'
              : code;
    throw new InputError(`${flag} cannot be used (${why}); set ACCELFORGE_CACHE to a writable folder`, { cause: e });
  }
  usableRoots.add(root);
  return root;
}

/** What a finished build is: its folder, the runnable file, and whether it came from the cache. */
export interface Build {
  dir: string;
  binary: string;
  key: string;
  /** True when no compile was needed. */
  cached: boolean;
  seconds: number;
  /** The simulator (absent: Verilator). */
  sim?: 'verilator' | 'icarus';
}

interface BuildOk {
  key: string;
  seconds: number;
  size: number;
  sha256: string;
}

const verified = new Map<string, string>();

/** An entry is usable when BUILD_OK is whole and the binary is the one it describes (size and checksum). */
function entryOk(dir: string, binaryName: string, executable: boolean): boolean {
  const binary = join(dir, binaryName);
  try {
    const text = readFileSync(join(dir, 'BUILD_OK'), 'utf8');
    if (verified.get(dir) === text) return existsSync(binary);
    const m = JSON.parse(text) as BuildOk;
    const st = statSync(binary);
    if ((executable && !(st.mode & 0o111)) || st.size !== m.size) return false;
    if (createHash('sha256').update(readFileSync(binary)).digest('hex') !== m.sha256) return false;
    verified.set(dir, text);
    return true;
  } catch {
    return false;
  }
}

async function takeLock(root: string, key: string, what: string): Promise<() => Promise<void>> {
  const target = join(root, `${key}.build`);
  const opts = { realpath: false, stale: 30_000, update: 5_000 };
  try {
    return await lockRemovedOnSignal(target, { ...opts, retries: 0 });
  } catch (e) {
    if ((e as { code?: string }).code !== 'ELOCKED')
      throw new InputError(
        `the build cache '${root}': cannot take the build lock (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        { cause: e },
      );
    process.stderr.write(
      `accelforge: waiting for another process building ${what} (${key}) in ${root}; a lock left by a killed process expires after 30 s\n`,
    );
    return lockRemovedOnSignal(target, {
      ...opts,
      retries: { retries: 2000, minTimeout: 200, maxTimeout: 1000, factor: 1.3 },
    });
  }
}

/**
 * The cache entry `key`: reused when whole, else built by `make(tmp)`, which
 * must leave `<tmp>/<binaryName>` (and may write anything else there);
 * `executable`: the binary must keep its execute bits.
 */
export async function cachedBuild(
  key: string,
  binaryName: string,
  what: string,
  make: (tmp: string) => Promise<void>,
  executable = true,
): Promise<Build> {
  const t0 = performance.now();
  const root = ensureCacheRoot();
  const dir = join(root, key);
  const done = (cached: boolean): Build => ({
    dir,
    binary: join(dir, binaryName),
    key,
    cached,
    seconds: (performance.now() - t0) / 1000,
  });
  if (entryOk(dir, binaryName, executable)) return done(true);
  const release = await takeLock(root, key, what);
  const tmp = join(root, `${key}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`);
  const unregister = removeOnSignal(tmp);
  try {
    if (entryOk(dir, binaryName, executable)) return done(true);
    mkdirp(tmp);
    await make(tmp);
    const bin = readFileSync(join(tmp, binaryName));
    const ok: BuildOk = {
      key,
      seconds: (performance.now() - t0) / 1000,
      size: bin.length,
      sha256: createHash('sha256').update(bin).digest('hex'),
    };
    writeFileSync(join(tmp, 'BUILD_OK'), JSON.stringify(ok));
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return done(false);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    unregister();
    await release();
  }
}
