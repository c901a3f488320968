// The output-stationary models on their own (the ws ones: config.test.ts,
// cycles.test.ts): the os config and presets, the exact cycle model's
// formula, the access model's counts, the mapper's passes (every (m, n, k)
// exactly once, inside the buffers), the host's DRAM values, and the random
// cases, including an array of both dataflows.
import { describe, expect, it } from 'vitest';
import { parseOsConfig, osPresets } from './config.js';
import { osPassCycles, osPeriod, osTiles, utilization } from './cycles.js';
import { dramValues, osPassAccess } from './access.js';
import { planOsPasses } from './mapper.js';
import { gemmCase } from './problem.js';
import { InputError } from '../common/errors.js';

describe('os config', () => {
  it('fills defaults and has the presets, each complete', () => {
    expect(parseOsConfig({ rows: 3 })).toMatchObject({ rows: 3, cols: 4, dataWidth: 8, accWidth: 32, signed: true });
    for (const p of Object.values(osPresets)) expect(parseOsConfig(p)).toEqual(p);
    expect(Object.keys(osPresets)).toEqual(['os-4x4', 'os-16x16', 'os-16x16-int8', 'os-256', 'os-256x256']);
  });
  it('refuses an accumulator narrower than a product, naming the key and the range', () => {
    expect(() => parseOsConfig({ dataWidth: 12, accWidth: 20 })).toThrow(InputError);
    expect(() => parseOsConfig({ dataWidth: 12, accWidth: 20 })).toThrow(
      /'accWidth' has value 20; allowed: an integer from 24/,
    );
  });
});

describe('os cycle model', () => {
  const cfg = { rows: 4, cols: 4 };
  it('is (T - 1) P + K + 2R + C with P = max(K, 2R - 1)', () => {
    // One tile, K shorter than 2R - 1: the padding does not matter for the last tile.
    expect(osPassCycles(cfg, { m: 4, k: 3, n: 4 })).toBe(3 + 8 + 4);
    // Two tiles along M with K = 3: the first is padded to 2R - 1 = 7 steps.
    expect(osTiles(cfg, { m: 5, k: 3, n: 4 })).toBe(2);
    expect(osPeriod(cfg, { m: 5, k: 3, n: 4 })).toBe(7);
    expect(osPassCycles(cfg, { m: 5, k: 3, n: 4 })).toBe(7 + 3 + 8 + 4);
    // K longer than 2R - 1: no padding, tiles back to back.
    expect(osPassCycles(cfg, { m: 8, k: 20, n: 8 })).toBe(3 * 20 + 20 + 12);
    expect(osPassCycles(cfg, { m: 0, k: 5, n: 5 })).toBe(0);
  });
  it('approaches full utilization on a large GEMM', () => {
    const s = { m: 512, k: 512, n: 512 };
    const big = { rows: 16, cols: 16 };
    expect(utilization(big, s, osPassCycles(big, s))).toBeGreaterThan(0.999);
  });
});

describe('os access model', () => {
  it('counts each tile, step and hop of a pass', () => {
    const c = osPassAccess({ rows: 2, cols: 3 }, { m: 3, k: 4, n: 5 }, true);
    // T = ceil(3/2) ceil(5/3) = 4 tiles of K = 4 steps over 6 PEs.
    expect(c).toMatchObject({ tiles: 4, macs: 60, peSteps: 96, aReads: 16, bReads: 16, rfWrites: 96, rfReads: 72 });
    // Output rows: ceil(N/C) M = 6, read too when accumulating.
    expect(c.accWrites).toBe(6);
    expect(c.accReads).toBe(6);
    expect(osPassAccess({ rows: 2, cols: 3 }, { m: 3, k: 4, n: 5 }, false).accReads).toBe(0);
    // Per tile: K (R (C - 1) + (R - 1) C) operand hops and C R (R - 1) / 2 sum hops.
    expect(c.arrayHops).toBe(4 * (4 * (2 * 2 + 1 * 3) + (3 * 2 * 1) / 2));
  });
});

describe('os mapper', () => {
  it('one pass when the buffers hold the GEMM', () => {
    expect(planOsPasses(osPresets['os-4x4']!, 10, 9, 7)).toEqual([
      { m0: 0, mp: 10, n0: 0, np: 7, k0: 0, kp: 9, firstK: true, lastK: true },
    ]);
  });
  it('splits M, N and K to fit small buffers, covering every (m, n, k) exactly once', () => {
    const cfg = parseOsConfig({ rows: 2, cols: 3, aDepth: 5, bDepth: 4, accDepth: 6 });
    const [m, k, n] = [7, 9, 8];
    const seen = new Map<string, number>();
    for (const p of planOsPasses(cfg, m, k, n)) {
      expect(Math.ceil(p.mp / cfg.rows) * p.kp).toBeLessThanOrEqual(cfg.aDepth);
      expect(Math.ceil(p.np / cfg.cols) * p.kp).toBeLessThanOrEqual(cfg.bDepth);
      expect(Math.ceil(p.np / cfg.cols) * p.mp).toBeLessThanOrEqual(cfg.accDepth);
      for (let i = p.m0; i < p.m0 + p.mp; i++)
        for (let j = p.n0; j < p.n0 + p.np; j++)
          for (let kk = p.k0; kk < p.k0 + p.kp; kk++)
            seen.set(`${i},${j},${kk}`, (seen.get(`${i},${j},${kk}`) ?? 0) + 1);
    }
    expect(seen.size).toBe(m * n * k);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
  });
  it('counts the values the host moves: A and B tiles in, D in on the first K pass, C out on the last', () => {
    const cfg = osPresets['os-4x4']!;
    const passes = planOsPasses(cfg, 5, 3, 6);
    // MT = 2 row groups of K = 3 columns of 4; NT = 2 column groups of 3 rows of 4; C: 2 x 5 rows of 4.
    expect(dramValues(cfg, 'os', {}, passes)).toBe(2 * 3 * 4 + 2 * 3 * 4 + 2 * 5 * 4);
    expect(dramValues(cfg, 'os', { d: [] }, passes)).toBe(2 * 3 * 4 + 2 * 3 * 4 + 2 * 2 * 5 * 4);
  });
});

describe('os random cases', () => {
  it('are reproducible from the seed and stay inside the shape limits', () => {
    const cfg = osPresets['os-4x4']!;
    expect(gemmCase(cfg, 7)).toEqual(gemmCase(cfg, 7));
    for (let s = 1; s <= 50; s++) {
      const c = gemmCase(cfg, s);
      expect(c.problem.a.length).toBe(c.shape.m);
      expect(c.problem.b.length).toBe(c.shape.k);
      expect(c.problem.b[0]!.length).toBe(c.shape.n);
      expect(c.shape.m).toBeLessThanOrEqual(26); // 3 (R + C) + 2
      expect(c.shape.k).toBeLessThanOrEqual(26); // 3 (2R) + 2
      expect(c.dataflow).toBe('os');
      expect([0, 100, 400]).toContain(c.stallPermille);
    }
  });
});
