// Reading a compressed folder under damage (issue 32): compressed.json with
// one field deleted or replaced by a wrong value, or a Huffman file cut,
// extended or with a byte changed (300 cases; 1,000 in test:full), is read
// whole or refused with an InputError naming the folder; never another error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { InputError } from '../../golden/common/errors.js';
import { defaultRecipe } from '../../golden/nn/compress.js';
import { compressGraph, compressedFiles, compressStats, readCompressed } from './compressed.js';
import { tinyFc } from '../../testbenches/support/nets.js';
import { badValue, jsonPaths, mutatedJson } from '../../testbenches/support/mutate.js';

const runs = process.env.ACCELFORGE_FULL ? 1000 : 300;

describe('compressed folders: damaged files', () => {
  it(`${runs} damaged folders are read whole or refused`, () => {
    // A quickly compressed small network (one pruning step, no retraining): the format, not the accuracy.
    const quick = { ...defaultRecipe(), steps: 1, epochsPerStep: 0, finalEpochs: 0, finetuneEpochs: 0, tableEpochs: 0 };
    const cm = compressGraph(tinyFc(), 'tiny', quick);
    const good = mkdtempSync(join(tmpdir(), 'af-comp-prop-'));
    for (const [name, body] of compressedFiles(cm, compressStats(cm))) writeFileSync(join(good, name), body);
    expect(readCompressed(good).layers.map((l) => l.name)).toEqual(['fc1', 'fc2']);
    const meta = JSON.parse(readFileSync(join(good, 'compressed.json'), 'utf8')) as unknown;
    const paths = jsonPaths(meta).filter((p) => p[0] !== 'schema');
    const huffs = ['fc1.huff', 'fc2.huff'];
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('json' as const), at: fc.nat(), bad: badValue }),
      fc.record({
        kind: fc.constant('huff' as const),
        file: fc.constantFrom(...huffs),
        how: fc.constantFrom('cut', 'extend', 'byte'),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
    );
    let n = 0;
    fc.assert(
      fc.property(damage, (d) => {
        const dir = join(tmpdir(), `af-comp-prop-${process.pid}-${n++}`);
        cpSync(good, dir, { recursive: true });
        try {
          if (d.kind === 'json')
            writeFileSync(join(dir, 'compressed.json'), mutatedJson(meta, paths[d.at % paths.length]!, d.bad));
          else {
            const b = Buffer.from(readFileSync(join(dir, d.file)));
            const i = d.at % b.length;
            const out =
              d.how === 'cut'
                ? b.subarray(0, i)
                : d.how === 'extend'
                  ? Buffer.concat([b, Buffer.alloc(1 + (d.at % 9), d.byte)])
                  : (b.writeUInt8(d.byte, i), b);
            writeFileSync(join(dir, d.file), out);
          }
          try {
            const back = readCompressed(dir);
            expect(back.layers).toHaveLength(2);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            expect(e.message).toContain(dir);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: runs, seed: 33 },
    );
  }, 600_000);
});
