// Where accelforge's own files are (templates, docs, committed results),
// whatever the working folder: paths from the package root. Pure path
// arithmetic; nothing is read here.
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The package root (the repository, or the installed package): two folders
 * up from this module, or three when it runs compiled from dist/ (the
 * package's import entry), whose templates stay at the root, or four from
 * the CLI's compiled copy under .accelforge/cli/.
 */
const mirror = /^(.*\/)\.accelforge\/cli\/[^/]+\/$/.exec(here); // the CLI compiled for start-up (scripts/cli-compiled.mjs)
export const repoRoot = mirror ? mirror[1]! : basename(here) === 'dist' ? dirname(here) + '/' : here;

/** A path under the package root, e.g. repoPath('rtl', 'common', 'af_fifo.sv'). */
export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);
