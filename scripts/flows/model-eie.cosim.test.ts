// compress + model on EIE through the CLI: a small compressed network on
// eie-4pe bit-exact from its container (every output; intermediate layers by
// chain prefixes), the container's size as reported, and the refusals.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../../testbenches/support/cli.js';
import { quickOnnx, tinyFc } from '../../testbenches/support/nets.js';
import { encodeOnnx } from '../../golden/nn/onnx.js';
import { crc32 } from '../../golden/nn/crc32.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'af-eie-'));

function expectUsageError(r: { code: number; stderr: string }, ...parts: string[]) {
  expect(r.code, r.stderr).toBe(2);
  for (const p of parts) expect(r.stderr).toContain(p);
  expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
}

describe('compress and model on eie', () => {
  it('compresses a small network, then runs it on eie-4pe from the compressed folder, bit-exact', async () => {
    const dir = tmp();
    const models = join(dir, 'models');
    writeFileSync(join(dir, 'tiny.onnx'), encodeOnnx(tinyFc()));
    const env = { ACCELFORGE_MODELS: models };
    const c = await cli(
      ['compress', join(dir, 'tiny.onnx'), '--out', join(dir, 'c'), '--json', join(dir, 'stats.json')],
      env,
    );
    expect(c.code, c.stderr).toBe(0);
    const files = readdirSync(join(dir, 'c')).sort();
    expect(files).toEqual(['.accelforge-output.json', 'model.afz', 'model.onnx', 'stats.json']);
    const s = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'));
    expect(s.schema).toBe('accelforge.compress/2');
    expect(s.layers.map((l: { name: string; density: number }) => [l.name, l.density])).toEqual([
      ['fc1', Math.round(0.1 * 196 * 32) / (196 * 32)],
      ['fc2', 0.25],
    ]);
    expect(s.totals.denseBytes).toBe(4 * (196 * 32 + 32 + 32 * 10 + 10));
    // The reported size is the file's; its parts add up to it.
    const size = statSync(join(dir, 'c', 'model.afz')).size;
    expect(s.totals.containerBytes).toBe(size);
    expect(s.ratios.container).toBeCloseTo(s.totals.denseBytes / size, 9);
    expect(s.ratios.withoutPointers).toBeGreaterThan(s.ratios.container);
    const parts = s.layers.reduce((a: number, l: { bytes: { total: number } }) => a + l.bytes.total, 0);
    expect(parts + s.totals.headerBytes + s.totals.networkBytes).toBe(size);
    expect(s.bitsTable.map((b: { bits: number }) => b.bits)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(Object.keys(s.validation)).toEqual(['float', 'pruned', 'compressed']);
    const r = await cli(
      [
        'model',
        join(dir, 'c', 'model.afz'),
        '--design',
        'eie',
        '--config',
        'eie-4pe',
        '--images',
        '12',
        '--batch',
        '5',
        '--json',
        join(dir, 'r.json'),
      ],
      env,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(j.design).toBe('eie');
    expect(j.predictions).toEqual(j.goldenPredictions);
    expect(j.compression).toMatchObject({
      denseBytes: s.totals.denseBytes,
      containerBytes: size,
      density: s.totals.density,
    });
    expect(j.layers.map((l: { name: string }) => l.name)).toEqual(['fc1', 'fc2']);
    for (const l of j.layers) expect(l.loadEfficiency).toBeGreaterThan(0);
    expect(j.checks[0]).toContain('intermediate layers (fc1) bit-exact');
    expect(j.perImage.eieCycles).toBeGreaterThan(0);
  });

  it('refuses a conv network on eie alone, a layer wider than the config, a corrupt compressed file; writes nothing', async () => {
    const dir = tmp();
    const env = { ACCELFORGE_MODELS: join(dir, 'models') };
    const out = join(dir, 'r.json');
    writeFileSync(join(dir, 'tiny.onnx'), encodeOnnx(tinyFc()));
    expect((await cli(['compress', join(dir, 'tiny.onnx'), '--out', join(dir, 'c')], env)).code).toBe(0);
    // A layer wider than the config: 196 inputs on 1 PE x 64 rows.
    writeFileSync(join(dir, 'small.json'), JSON.stringify({ pes: 1, rowsPerPe: 64 }));
    expectUsageError(
      await cli(['model', join(dir, 'c'), '--design', 'eie', '--config', join(dir, 'small.json'), '--json', out], env),
      "layer 'fc1' (196 -> 32) is wider than the eie config",
      'pes x rowsPerPe = 64',
    );
    // A damaged container: refused by field, before the RTL runs (two through the CLI here; every field
    // in golden/nn/container.test.ts and scripts/nn/compressed.property.test.ts).
    const afz = join(dir, 'c', 'model.afz');
    const good = readFileSync(afz);
    const rechecked = (at: number, v: number) => {
      const b = Buffer.from(good);
      b[at] = v;
      b.writeUInt32LE(crc32(b.subarray(16)), 12);
      return b;
    };
    // The dense layer fc1 in the network section: kind 1, 196 inputs (LEB128 c4 01), 32 outputs.
    const fc1 = good.indexOf(Buffer.from([1, 0xc4, 0x01, 32]));
    expect(fc1).toBeGreaterThan(16);
    const damaged: [string, Buffer, string][] = [
      ['truncated', good.subarray(0, good.length - 3), 'payload length is'],
      ['fc1 reading 195 inputs', rechecked(fc1 + 1, 0xc3), 'network layer 2 inputs is 195'],
    ];
    for (const [what, bytes, message] of damaged) {
      writeFileSync(afz, bytes);
      const r = await cli(['model', join(dir, 'c'), '--design', 'eie', '--config', 'eie-4pe', '--json', out], env);
      expect(r.stderr, what).toContain(message);
      expectUsageError(r, afz);
    }
    writeFileSync(afz, good);
    expectUsageError(
      await cli(['compress', join(dir, 'c'), '--out', join(dir, 'again')], env),
      'is compressed already',
    );
    // A convolution on eie alone (compressing lenet-5's quick version first).
    writeFileSync(join(dir, 'lenet5.onnx'), quickOnnx('lenet-5'));
    expectUsageError(
      await cli(['model', join(dir, 'lenet5.onnx'), '--design', 'eie', '--config', 'eie-64pe', '--json', out], env),
      "has a convolution ('conv1'); EIE runs FC layers only",
      '--design rs,eie',
    );
    expect(existsSync(out)).toBe(false);
  });
});
