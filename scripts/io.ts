// Output helpers for the CLI: atomic file writes and printing.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes a file by rename, so a failed run never leaves half an output. */
export function writeFileAtomic(path: string, text: string): void {
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, text);
  renameSync(tmp, target);
}

/** JSON with BigInt written as plain integers (cli.md: numbers are integers). */
export function toJson(v: unknown, indent?: number): string {
  const text = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `__big__${x}` : x), indent);
  return text.replace(/"__big__(-?\d+)"/g, '$1');
}
