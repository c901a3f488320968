// The committed port bindings of os's generated tops (scripts/gen-bindings.ts
// finds this file in every design folder and writes them; the host side
// imports them). Pure: generator and presets only.
import { generateOs } from './generate.js';
import { osPresets } from '../../golden/os/config.js';

export const bindings = [{ file: 'os_engine.binding.ts', make: () => generateOs(osPresets['os-4x4']!) }];
