// Reading a damaged container (issue 33): model.afz cut, extended, with a
// byte changed (the checksum catches it), or with a byte changed and the
// checksum made right again (the field checks must catch it), 300 cases
// (1,000 in test:full): read whole or refused with an InputError naming the
// file and a field; never another error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { InputError } from '../../golden/common/errors.js';
import { defaultRecipe } from '../../golden/nn/compress.js';
import { crc32 } from '../../golden/nn/crc32.js';
import { compressGraph, compressedFiles, containerFile, readCompressed } from './compressed.js';
import { tinyFc } from '../../testbenches/support/nets.js';

const runs = process.env.ACCELFORGE_FULL ? 1000 : 300;

describe('compressed containers: damage', () => {
  it(`${runs} damaged containers are read whole or refused naming a field`, () => {
    // A quickly compressed small network (one pruning step, no retraining): the format, not the accuracy.
    const quick = { ...defaultRecipe(), steps: 1, epochsPerStep: 0, finalEpochs: 0, finetuneEpochs: 0, tableEpochs: 0 };
    const cm = compressGraph(tinyFc(), 'tiny', quick, undefined, { bitsTable: [] });
    const dir = mkdtempSync(join(tmpdir(), 'af-comp-prop-'));
    const file = join(dir, containerFile);
    const good = compressedFiles(cm).get(containerFile) as Uint8Array;
    writeFileSync(file, good);
    expect(readCompressed(dir).layers.map((l) => l.name)).toEqual(['fc1', 'fc2']);
    const damage = fc.record({
      how: fc.constantFrom('cut', 'extend', 'byte', 'byte, checksum fixed'),
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
    });
    const kinds = new Map<string, number>();
    try {
      fc.assert(
        fc.property(damage, (d) => {
          const b = Buffer.from(good);
          const i = d.at % b.length;
          let out: Buffer;
          if (d.how === 'cut') out = b.subarray(0, i);
          else if (d.how === 'extend') out = Buffer.concat([b, Buffer.alloc(1 + (d.at % 9), d.byte)]);
          else {
            const j = d.how === 'byte' ? i : 16 + (d.at % (b.length - 16));
            b.writeUInt8(d.byte, j);
            if (d.how !== 'byte') b.writeUInt32LE(crc32(b.subarray(16)), 12);
            out = b;
          }
          writeFileSync(file, out);
          try {
            expect(readCompressed(dir).layers).toHaveLength(2);
            kinds.set('read', (kinds.get('read') ?? 0) + 1);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            expect(e.message).toContain(file);
            const field = /model\.afz: (.+?) (is|are|has|holds|runs|does|sum|of|leaves)\b/.exec(e.message)?.[1];
            expect(field, e.message).toBeTruthy();
            kinds.set(field!, (kinds.get(field!) ?? 0) + 1);
          }
        }),
        { numRuns: runs, seed: 33 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The checksum and the field checks both did work.
    expect(kinds.get('checksum')).toBeGreaterThan(0);
    expect([...kinds.keys()].filter((k) => k.startsWith('layer') || k.startsWith('network')).length).toBeGreaterThan(0);
  }, 600_000);
});
