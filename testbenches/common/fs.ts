// File-system steps whose failures a user can act on: mkdir -p that cannot
// hang, errno codes in words, a step that names the flag and path, what a path
// is (missing, folder, file, other).
import { existsSync, lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../../golden/common/errors.js';

/**
 * mkdir -p that cannot hang: Node's recursive mkdirSync loops forever under
 * /proc (ENOENT retried), so the missing folders are made one at a time.
 */
export function mkdirp(path: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  for (let p = target; !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Why an errno happened, in words a user can act on. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'a parent folder does not exist and cannot be created';
    case 'ENOTDIR':
      return 'a parent in the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EISDIR':
      return 'it is a folder';
    case 'EEXIST':
      return 'something already exists there';
    case 'EINVAL':
      return 'the file system refuses this name';
    default:
      return code ?? String((e as Error)?.message ?? e);
  }
}

/** Runs a file-system step; any failure becomes an InputError naming the flag and path. */
export function fsStep<T>(flag: string, path: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${flag} '${path}': cannot ${what}: ${errnoText(e)}`, { cause: e });
  }
}

export function nonEmpty(flag: string, path: string): string {
  if (typeof path !== 'string' || path.trim() === '') throw new InputError(`${flag} is empty; give a path`);
  if (path.includes('\0')) throw new InputError(`${flag} '${path.replaceAll('\0', '\\0')}' contains a NUL byte`);
  return resolve(path);
}

export function kindOf(p: string): 'missing' | 'dir' | 'file' | 'other' {
  let st;
  try {
    st = lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') throw new InputError(`'${p}': a parent in the path is a file, not a folder`);
    if (code === 'ENAMETOOLONG') throw new InputError(`'${p}': the name is too long for the file system`);
    throw e;
  }
  if (st.isSymbolicLink()) {
    try {
      return statSync(p).isDirectory() ? 'dir' : 'other';
    } catch {
      return 'other';
    }
  }
  return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
}

export const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};
