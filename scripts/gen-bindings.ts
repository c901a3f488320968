// Regenerates the committed port bindings the testbenches import. Run by
// `npm run typecheck` before tsc, so a port renamed in a generator breaks the
// type-check of every harness that still uses the old name.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bindingSource } from '../core/binding.js';
import { generateWs, generateWsArray } from '../designs/ws/generate.js';
import { wsPresets } from '../designs/ws/config.js';
import { generateEie } from '../designs/eie/generate.js';
import { eiePresets } from '../designs/eie/config.js';
import { generateRs } from '../designs/rs/generate.js';
import { rsPresets } from '../designs/rs/config.js';

export const bindings = [
  { path: '../designs/ws/ws_array.binding.ts', make: () => bindingSource(generateWsArray(wsPresets['ws-4x4']!)) },
  { path: '../designs/ws/ws_engine.binding.ts', make: () => bindingSource(generateWs(wsPresets['ws-4x4']!)) },
  { path: '../designs/eie/eie_engine.binding.ts', make: () => bindingSource(generateEie(eiePresets['eie-4pe']!)) },
  { path: '../designs/rs/rs_engine.binding.ts', make: () => bindingSource(generateRs(rsPresets['rs-4x4']!)) },
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
