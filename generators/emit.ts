import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { GeneratedDesign } from './design.js';

export interface Manifest {
  design: string;
  top: string;
  configHash: string;
  config: object;
  parameters: Record<string, number | boolean>;
  ports: { name: string; direction: string; width: number; dims: number[]; doc: string }[];
  files: string[];
}

export function manifestOf(d: GeneratedDesign): Manifest {
  return {
    design: d.design,
    top: d.top,
    configHash: d.configHash,
    config: d.config,
    parameters: d.parameters,
    ports: d.ports.map(({ name, direction, width, dims, doc }) => ({ name, direction, width, dims, doc })),
    files: d.modules.map((m) => `${m.name}.sv`),
  };
}

/** The files of a generated design, by name. ts-morph loads only here (0.4 s). */
export async function designFiles(d: GeneratedDesign): Promise<Map<string, string>> {
  const { bindingSource } = await import('./binding.js');
  const files = new Map<string, string>();
  for (const m of d.modules) files.set(`${m.name}.sv`, m.text);
  files.set('files.f', d.modules.map((m) => `${m.name}.sv`).join('\n') + '\n');
  files.set('manifest.json', JSON.stringify(manifestOf(d), null, 2) + '\n');
  files.set('binding.ts', bindingSource(d));
  return files;
}

/**
 * Writes files into `dir` so that `dir` is never seen half-written: all files
 * go to a temporary sibling, which then replaces `dir` by rename.
 */
export function writeDirAtomic(dir: string, files: Map<string, string>): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp);
  try {
    for (const [name, text] of files) writeFileSync(join(tmp, name), text);
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
    throw e;
  }
}
