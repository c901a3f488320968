// Safe output: accelforge replaces a directory only when it wrote it (its
// marker file lists what it put there), writes files and folders atomically,
// and turns every file-system failure into an InputError naming the path,
// before any long work starts where it can.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, parse, resolve, sep } from 'node:path';
import { homedir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { InputError } from '../../golden/common/errors.js';
import { errnoText, fsStep, kindOf, mkdirp, nonEmpty, real } from './fs.js';

/** The marker accelforge leaves in every directory it writes. */
export const markerName = '.accelforge-output.json';
const markerTool = 'accelforge';

interface Marker {
  tool: typeof markerTool;
  kind: string;
  files: string[];
}

/**
 * Paths that are never replaced, even with --force: the file-system root,
 * the home directory, the current directory or any folder above it, and a
 * repository root (a folder holding .git).
 */
export function protectedReason(target: string): string | undefined {
  const t = real(target);
  if (t === parse(t).root) return 'the file-system root';
  if (t === real(homedir())) return 'the home directory';
  const cwd = real(process.cwd());
  if (t === cwd) return 'the current directory';
  if (cwd.startsWith(t.endsWith(sep) ? t : t + sep)) return 'a folder that contains the current directory';
  if (existsSync(join(t, '.git'))) return 'a repository root (it holds .git)';
  return undefined;
}

function readMarker(dir: string): Marker | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, markerName), 'utf8')) as Marker;
    if (m && m.tool === markerTool && Array.isArray(m.files) && m.files.every((f) => typeof f === 'string')) return m;
  } catch {
    /* no marker, or not ours */
  }
  return undefined;
}

/** A short description of what a folder holds, for a refusal message. */
function describeContents(dir: string): string {
  const names = readdirSync(dir);
  const shown = names
    .slice(0, 5)
    .map((n) => `'${n}'`)
    .join(', ');
  return `${names.length} entr${names.length === 1 ? 'y' : 'ies'} (${shown}${names.length > 5 ? ', ...' : ''})`;
}

export interface DirTargetOptions {
  /** Replace a non-empty folder that accelforge did not write (never a protected one). */
  force?: boolean;
  /** The verb has a --force flag (the refusal suggests it only then). */
  canForce?: boolean;
  /** Recognizes a folder an older accelforge wrote before it left markers. */
  legacy?: (dir: string, names: string[]) => boolean;
}

/**
 * Checks that `path` may become (or be replaced by) an output folder and
 * returns its absolute path. Throws InputError otherwise: empty path, a
 * file there, a protected folder, or a non-empty folder accelforge did not
 * write (unless force); also when the parent cannot be created or written.
 */
export function checkOutputDir(flag: string, path: string, o: DirTargetOptions = {}): string {
  const target = nonEmpty(flag, path);
  if (basename(target).length > 255)
    throw new InputError(
      `${flag} '${path}': the name is too long for the file system (${basename(target).length} characters; at most 255)`,
    );
  const kind = fsStep(flag, path, 'inspect it', () => kindOf(target));
  if (kind === 'file' || kind === 'other') {
    throw new InputError(
      `${flag} '${path}' is ${kind === 'file' ? 'an existing file' : 'not a folder'}; accelforge writes a folder there and replaces only folders it wrote`,
    );
  }
  if (kind === 'dir') {
    const why = protectedReason(target);
    if (why)
      throw new InputError(
        `${flag} '${path}' is ${why}; accelforge never replaces it (give a new or accelforge-written folder)`,
      );
    const names = fsStep(flag, path, 'list it', () => readdirSync(target));
    if (names.length > 0) {
      const m = readMarker(target);
      const ours =
        (m && names.every((n) => n === markerName || m.files.includes(n))) || (!m && o.legacy?.(target, names));
      if (!ours && !o.force) {
        const found = m
          ? `files accelforge did not write (${names
              .filter((n) => n !== markerName && !m.files.includes(n))
              .slice(0, 5)
              .map((n) => `'${n}'`)
              .join(', ')})`
          : `${describeContents(target)} and no accelforge marker`;
        throw new InputError(
          `${flag} '${path}' is a folder holding ${found}; accelforge replaces only empty folders or folders it wrote (${o.canForce ? 'use --force to replace it anyway' : 'give a new or empty folder'})`,
        );
      }
    }
  }
  checkParentWritable(flag, path, target);
  return target;
}

/** The nearest existing ancestor must be a writable folder. */
function checkParentWritable(flag: string, path: string, target: string): void {
  let p = dirname(target);
  for (;;) {
    const k = fsStep(flag, path, 'inspect its parent', () => kindOf(p));
    if (k === 'dir') break;
    if (k !== 'missing') throw new InputError(`${flag} '${path}': '${p}' is a file, not a folder`);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  // A probe file proves the folder is writable (permissions, read-only mounts, /proc).
  const probe = join(p, `.accelforge-probe-${randomBytes(4).toString('hex')}`);
  fsStep(flag, path, `write into '${p}'`, () => closeSync(openSync(probe, 'wx')));
  try {
    unlinkSync(probe);
  } catch {
    /* gone already */
  }
}

/**
 * Writes `files` into the folder `dir` so that it is never seen half-written:
 * everything goes to a temporary sibling (with the marker), which then takes
 * dir's place by rename. `dir` must pass checkOutputDir.
 */
export function writeDirAtomic(
  dir: string,
  files: Map<string, string | Uint8Array>,
  o: DirTargetOptions & { flag?: string; kind?: string } = {},
): string {
  const flag = o.flag ?? '--out';
  const target = checkOutputDir(flag, dir, o);
  fsStep(flag, dir, 'create its parent folder', () => mkdirp(dirname(target)));
  const tmp = join(dirname(target), `.${basename(target).slice(0, 200)}.tmp-${randomBytes(4).toString('hex')}`);
  fsStep(flag, dir, 'create a temporary folder beside it', () => mkdirSync(tmp));
  try {
    for (const [name, text] of files) {
      const p = join(tmp, name);
      mkdirp(dirname(p));
      writeFileSync(p, text);
    }
    const marker: Marker = {
      tool: markerTool,
      kind: o.kind ?? 'output',
      files: [...new Set([...files.keys()].map((n) => n.split('/')[0]!))],
    };
    writeFileSync(join(tmp, markerName), JSON.stringify(marker, null, 2) + '\n');
    if (existsSync(target)) {
      const old = `${tmp}.old`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof InputError) throw e;
    throw new InputError(`${flag} '${dir}': cannot write it: ${errnoText(e)}`, { cause: e });
  }
  return target;
}

/**
 * Prepares a folder that accelforge fills file by file (failure artifacts,
 * dumps): an earlier accelforge-written folder is cleared, an empty one
 * kept, a missing one created; anything else is refused. The marker is
 * written at once; `add` records each file written later.
 */
export function claimDir(
  flag: string,
  path: string,
  kind: string,
  o: DirTargetOptions = {},
): { dir: string; add: (name: string) => void } {
  const target = checkOutputDir(flag, path, o);
  fsStep(flag, path, 'prepare it', () => {
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    mkdirp(target);
  });
  const marker: Marker = { tool: markerTool, kind, files: [] };
  const save = () => writeFileSync(join(target, markerName), JSON.stringify(marker, null, 2) + '\n');
  fsStep(flag, path, 'write into it', save);
  return {
    dir: target,
    add: (name: string) => {
      const top = name.split('/')[0]!;
      if (!marker.files.includes(top)) {
        marker.files.push(top);
        save();
      }
    },
  };
}

/**
 * Checks that `path` can take a file: not empty, not a folder, not one of
 * the command's inputs (flag, path), its parent a writable folder (or
 * creatable). Call before long work; the write itself is writeFileAtomic.
 */
export function checkOutputFile(flag: string, path: string, inputs: [string, string | undefined][] = []): string {
  const target = nonEmpty(flag, path);
  // An output that is also an input would replace it (issue 32: `run --input f --output f`).
  for (const [f, p] of inputs)
    if (p && existsSync(p) && real(resolve(p)) === real(target))
      throw new InputError(`${flag} '${path}' is also ${f}; accelforge never writes over an input (give another path)`);
  if (basename(target).length > 240)
    throw new InputError(
      `${flag} '${path}': the name is too long for the file system (${basename(target).length} characters; at most 240)`,
    );
  const kind = fsStep(flag, path, 'inspect it', () => kindOf(target));
  if (kind === 'dir') throw new InputError(`${flag} '${path}' is an existing folder; give a file path`);
  if (kind === 'other') throw new InputError(`${flag} '${path}' is not a regular file`);
  checkParentWritable(flag, path, target);
  return target;
}

/** Writes a file by rename, so a failed run never leaves half an output (nor its temporary file). */
export function writeFileAtomic(path: string, text: string | Uint8Array, flag = '--output'): void {
  const target = checkOutputFile(flag, path);
  fsStep(flag, path, 'create its parent folder', () => mkdirp(dirname(target)));
  const tmp = `${target}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`${flag} '${path}': cannot write it: ${errnoText(e)}`, { cause: e });
  }
}

/**
 * A folder that receives files (e.g. --waves): created if missing, kept if it
 * exists; a file there is refused. Returns a function that removes the
 * folder again if this call created it and it stayed empty.
 */
export function ensureDir(flag: string, path: string): { dir: string; undo: () => void } {
  const target = nonEmpty(flag, path);
  const kind = fsStep(flag, path, 'inspect it', () => kindOf(target));
  if (kind === 'file' || kind === 'other') throw new InputError(`${flag} '${path}' is an existing file; give a folder`);
  if (kind === 'missing') checkParentWritable(flag, path, target);
  const created = kind === 'missing';
  fsStep(flag, path, 'create it', () => mkdirp(target));
  return {
    dir: target,
    undo: () => {
      try {
        if (created && readdirSync(target).length === 0) rmSync(target, { recursive: true });
      } catch {
        /* best effort */
      }
    },
  };
}

/**
 * The root under which failure folders go (--artifacts): a folder or a path
 * that can become one; a file there is refused before any work starts.
 */
export function checkArtifactsRoot(path: string, flag = '--artifacts'): string {
  const target = nonEmpty(flag, path);
  const kind = fsStep(flag, path, 'inspect it', () => kindOf(target));
  if (kind === 'file' || kind === 'other')
    throw new InputError(
      `${flag} '${path}' is an existing file; give a folder (failure reports go into subfolders of it)`,
    );
  checkParentWritable(flag, path, kind === 'dir' ? join(target, 'x') : target);
  return target;
}
