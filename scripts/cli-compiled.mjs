// The CLI compiled to plain JavaScript for start-up: tsx's loader hooks cost
// about half a second a process (every one of ~250 modules resolved through
// them), so the entry runs a per-file esbuild transpile of the sources kept
// under .accelforge/cli/<fingerprint>/, rebuilt (in about a second) when any
// source's path, size or time changes. Type checking stays with `tsc`.
// Plain JavaScript: it runs before any TypeScript can load.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const sourceDirs = ['golden', 'generators', 'testbenches', 'scripts'];
const keep = 3; // mirrors kept (a running CLI may still import from an older one)
// What a mirror is built with (part of its fingerprint). No source maps: they cost start-up, and a
// stack trace is never shown to a user (ACCELFORGE_TSX=1 runs the sources for debugging).
const options = { format: 'esm', platform: 'node', target: 'node20', sourcemap: false, logLevel: 'silent' };

/** Every non-test TypeScript source under the source folders, with its stat. */
function sources(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'generated') walk(rel);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        const s = statSync(join(root, rel));
        out.push(`${rel}\t${s.size}\t${s.mtimeMs}`);
      }
    }
  };
  for (const d of sourceDirs) if (existsSync(join(root, d))) walk(d);
  return out.sort();
}

/**
 * The compiled CLI's index.js for the sources as they are now, built when
 * missing; null when it cannot be (no esbuild, a read-only install): the
 * caller then loads the TypeScript through tsx.
 */
export async function compiledCli(root) {
  try {
    const files = sources(root);
    const { build, version } = await import('esbuild');
    const hash = createHash('sha256')
      .update(`esbuild ${version} ${JSON.stringify(options)}\n${files.join('\n')}`)
      .digest('hex')
      .slice(0, 16);
    const base = join(root, '.accelforge', 'cli');
    const dir = join(base, hash);
    const index = join(dir, 'scripts', 'cli', 'index.js');
    if (existsSync(join(dir, 'complete'))) return index;
    mkdirSync(base, { recursive: true });
    const tmp = join(base, `.tmp-${process.pid}-${Date.now()}`);
    try {
      await build({
        entryPoints: files.map((f) => join(root, f.split('\t')[0])),
        outdir: tmp,
        outbase: root,
        ...options,
      });
      writeFileSync(join(tmp, 'complete'), `${files.length} sources\n`);
      renameSync(tmp, dir); // atomic: a parallel builder's rename either wins or finds it there
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(dir, 'complete'))) throw e;
    }
    prune(base, hash);
    return index;
  } catch {
    return null;
  }
}

/** Removes all but the newest mirrors (never the current one) and builds abandoned an hour ago. */
function prune(base, current) {
  const hourAgo = Date.now() - 3600_000;
  for (const d of readdirSync(base)) {
    if (d.startsWith('.tmp-') && statSync(join(base, d)).mtimeMs < hourAgo) {
      rmSync(join(base, d), { recursive: true, force: true });
    }
  }
  const dirs = readdirSync(base)
    .filter((d) => !d.startsWith('.') && d !== current)
    .map((d) => ({ d, t: statSync(join(base, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { d } of dirs.slice(keep - 1)) rmSync(join(base, d), { recursive: true, force: true });
}
