// readJsonFile: what a user can point a JSON flag at (issue 32: bounded reads).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readJsonFile } from './json.js';
import { InputError } from '../../golden/common/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'af-json-'));

describe('readJsonFile', () => {
  it('reads a file, skipping a UTF-8 byte order mark', () => {
    writeFileSync(join(dir, 'bom.json'), '\uFEFF{"rows": 4}');
    expect(readJsonFile(join(dir, 'bom.json'), '--config')).toEqual({ rows: 4 });
  });

  it('refuses devices, folders, symbolic-link loops and missing files, naming the flag and the path', () => {
    const refuse = (p: string, msg: string) => {
      expect(() => readJsonFile(p, '--input')).toThrow(InputError);
      expect(() => readJsonFile(p, '--input')).toThrow(msg);
    };
    refuse('/dev/zero', "--input '/dev/zero' is not a regular file (a device, pipe or socket); give a JSON file");
    refuse(dir, `--input '${dir}' is a folder; give a JSON file`);
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    refuse(join(dir, 'loop-a'), `--input file '${join(dir, 'loop-a')}' cannot be read (a loop of symbolic links)`);
    refuse(join(dir, 'none.json'), 'cannot be read (no such file)');
  });
});
