// Reading user JSON files: every failure is an InputError naming the flag
// and the file.
import { jsonDepth } from '../../golden/common/show.js';
import { readBoundedFile } from './read-file.js';
import { InputError } from '../../golden/common/errors.js';

/** Deeper than any config or problem (a 4-D tensor inside an object is 5). */
export const maxDepth = 32;

/** Larger than any problem or config (tpu-v1's 1024^3 GEMM is about 20 MB). */
export const maxJsonBytes = 256 * 2 ** 20;

/**
 * Reads and parses a JSON file, turning every failure into an InputError.
 * Only regular files up to maxJsonBytes are read (a device such as
 * /dev/zero would be read until memory runs out); a UTF-8 byte order mark
 * is skipped.
 */
export function readJsonFile(path: string, what: string): unknown {
  let text = readBoundedFile(path, what, 'a JSON file', maxJsonBytes).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
