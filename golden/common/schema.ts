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

const an = (x: string) => (/^[aeiou]/.test(x) ? `an ${x}` : `a ${x}`);

/** "field 'rows[0].cycles' is missing; expected a number" from one zod issue. */
function describeIssue(i: z.core.$ZodIssue, v: unknown): string {
  const at = fieldPath(i.path);
  const where = at ? `field '${at}'` : 'the file';
  const is = `${where} is ${v === undefined ? 'missing' : show(v)}`;
  switch (i.code) {
    case 'invalid_type':
      return `${is}; expected ${typeof v === 'number' && i.expected === 'number' ? 'a finite number' : an(i.expected)}`;
    case 'too_small':
      return `${is}; expected ${i.origin === 'array' ? 'at least ' + String(i.minimum) + ' entries' : 'at least ' + String(i.minimum)}`;
    case 'too_big':
      return `${is}; expected ${i.origin === 'array' ? 'at most ' + String(i.maximum) + ' entries' : 'at most ' + String(i.maximum)}`;
    case 'invalid_value':
      return `${is}; allowed: ${i.values.map((x) => show(x)).join(', ')}`;
    default:
      return `${is}; ${i.message}`;
  }
}

/** Parses `value` with `schema`, or throws an InputError naming `what` and each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const problems = res.error.issues.slice(0, 5).map((i) => describeIssue(i, valueAt(value, i.path)));
  const more = res.error.issues.length > 5 ? `\n  (and ${res.error.issues.length - 5} more)` : '';
  throw new InputError(`${what}:\n  ${problems.join('\n  ')}${more}`);
}

/** A finite number (JSON cannot hold NaN, but a hand-made object can, and 1e999 parses as Infinity). */
export const finite = () => z.number().refine(Number.isFinite, 'expected a finite number');
/** A positive safe integer at most `max`. */
export const count = (max: number) => z.number().int().min(1).max(max);

/** The number kinds of persisted results: finite, at least 0, counts from 0 or 1, fractions 0..1. */
export const nums = (() => {
  const nonNeg = finite().refine((v) => v >= 0, 'expected a number of at least 0');
  return {
    num: finite(),
    nonNeg,
    int: z.number().int().min(0),
    pos: z.number().int().min(1),
    frac: nonNeg.refine((v) => v <= 1.0000001, 'expected a fraction 0..1'),
  };
})();
