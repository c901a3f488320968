// Regenerates the committed port bindings the testbenches import. Run by
// `npm run typecheck` before tsc, so a port renamed in a generator breaks the
// type-check of every harness that still uses the old name.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bindingSource } from '../generators/binding.js';
import { generateWs, generateWsArray } from '../generators/ws/generate.js';
import { wsPresets } from '../generators/config/ws.js';
import { generateEie } from '../generators/eie/generate.js';
import { eiePresets } from '../generators/config/eie.js';
import { generateRs } from '../generators/rs/generate.js';
import { rsPresets } from '../generators/config/rs.js';

export const bindings = [
  { path: '../testbenches/ws/ws_array.binding.ts', make: () => bindingSource(generateWsArray(wsPresets['ws-4x4']!)) },
  { path: '../testbenches/ws/ws_engine.binding.ts', make: () => bindingSource(generateWs(wsPresets['ws-4x4']!)) },
  { path: '../testbenches/eie/eie_engine.binding.ts', make: () => bindingSource(generateEie(eiePresets['eie-4pe']!)) },
  { path: '../testbenches/rs/rs_engine.binding.ts', make: () => bindingSource(generateRs(rsPresets['rs-4x4']!)) },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const b of bindings) {
    const path = fileURLToPath(new URL(b.path, import.meta.url));
    const text = b.make();
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      writeFileSync(path, text);
      console.log(`gen-bindings: wrote ${path}`);
    }
  }
}
