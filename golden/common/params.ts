import { z } from 'zod';
import { show } from './show.js';
import { InputError } from './errors.js';

/**
 * One hardware parameter: the single description from which the zod schema,
 * the error messages and the README table are made.
 */
export type ParamSpec =
  | { kind: 'int'; min: number; max: number; default: number; doc: string }
  | { kind: 'bool'; default: boolean; doc: string }
  | { kind: 'enum'; values: readonly string[]; default: string; doc: string };

export type ParamTable = Record<string, ParamSpec>;

type ValueOf<P extends ParamSpec> = P extends { kind: 'int' }
  ? number
  : P extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : boolean;
export type ConfigOf<T extends ParamTable> = { [K in keyof T]: ValueOf<T[K]> };

/** A cross-parameter rule with the message shown when it fails. */
export interface ConfigRule<C> {
  keys: (keyof C & string)[];
  /** The rule in words (the docs' parameter tables). */
  doc: string;
  check: (c: C) => boolean;
  message: (c: C) => string;
}

export function describeAllowed(p: ParamSpec): string {
  if (p.kind === 'int') return `an integer from ${p.min} to ${p.max}`;
  if (p.kind === 'enum') return `one of ${p.values.map((v) => `'${v}'`).join(', ')}`;
  return 'true or false';
}

function schemaOf(p: ParamSpec): z.ZodType {
  if (p.kind === 'int') return z.number().int().min(p.min).max(p.max).default(p.default);
  if (p.kind === 'enum') return z.enum(p.values as [string, ...string[]]).default(p.default);
  return z.boolean().default(p.default);
}

/**
 * Validates a raw JSON value against the table: unknown keys, wrong types and
 * out-of-range values all raise an InputError naming key, value and what is
 * allowed. Missing keys take their defaults.
 */
export function parseConfig<T extends ParamTable>(
  design: string,
  table: T,
  rules: ConfigRule<ConfigOf<T>>[],
  raw: unknown,
  source: string,
): ConfigOf<T> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, p] of Object.entries(table)) {
    shape[key] = schemaOf(p);
  }
  const schema = z.strictObject(shape);
  const res = schema.safeParse(raw);
  if (!res.success) {
    const problems = res.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map((k) => `unknown key '${k}'; allowed keys for ${design}: ${Object.keys(table).join(', ')}`)
          .join('\n  ');
      }
      const key = String(issue.path[0] ?? '');
      const spec = table[key];
      if (!spec) return `${issue.message}`;
      const value = (raw as Record<string, unknown>)[key];
      return `key '${key}' has value ${show(value)}; allowed: ${describeAllowed(spec)}`;
    });
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InputError(`${source}: a ${design} config must be a JSON object of parameters`);
    }
    throw new InputError(`${source}: invalid ${design} config:\n  ${problems.join('\n  ')}`);
  }
  const cfg = res.data as ConfigOf<T>;
  for (const rule of rules) {
    if (!rule.check(cfg)) throw new InputError(`${source}: invalid ${design} config: ${rule.message(cfg)}`);
  }
  return cfg;
}
