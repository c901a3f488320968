// Persisted formats are parsed with zod before use: a value that does not
// fit is an InputError naming the file, the field's path, the value found
// and what the field allows (the first few problems).
import { z } from 'zod';
import { InputError } from './errors.js';
import { show } from './show.js';

/** `layers[0].rows` from zod's path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function valueAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Parses `value` with `schema`, or throws an InputError naming `what` and each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const problems = res.error.issues.slice(0, 5).map((i) => {
    const at = fieldPath(i.path);
    const found = i.path.length ? ` has ${show(valueAt(value, i.path))}` : '';
    return `${at ? `field '${at}'` : 'the file'}${found}: ${i.message}`;
  });
  const more = res.error.issues.length > 5 ? `\n  (and ${res.error.issues.length - 5} more)` : '';
  throw new InputError(`${what}:\n  ${problems.join('\n  ')}${more}`);
}

/** A finite number (JSON cannot hold NaN, but a hand-made object can). */
export const finite = () => z.number().refine(Number.isFinite, 'expected a finite number');
/** A positive safe integer at most `max`. */
export const count = (max: number) => z.number().int().min(1).max(max);
