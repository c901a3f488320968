// compress + model on EIE through the CLI: a small compressed network on
// eie-4pe bit-exact (every output; intermediate layers by chain prefixes),
// the compressed folder round trip, and the refusals of the issue.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../../testbenches/support/cli.js';
import { quickOnnx, tinyFc } from '../../testbenches/support/nets.js';
import { encodeOnnx } from '../../golden/nn/onnx.js';

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
    expect(files).toEqual([
      '.accelforge-output.json',
      'compressed.json',
      'fc1.eie.json',
      'fc1.huff',
      'fc2.eie.json',
      'fc2.huff',
      'model.onnx',
      'stats.json',
    ]);
    const s = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'));
    expect(s.schema).toBe('accelforge.compress/1');
    expect(s.layers.map((l: { name: string; density: number }) => [l.name, l.density])).toEqual([
      ['fc1', Math.round(0.1 * 196 * 32) / (196 * 32)],
      ['fc2', 0.25],
    ]);
    expect(s.totals.denseBytes).toBe(4 * (196 * 32 + 32 + 32 * 10 + 10));
    expect(s.ratios.huffman).toBeGreaterThan(s.ratios.beforeHuffman);
    expect(s.bitsTable.map((b: { bits: number }) => b.bits)).toEqual([2, 3, 4, 5, 6, 8]);
    const r = await cli(
      [
        'model',
        join(dir, 'c'),
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
      huffmanBytes: s.totals.huffmanBytes,
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
    // Damage the Huffman file of fc2.
    const h = readFileSync(join(dir, 'c', 'fc2.huff'));
    writeFileSync(join(dir, 'c', 'fc2.huff'), h.subarray(0, h.length - 3));
    expectUsageError(
      await cli(['model', join(dir, 'c'), '--design', 'eie', '--config', 'eie-4pe', '--json', out], env),
      'fc2.huff is damaged',
    );
    writeFileSync(join(dir, 'c', 'fc2.huff'), h);
    // Damaged or hand-edited compressed.json: refused by field, before the RTL runs.
    const meta = JSON.parse(readFileSync(join(dir, 'c', 'compressed.json'), 'utf8'));
    const damaged: [string, (m: Record<string, unknown> & { layers: Record<string, unknown>[] }) => void, string][] = [
      ['layers [null]', (m) => (m.layers = [null as never]), "field 'layers[0]' is null; expected an object"],
      ['no recipe', (m) => delete m.recipe, "field 'recipe' is missing"],
      ['no log', (m) => delete m.log, "field 'log' is missing"],
      ['a path outside', (m) => (m.layers[1]!.huffman = '../fc2.huff'), 'expected a file name of this folder'],
      ['a short bias', (m) => (m.layers[0]!.bias = [1, 2]), "field 'layers[0].bias'"],
      [
        'a renamed layer',
        (m) => (m.layers[0]!.name = 'fc9'),
        'model.onnx has weight node(s) fc1 that compressed.json does not store',
      ],
    ];
    for (const [what, edit, message] of damaged) {
      const m = structuredClone(meta);
      edit(m);
      writeFileSync(join(dir, 'c', 'compressed.json'), JSON.stringify(m));
      const r = await cli(['model', join(dir, 'c'), '--design', 'eie', '--config', 'eie-4pe', '--json', out], env);
      expect(r.stderr, what).toContain(message);
      expectUsageError(r, 'compressed.json');
    }
    writeFileSync(join(dir, 'c', 'compressed.json'), '{ not json');
    expectUsageError(
      await cli(['model', join(dir, 'c'), '--design', 'eie', '--config', 'eie-4pe', '--json', out], env),
      'compressed.json is not valid JSON',
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
