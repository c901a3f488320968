// Regenerates the committed port bindings the host-side code imports (each
// design's `bindings`). Run by `npm run typecheck` before tsc, so a port
// renamed in a generator breaks the type-check of every harness that still
// uses the old name.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bindingSource } from '../core/binding.js';
import { designs } from '../designs/index.js';

export const bindings = designs.flatMap((d) =>
  d.bindings.map((b) => ({ path: `../designs/${d.name}/${b.file}`, make: () => bindingSource(b.make()) })),
);

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
