// How an error message shows a user's value: JSON-like, but never more than
// a short excerpt (a 200,000-element array must not become a megabyte of
// message), and numbers JSON cannot write (1e400 parses to Infinity) as
// themselves.
const limit = 80;

export function show(v: unknown): string {
  if (typeof v === 'number')
    return Number.isFinite(v)
      ? String(v)
      : v > 0
        ? 'Infinity (beyond a double)'
        : v < 0
          ? '-Infinity (beyond a double)'
          : 'NaN';
  if (v === undefined) return 'missing';
  if (typeof v === 'bigint') return v.toString();
  let text: string;
  try {
    text =
      JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x)) ?? typeof v;
  } catch {
    text = Array.isArray(v) ? `an array of ${v.length}` : typeof v;
  }
  if (text.length <= limit) return text;
  const what = Array.isArray(v)
    ? ` (an array of ${v.length})`
    : typeof v === 'object' && v
      ? ` (an object of ${Object.keys(v).length} keys)`
      : typeof v === 'string'
        ? ` (${v.length} characters)`
        : '';
  return `${text.slice(0, limit)}...${what}`;
}

/** The deepest nesting of arrays and objects in a parsed JSON value (iterative: no stack overflow). */
export function jsonDepth(v: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAt) return max;
    for (const c of Array.isArray(x) ? x : Object.values(x))
      if (c !== null && typeof c === 'object') stack.push([c, depth]);
  }
  return max;
}

/** JSON with BigInt written as plain integers (cli.md: numbers are integers). */
export function toJson(v: unknown, indent?: number): string {
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `__big__${x}` : x), indent);
  return text.replace(/"__big__(-?\d+)"/g, '$1');
}
