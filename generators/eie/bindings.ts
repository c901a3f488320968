// The committed port bindings of eie's generated tops (scripts/gen-bindings.ts
// finds this file in every design folder and writes them; the host side
// imports them). Pure: generator and presets only.
import { generateEie } from './generate.js';
import { eiePresets } from '../../golden/eie/config.js';

export const bindings = [{ file: 'eie_engine.binding.ts', make: () => generateEie(eiePresets['eie-4pe']!) }];
