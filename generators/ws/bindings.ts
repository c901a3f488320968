// The committed port bindings of ws's generated tops (scripts/gen-bindings.ts
// finds this file in every design folder and writes them; the host side
// imports them). Pure: generator and presets only.
import { generateWs, generateWsArray } from './generate.js';
import { wsPresets } from '../../golden/ws/config.js';

export const bindings = [
  { file: 'ws_array.binding.ts', make: () => generateWsArray(wsPresets['ws-4x4']!) },
  { file: 'ws_engine.binding.ts', make: () => generateWs(wsPresets['ws-4x4']!) },
];
