// Well-formed but semantically wrong JSON for the property tests of the
// readers (issue 32): one field somewhere in a document deleted or replaced
// by a value of a wrong kind, a non-finite, zero, negative or huge number.
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (keys and indices) to a value inside `v`, the root excluded. */
export function jsonPaths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  const children: [string | number, unknown][] = Array.isArray(v)
    ? v.map((x, i): [number, unknown] => [i, x])
    : v && typeof v === 'object'
      ? Object.entries(v)
      : [];
  for (const [k, x] of children) {
    out.push([...prefix, k]);
    jsonPaths(x, [...prefix, k], out);
  }
  return out;
}

/** A replacement: a marker for deletion, or a bad value (numbers as text, so 1e999 and NaN survive JSON). */
export const badValue = fc.constantFrom<string>(
  'DELETE',
  'null',
  '-1',
  '0',
  '1e999',
  '-1e999',
  '9007199254740993',
  '1e308',
  '0.5',
  '"x"',
  '""',
  '[]',
  '{}',
  'true',
  '[null]',
  '{"__proto__": 1}',
);

const marker = 'accelforge-mutated-7f3a9c';

/** `doc` as JSON text with the value at `path` deleted or replaced by `bad` (JSON text). */
export function mutatedJson(doc: unknown, path: (string | number)[], bad: string): string {
  const copy = structuredClone(doc) as Json;
  let cur = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (bad === 'DELETE') {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
    return JSON.stringify(copy);
  }
  cur[last] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), bad);
}

/** A mutation of `doc`: a path (by index into its paths) and a bad value. */
export const mutationOf = (doc: unknown) => {
  const paths = jsonPaths(doc);
  return fc.tuple(fc.nat({ max: paths.length - 1 }), badValue).map(([i, bad]) => ({ path: paths[i]!, bad }));
};
