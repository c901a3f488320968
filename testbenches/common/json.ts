// Reading user JSON files: every failure is an InputError naming the flag
// and the file.
import { jsonDepth } from '../../golden/common/show.js';
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../golden/common/errors.js';

/** Deeper than any config or problem (a 4-D tensor inside an object is 5). */
export const maxDepth = 32;

/** Larger than any problem or config (tpu-v1's 1024^3 GEMM is about 20 MB). */
export const maxJsonBytes = 256 * 2 ** 20;

const readErrors: Record<string, string> = {
  ENOENT: 'no such file',
  ELOOP: 'a loop of symbolic links',
  EACCES: 'permission denied',
};

/**
 * Reads and parses a JSON file, turning every failure into an InputError.
 * Only regular files up to maxJsonBytes are read (a device such as
 * /dev/zero would be read until memory runs out); a UTF-8 byte order mark
 * is skipped.
 */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${what} '${path}' is a folder; give a JSON file`);
    if (!st.isFile())
      throw new InputError(`${what} '${path}' is not a regular file (a device, pipe or socket); give a JSON file`);
    if (st.size > maxJsonBytes)
      throw new InputError(
        `${what} file '${path}' has ${st.size} bytes; at most ${maxJsonBytes} (${maxJsonBytes / 2 ** 20} MiB)`,
      );
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${what} file '${path}' cannot be read (${(code && readErrors[code]) ?? code ?? (e as Error).message})`,
    );
  }
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
