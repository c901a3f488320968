// Reading a user's file with a bound: only regular files up to a stated
// size (a device such as /dev/zero, a pipe or a socket would be read until
// memory runs out or block forever); every failure an InputError naming the
// flag or role and the file.
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../golden/common/errors.js';

const readErrors: Record<string, string> = {
  ENOENT: 'no such file',
  ELOOP: 'a loop of symbolic links',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
};

/** The reason a read failed, in words. */
export const readErrorText = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && readErrors[code]) ?? code ?? (e as Error).message;
};

/** The bytes of `path` (`what`: the role, e.g. "--input"; `kind`: what to give instead, e.g. "a JSON file"). */
export function readBoundedFile(path: string, what: string, kind: string, maxBytes: number): Buffer {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${what} '${path}' is a folder; give ${kind}`);
    if (!st.isFile())
      throw new InputError(`${what} '${path}' is not a regular file (a device, pipe or socket); give ${kind}`);
    if (st.size > maxBytes)
      throw new InputError(
        `${what} file '${path}' has ${st.size} bytes; at most ${maxBytes} (${(maxBytes / 2 ** 20).toFixed(0)} MiB)`,
      );
    return readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${what} file '${path}' cannot be read (${readErrorText(e)})`);
  }
}
