// Reading user JSON files: every failure is an InputError naming the flag
// and the file.
import { jsonDepth } from '../../golden/common/show.js';
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../golden/common/errors.js';

/** Deeper than any config or problem (a 4-D tensor inside an object is 5). */
export const maxDepth = 32;

/** Reads and parses a JSON file, turning every failure into an InputError. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${what} '${path}' is a folder; give a JSON file`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${what} file '${path}' cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message)})`,
    );
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} file '${path}' is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  const depth = jsonDepth(v, maxDepth);
  if (depth > maxDepth)
    throw new InputError(
      `${what} file '${path}' nests arrays or objects ${depth > maxDepth ? 'more than ' + maxDepth : depth} levels deep; accelforge inputs need at most ${maxDepth}`,
    );
  return v;
}
