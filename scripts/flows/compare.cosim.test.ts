// `accelforge compare` end to end on the small presets: every LeNet-5 layer
// runs on ws, os and rs RTL (scaled down), bit-exact with counters equal to
// the models; the JSON carries the rows and totals; bad input is exit 2.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
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
    expect(j.rows).toHaveLength(5 * 3);
    for (const row of j.rows) {
      expect(row.sample.bitExact && row.sample.countersMatch).toBe(true);
      expect(row.sample.cycles).toBe(row.sample.modelCycles);
      const e = row.energy;
      expect(e.total).toBeCloseTo(e.dram + e.buffer + e.array + e.rf + e.mac, 6);
      expect(row.energyPerMac.mac).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(j.totals).sort()).toEqual(['os', 'rs', 'ws']);
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
    expect(existsSync(out)).toBe(false);
  });
});
