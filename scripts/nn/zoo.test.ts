// The model cache's location is checked before any training or lock (issue
// 32: ACCELFORGE_MODELS naming a file kept `train` silent for 20 minutes).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { builtinModelPath } from './zoo.js';
import { InputError } from '../../golden/common/errors.js';

const saved = process.env.ACCELFORGE_MODELS;
afterEach(() => {
  if (saved === undefined) delete process.env.ACCELFORGE_MODELS;
  else process.env.ACCELFORGE_MODELS = saved;
});

describe('the model cache', () => {
  it('refuses ACCELFORGE_MODELS naming a file, at once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'af-zoo-')), 'models');
    writeFileSync(file, 'not a folder');
    process.env.ACCELFORGE_MODELS = file;
    const e = await builtinModelPath('lenet-300-100').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe(`ACCELFORGE_MODELS '${file}' is a file; point it at a folder (or unset it)`);
  });
});
