// Where accelforge's own files are (templates, docs, committed results),
// whatever the working folder: paths from the package root. Pure path
// arithmetic; nothing is read here.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the repository, or the installed package). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A path under the package root, e.g. repoPath('rtl', 'common', 'af_fifo.sv'). */
export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);
