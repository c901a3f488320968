// `accelforge compare` end to end on the small presets: every LeNet-5 layer
// runs on ws, os and rs RTL (scaled down), bit-exact with counters equal to
// the models; the JSON carries the rows and totals; bad input is exit 2.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../../testbenches/support/cli.js';

function expectUsageError(r: { code: number; stderr: string }, ...parts: string[]) {
  expect(r.code, r.stderr).toBe(2);
  for (const p of parts) expect(r.stderr).toContain(p);
  expect(r.stderr).not.toMatch(/\n\s+at .*\(/); // no stack trace
}

describe('compare', () => {
  it('lenet-5 on ws, os and rs (16 PEs): every layer checked on the RTL, energy by level, JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-compare-'));
    const out = join(dir, 'c.json');
    const r = await cli(['compare', '--layers', 'lenet-5', '--batch', '2', '--pes', '16', '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('whole set, energy per MAC');
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.schema).toBe('accelforge.compare/1');
    // ws three times: natively (convolutions formed on chip), its labelled host-im2col row, and
    // ws-auto (im2col where it needs fewer K tiles: here both convolutions, C = 1 and 6 on 4 rows);
    // os twice: natively and its labelled host-im2col row.
    expect(j.rows).toHaveLength(5 * 6);
    for (const row of j.rows) {
      expect(row.sample.bitExact && row.sample.countersMatch).toBe(true);
      expect(row.sample.cycles).toBe(row.sample.modelCycles);
      const e = row.energy;
      expect(e.total).toBeCloseTo(e.dram + e.buffer + e.array + e.rf + e.mac, 6);
      expect(row.energyPerMac.mac).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(j.totals).sort()).toEqual(['os', 'os-im2col', 'rs', 'ws', 'ws-auto', 'ws-im2col']);
    const row = (layer: string, d: string) =>
      j.rows.find((x: { layer: string; design: string }) => x.layer === layer && x.design === d);
    for (const l of ['conv1', 'conv2', 'fc1']) expect(row(l, 'ws-auto').cycles).toBe(row(l, 'ws-im2col').cycles);
    expect(row('conv2', 'ws-auto').cycles).toBeLessThan(row('conv2', 'ws').cycles);
    // Native convolutions move each ifmap value once: less DRAM per MAC than im2col on the conv layers.
    const conv2 = (d: string) =>
      j.rows.find((x: { layer: string; design: string }) => x.layer === 'conv2' && x.design === d);
    for (const d of ['ws', 'os']) {
      expect(conv2(d).energyPerMac.dram).toBeLessThan(conv2(`${d}-im2col`).energyPerMac.dram / 2);
      expect(conv2(d).sample.layer.op).toBe('conv');
    }
    for (const l of ['fc1', 'fc2', 'fc3']) expect(row(l, 'os').cycles).toBe(row(l, 'os-im2col').cycles);
    // SCALE-Sim's estimate beside ws and os (none for rs): fc3 on ws-4x4 is 21 x 3 weight tiles of 2R + C + M - 2 cycles.
    const fc3 = (d: string) =>
      j.rows.find((x: { layer: string; design: string }) => x.layer === 'fc3' && x.design === d);
    expect(fc3('ws').scaleSim.cycles).toBe(21 * 3 * (2 * 4 + 4 + 2 - 2));
    expect(fc3('ws').scaleSim.error).toBeCloseTo(fc3('ws').scaleSim.cycles / fc3('ws').cycles - 1, 12);
    expect(fc3('os').scaleSim.cycles).toBeGreaterThan(0);
    expect(fc3('rs').scaleSim).toBeUndefined();
    expect(r.stdout).toContain("SCALE-Sim's analytical cycles beside these");
  });

  it('a SCALE-Sim topology and a Timeloop problem run through compare (16 PEs), and map writes a folder per layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-compare-'));
    const csv = join(dir, 'two.csv');
    writeFileSync(
      csv,
      'Layer name, IFMAP height, IFMAP width, Filter height, Filter width, Channels, Num filter, Strides,\nA, 9, 7, 3, 2, 3, 5, 2,\nB, 6, 6, 1, 1, 4, 3, 1,\n',
    );
    const out = join(dir, 't.json');
    const r = await cli(['compare', '--topology', csv, '--pes', '16', '--designs', 'ws,rs', '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.layers).toBe('topology:two.csv');
    expect(j.rows.map((x: { layer: string; design: string }) => `${x.layer} ${x.design}`)).toEqual([
      'A ws',
      'A ws-im2col',
      'A ws-auto',
      'A rs',
      'B ws',
      'B ws-im2col',
      'B ws-auto',
      'B rs',
    ]);
    // A (C = 3, 3 x 2 on 4 rows): im2col needs 5 K tiles, native 6; B (C = 4, 1 x 1): one tile either way, native.
    expect(j.rows[2].cycles).toBe(j.rows[1].cycles);
    expect(j.rows[6].cycles).toBe(j.rows[4].cycles);
    // Layer A: 4 x 3 outputs of 5 filters over 3 x 3 x 2 windows.
    expect(j.rows[0].macs).toBe(16 * 5 * 4 * 3 * 3 * 3 * 2);
    for (const row of j.rows) expect(row.sample.bitExact && row.sample.countersMatch).toBe(true);
    // Timeloop's N is the batch unless --batch is given.
    const p = await cli([
      'compare',
      '--problem',
      'docs/workloads/alexnet-conv3.yaml',
      '--pes',
      '16',
      '--designs',
      'rs',
      '--json',
      out,
    ]);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).batch).toBe(16);
    const m = await cli(['map', 'rs', '--config', 'rs-4x4', '--topology', csv, '-o', join(dir, 'map')]);
    expect(m.code, m.stderr).toBe(0);
    expect(
      readdirSync(join(dir, 'map'))
        .filter((n) => !n.startsWith('.'))
        .sort(),
    ).toEqual(['01-A', '02-B']);
    expect(JSON.parse(readFileSync(join(dir, 'map', '01-A', 'descriptor.json'), 'utf8')).layer.U).toBe(2);
  });

  it('refuses an unknown layer set, a design outside the comparison and a bad batch (exit 2), writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-compare-'));
    const out = join(dir, 'c.json');
    expectUsageError(await cli(['compare', '--layers', 'vgg', '--json', out]), "'vgg'");
    expectUsageError(
      await cli(['compare', '--layers', 'lenet-5', '--pes', '16', '--designs', 'eie', '--json', out]),
      'eie',
    );
    expectUsageError(await cli(['compare', '--layers', 'lenet-5', '--batch', '0', '--json', out]), '--batch');
    expectUsageError(await cli(['compare', '--json', out]), 'exactly one of --layers');
    expectUsageError(
      await cli(['compare', '--layers', 'lenet-5', '--topology', 'docs/workloads/alexnet.csv', '--json', out]),
      'given: --layers, --topology',
    );
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'Layer name, a, b, c, d, e, f, g,\nA, 9, 9, 3, 3, 2, 4, 2, 1,\n');
    expectUsageError(
      await cli(['compare', '--topology', bad, '--json', out]),
      'bad.csv row 2',
      'Stride height 2 and Stride width 1 differ',
    );
    expectUsageError(await cli(['compare', '--problem', join(dir, 'none.yaml'), '--json', out]), 'none.yaml');
    expect(existsSync(out)).toBe(false);
  });
});
