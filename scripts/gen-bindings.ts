// Regenerates the committed port bindings the host-side code imports (each
// design folder's bindings.ts). Run by `npm run typecheck` before tsc, so a
// port renamed in a generator breaks the type-check of every harness that
// still uses the old name. It reads only the pure bindings.ts of each
// folder, so a new design's first binding can be written before its
// simulator code (which imports it) compiles.
import { writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bindingSource } from '../generators/common/binding.js';
import type { GeneratedDesign } from '../generators/common/design.js';

const designsDir = fileURLToPath(new URL('../generators/', import.meta.url));
const folders = readdirSync(designsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(`${designsDir}${e.name}/bindings.ts`))
  .map((e) => e.name)
  .sort();

export const bindings = (
  await Promise.all(
    folders.map(async (name) => {
      const mod = (await import(`../generators/${name}/bindings.ts`)) as {
        bindings: { file: string; make: () => GeneratedDesign }[];
      };
      return mod.bindings.map((b) => ({
        path: `../generators/${name}/${b.file}`,
        make: () => bindingSource(b.make()),
      }));
    }),
  )
).flat();

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
