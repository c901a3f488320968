// fast-check arbitraries made from a design's own parameter table (the one
// description the schema, the messages and the README come from): valid
// configurations, with upper bounds capped so a co-simulation stays short,
// and invalid ones, each with the key it breaks.
import fc from 'fast-check';
import type { AnyDesign } from '../plugin.js';
import type { ParamSpec } from '../../golden/common/params.js';

type Value = number | boolean | string;

function valueArb(p: ParamSpec, cap?: number): fc.Arbitrary<Value> {
  if (p.kind === 'bool') return fc.boolean();
  if (p.kind === 'enum') return fc.constantFrom(...p.values);
  const max = Math.min(p.max, cap ?? p.max);
  // Small values are where the corner cases are; bias towards them.
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: p.min, max: Math.min(max, p.min + 16) }) },
    { weight: 1, arbitrary: fc.integer({ min: p.min, max }) },
  );
}

/** Valid configurations of `d` (every rule holds), within the caps. */
export function validConfigArb(
  d: AnyDesign,
  caps: Record<string, number> = d.simCaps ?? {},
): fc.Arbitrary<Record<string, Value>> {
  const shape: Record<string, fc.Arbitrary<Value>> = {};
  for (const [k, p] of Object.entries(d.params)) shape[k] = valueArb(p, caps[k]);
  return fc.record(shape).filter((c) => d.rules.every((r) => r.check(c as never)));
}

export interface BadConfig {
  raw: unknown;
  /** The key the error must name. */
  key: string;
}

/** Invalid configurations: one key out of range, of the wrong type, or unknown. */
export function invalidConfigArb(d: AnyDesign): fc.Arbitrary<BadConfig> {
  const keys = Object.keys(d.params);
  return fc
    .tuple(
      validConfigArb(d),
      fc.constantFrom(...keys),
      fc.nat(),
      fc.constantFrom('below', 'above', 'fraction', 'string', 'null', 'array', 'unknown'),
    )
    .map(([c, key, n, how]): BadConfig => {
      const p = d.params[key]!;
      const raw: Record<string, unknown> = { ...c };
      switch (how) {
        case 'below':
          raw[key] = p.kind === 'int' ? p.min - 1 - (n % 1000) : p.kind === 'enum' ? `${p.values[0]}-not` : 1;
          break;
        case 'above':
          raw[key] = p.kind === 'int' ? p.max + 1 + (n % 1000) : p.kind === 'enum' ? 7 : 0;
          break;
        case 'fraction':
          raw[key] = p.kind === 'int' ? p.min + 0.5 : 0.5;
          break;
        case 'string':
          // An enum key takes strings: its wrong type is a number.
          raw[key] = p.kind === 'enum' ? n % 10 : String(raw[key]);
          break;
        case 'null':
          raw[key] = null;
          break;
        case 'array':
          raw[key] = [raw[key]];
          break;
        case 'unknown': {
          const bad = `${key}X${n % 10}`;
          raw[bad] = 1;
          return { raw, key: bad };
        }
      }
      return { raw, key };
    });
}
