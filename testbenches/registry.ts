// The registry of designs (designs/list.ts) and what the verbs share: name
// lookup, presets and `--config` resolution.
import { existsSync } from 'node:fs';
import { InputError } from '../golden/common/errors.js';
import { readJsonFile } from './common/json.js';
import type { AnyDesign } from './plugin.js';
import * as list from './designs.js';

export type { AnyDesign, Design } from './plugin.js';

/** Every registered design, in listing order. */
export const designs: readonly AnyDesign[] = Object.values(list as Record<string, AnyDesign>).sort(
  (a, b) => a.order - b.order,
);

export const designNames = (): string[] => designs.map((d) => d.name);

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The design called `name`; InputError naming the allowed ones. */
export function designByName(name: string): AnyDesign {
  const d = designs.find((x) => x.name === name);
  if (!d) throw new InputError(`unknown design '${String(name).slice(0, 64)}'; allowed: ${designNames().join(', ')}`);
  return d;
}

export function presetNames(d: AnyDesign): string[] {
  return Object.keys(d.presets);
}

/** Resolves `--config`: a preset name (own keys only) or a path to a JSON file. */
export function loadConfig(d: AnyDesign, arg: string): object {
  if (typeof arg !== 'string' || arg === '')
    throw new InputError(`--config is empty; give a ${d.name} preset (${presetNames(d).join(', ')}) or a JSON file`);
  if (own(d.presets, arg)) return d.parseConfig(d.presets[arg], `preset '${arg}'`);
  if (!arg.endsWith('.json') && !existsSync(arg)) {
    throw new InputError(
      `--config '${arg.slice(0, 200)}' is neither a ${d.name} preset (${presetNames(d).join(', ')}) nor an existing JSON file`,
    );
  }
  return d.parseConfig(readJsonFile(arg, '--config'), arg);
}
