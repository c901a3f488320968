// The committed port bindings of rs's generated tops (scripts/gen-bindings.ts
// finds this file in every design folder and writes them; the host side
// imports them). Pure: generator and presets only.
import { generateRs } from './generate.js';
import { rsPresets } from '../../golden/rs/config.js';

export const bindings = [{ file: 'rs_engine.binding.ts', make: () => generateRs(rsPresets['rs-4x4']!) }];
