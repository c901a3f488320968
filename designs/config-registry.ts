import { readFileSync, existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { parseWsConfig, wsPresets, type WsConfig } from './ws/config.js';
import { parseEieConfig, eiePresets, type EieConfig } from './eie/config.js';
import { parseRsConfig, rsPresets, type RsConfig } from './rs/config.js';

export type Design = 'ws' | 'rs' | 'eie';
export const designs: readonly Design[] = ['ws', 'rs', 'eie'];

export interface ConfigByDesign {
  ws: WsConfig;
  rs: RsConfig;
  eie: EieConfig;
}

interface DesignConfigs<C> {
  presets: Record<string, C>;
  parse: (raw: unknown, source: string) => C;
}

const registry: { [D in Design]?: DesignConfigs<ConfigByDesign[D]> } = {
  ws: { presets: wsPresets, parse: parseWsConfig },
  eie: { presets: eiePresets, parse: parseEieConfig },
  rs: { presets: rsPresets, parse: parseRsConfig },
};

export function checkDesign(name: string): Design {
  if (!(designs as readonly string[]).includes(name)) {
    throw new InputError(`unknown design '${name}'; allowed: ${designs.join(', ')}`);
  }
  const d = name as Design;
  if (!registry[d]) throw new InputError(`design '${d}' is not implemented yet; available: ${implementedDesigns().join(', ')}`);
  return d;
}

export function implementedDesigns(): Design[] {
  return designs.filter((d) => registry[d]);
}

export function presetNames(design: Design): string[] {
  return Object.keys(registry[design]?.presets ?? {});
}

/** Resolves `--config`: a preset name or a path to a JSON file. */
export function loadConfig<D extends Design>(design: D, arg: string): ConfigByDesign[D] {
  const reg = registry[design] as DesignConfigs<ConfigByDesign[D]> | undefined;
  if (!reg) throw new InputError(`design '${design}' is not implemented yet`);
  const preset = reg.presets[arg];
  if (preset) return reg.parse(preset, `preset '${arg}'`);
  if (!arg.endsWith('.json') && !existsSync(arg)) {
    throw new InputError(
      `--config '${arg}' is neither a ${design} preset (${Object.keys(reg.presets).join(', ')}) nor an existing JSON file`,
    );
  }
  return reg.parse(readJsonFile(arg, '--config'), arg);
}

/** Reads and parses a JSON file, turning every failure into an InputError. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${what} file '${path}' cannot be read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} file '${path}' is not valid JSON: ${(e as Error).message}`);
  }
}
