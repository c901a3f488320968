// Output helpers for the CLI: atomic file writes (core/output.ts) and JSON.
export { writeFileAtomic, checkOutputFile } from '../core/output.js';

/** JSON with BigInt written as plain integers (cli.md: numbers are integers). */
export function toJson(v: unknown, indent?: number): string {
  const text = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `__big__${x}` : x), indent);
  return text.replace(/"__big__(-?\d+)"/g, '$1');
}
