// Safe output: every data-loss path the reliability drill found is refused,
// accelforge's own folders are replaced atomically.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { InputError } from '../../golden/common/errors.js';
import {
  checkArtifactsRoot,
  checkOutputFile,
  claimDir,
  ensureDir,
  markerName,
  writeDirAtomic,
  writeFileAtomic,
} from './output.js';
import { mkdirp } from './fs.js';

const files = new Map([
  ['a.sv', 'module a; endmodule\n'],
  ['files.f', 'a.sv\n'],
]);

function refused(f: () => unknown, ...parts: string[]) {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected an InputError').toBeInstanceOf(InputError);
  for (const p of parts) expect((err as Error).message).toContain(p);
}

describe('safe output folders', () => {
  let root: string, cwd: string, home: string | undefined;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'af-out-'));
    cwd = process.cwd();
    home = process.env.HOME;
  });
  afterEach(() => {
    process.chdir(cwd);
    if (home === undefined) delete process.env.HOME;
    else process.env.HOME = home;
  });

  it('writes a new folder with its marker, and replaces it when accelforge wrote it', () => {
    const out = join(root, 'rtl');
    writeDirAtomic(out, files);
    expect(readdirSync(out).sort()).toEqual([markerName, 'a.sv', 'files.f']);
    writeDirAtomic(out, new Map([['b.sv', 'x']]));
    expect(readdirSync(out).sort()).toEqual([markerName, 'b.sv']);
    // No temporary sibling left behind.
    expect(readdirSync(root)).toEqual(['rtl']);
  });

  it('refuses a folder holding files it did not write, and keeps them', () => {
    const out = join(root, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'thesis.tex'), 'years of work');
    // The refusal suggests --force only for a verb that has it.
    refused(
      () => writeDirAtomic(out, files, { canForce: true }),
      `'${out}'`,
      'thesis.tex',
      'no accelforge marker',
      'use --force',
    );
    refused(() => writeDirAtomic(out, files), `'${out}'`, 'thesis.tex', 'give a new or empty folder');
    expect(() => writeDirAtomic(out, files)).not.toThrow(/--force/);
    expect(readFileSync(join(out, 'thesis.tex'), 'utf8')).toBe('years of work');
    // A user's file added to an accelforge folder is not ours either.
    const gen = join(root, 'gen');
    writeDirAtomic(gen, files);
    writeFileSync(join(gen, 'notes.md'), 'mine');
    refused(() => writeDirAtomic(gen, files), 'notes.md', 'did not write');
    expect(existsSync(join(gen, 'notes.md'))).toBe(true);
    // --force replaces a plain non-empty folder.
    writeDirAtomic(out, files, { force: true });
    expect(existsSync(join(out, 'thesis.tex'))).toBe(false);
  });

  it('accepts an empty folder', () => {
    const out = join(root, 'empty');
    mkdirSync(out);
    writeDirAtomic(out, files);
    expect(existsSync(join(out, 'a.sv'))).toBe(true);
  });

  it('refuses empty paths, files, the current folder and its parents, home, repositories and / even with --force', () => {
    refused(() => writeDirAtomic('', files), '--out is empty');
    refused(() => writeDirAtomic('   ', files), '--out is empty');
    const f = join(root, 'file.txt');
    writeFileSync(f, 'data');
    refused(() => writeDirAtomic(f, files, { force: true }), 'an existing file');
    expect(readFileSync(f, 'utf8')).toBe('data');
    const work = join(root, 'work', 'sub');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'x'), '1');
    process.chdir(work);
    refused(() => writeDirAtomic('.', files, { force: true }), 'the current directory');
    refused(() => writeDirAtomic('..', files, { force: true }), 'contains the current directory');
    refused(
      () => writeDirAtomic(join('..', '..', relative(root, join(root, 'work'))), files, { force: true }),
      'contains the current directory',
    );
    process.chdir(cwd);
    const repo = join(root, 'clone');
    mkdirSync(join(repo, '.git'), { recursive: true });
    refused(() => writeDirAtomic(repo, files, { force: true }), 'repository root');
    const h = join(root, 'home');
    mkdirSync(h);
    writeFileSync(join(h, '.bashrc'), '');
    process.env.HOME = h;
    refused(() => writeDirAtomic(h, files, { force: true }), 'the home directory');
    refused(() => writeDirAtomic('/', files, { force: true }), 'file-system root');
    expect(existsSync(join(repo, '.git'))).toBe(true);
    expect(existsSync(join(work, 'x'))).toBe(true);
  });

  it('names the path when the parent is a file, unwritable or the name is too long', () => {
    const f = join(root, 'file.txt');
    writeFileSync(f, 'data');
    refused(() => writeDirAtomic(join(f, 'out'), files), 'is a file, not a folder');
    refused(() => writeDirAtomic('/proc/accelforge-out', files), "'/proc/accelforge-out'", 'cannot');
    refused(() => writeDirAtomic(join(root, 'x'.repeat(300)), files), 'too long');
    expect(readdirSync(root)).toEqual(['file.txt']);
  });
});

describe('safe output files', () => {
  it('checks a file path before work and writes it atomically', () => {
    const root = mkdtempSync(join(tmpdir(), 'af-outf-'));
    refused(() => checkOutputFile('--output', ''), '--output is empty');
    refused(() => checkOutputFile('--output', root), 'an existing folder');
    refused(() => checkOutputFile('--output', '/proc/x.json'), "'/proc/x.json'");
    refused(() => checkOutputFile('--output', join(root, 'y'.repeat(300))), 'too long');
    const p = join(root, 'sub', 'out.json');
    writeFileAtomic(p, '{}\n');
    writeFileAtomic(p, '{"a":1}\n');
    expect(readFileSync(p, 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(join(root, 'sub'))).toEqual(['out.json']);
  });

  it('ensureDir creates a folder, refuses a file, and undoes an empty folder it made', () => {
    const root = mkdtempSync(join(tmpdir(), 'af-outd-'));
    const f = join(root, 'f');
    writeFileSync(f, '');
    refused(() => ensureDir('--waves', f), '--waves', 'existing file');
    const w = ensureDir('--waves', join(root, 'waves'));
    expect(existsSync(w.dir)).toBe(true);
    w.undo();
    expect(existsSync(w.dir)).toBe(false);
    refused(() => checkArtifactsRoot(f), '--artifacts', 'existing file');
  });

  it('claimDir refuses a failure folder it did not write and records what it writes', () => {
    const root = mkdtempSync(join(tmpdir(), 'af-claim-'));
    const d = join(root, 'ws-abc-seed1');
    mkdirSync(d);
    writeFileSync(join(d, 'precious'), '1');
    refused(() => claimDir('--artifacts', d, 'failure'), 'precious');
    const ok = claimDir('--artifacts', join(root, 'new'), 'failure');
    ok.add('report.txt');
    writeFileSync(join(ok.dir, 'report.txt'), 'x');
    // Written by accelforge: claimed again (cleared) without complaint.
    const again = claimDir('--artifacts', join(root, 'new'), 'failure');
    expect(readdirSync(again.dir)).toEqual([markerName]);
  });
});

describe('mkdirp', () => {
  it('creates missing parents and fails (instead of looping as recursive mkdirSync does) under /proc', () => {
    const root = mkdtempSync(join(tmpdir(), 'af-mkdirp-'));
    mkdirp(join(root, 'a', 'b', 'c'));
    expect(existsSync(join(root, 'a', 'b', 'c'))).toBe(true);
    mkdirp(join(root, 'a', 'b', 'c')); // exists: no error
    expect(() => mkdirp('/proc/accelforge-mkdirp/x')).toThrow(/ENOENT/);
  });
});
