import { describe, expect, it } from 'vitest';
import { randomGemmConvProblem } from './conv-problem.js';
import { Random } from '../common/random.js';
import { osPresets, parseOsConfig } from './config.js';
import { convGeometry } from './conv.js';
import {
  osConvAccess,
  osConvFit,
  osConvLayout,
  osConvPasses,
  osPassGeometry,
  phaseBounds,
  type OsConvPass,
} from './os-conv.js';

const cfg = osPresets['os-4x4']!;

describe('native convolution on os: layout, passes and access model', () => {
  it('phase bounds hold exactly the ifmap columns (by enumeration, 300 shapes)', () => {
    const rng = new Random(3);
    for (let i = 0; i < 300; i++) {
      const W = rng.int(1, 40),
        U = rng.int(1, 6),
        P = rng.int(0, 7),
        rows = rng.int(1, 9);
      const l = osConvLayout({ rows }, { W, U, P });
      for (let ph = 0; ph < U; ph++) {
        const { lo, hi } = phaseBounds(l, ph);
        for (let x = 0; x < l.XW * rows + 2 * rows; x++) {
          const w = x * U + ph - P;
          expect(x >= lo && x < hi, `W=${W} U=${U} P=${P} ph=${ph} x=${x}`).toBe(w >= 0 && w < W);
        }
        // Every stored position is inside the phase rows' words.
        expect(hi).toBeLessThanOrEqual(l.XW * rows);
      }
    }
  });

  it('passes cover every (image, output row, filter, channel) once and fit the buffers (200 layers, random budgets)', () => {
    const rng = new Random(5);
    const small = parseOsConfig({ rows: 3, cols: 2, aDepth: 200, bDepth: 40, accDepth: 30 });
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const c = i % 2 ? small : cfg;
      const p = randomGemmConvProblem(c, rng);
      const budget = rng.bool() ? { a: rng.int(1, 300), b: rng.int(1, 60), acc: rng.int(1, 60) } : undefined;
      const g = convGeometry(c, budget ? { ...p, buffers: budget } : p);
      const passes = osConvPasses(c, g);
      expect(typeof passes === 'string').toBe(osConvFit(c, g) !== undefined);
      if (typeof passes === 'string') continue;
      checked++;
      const seen = new Map<string, number>();
      for (const ps of passes) {
        const pg = osPassGeometry(g, ps);
        expect(pg.aRows).toBeLessThanOrEqual(Math.min(c.aDepth, budget?.a ?? Infinity));
        expect(Math.ceil(pg.gn / c.cols) * pg.gk).toBeLessThanOrEqual(Math.min(c.bDepth, budget?.b ?? Infinity));
        expect(Math.ceil(pg.gn / c.cols) * pg.gm).toBeLessThanOrEqual(Math.min(c.accDepth, budget?.acc ?? Infinity));
        // The band holds every input row its outputs read inside the ifmap.
        for (let e = ps.e0; e < ps.e0 + ps.eN; e++)
          for (let r = 0; r < g.R; r++) {
            const h = e * g.U + r - g.P;
            if (h >= 0 && h < g.H) {
              expect(h).toBeGreaterThanOrEqual(pg.hFirst);
              expect(h).toBeLessThan(pg.hFirst + pg.hRows);
            }
          }
        for (let n = ps.n0; n < ps.n0 + ps.nN; n++)
          for (let e = ps.e0; e < ps.e0 + ps.eN; e++)
            for (let m = ps.m0; m < ps.m0 + ps.mM; m++)
              for (let ch = ps.c0; ch < ps.c0 + ps.cN; ch++) {
                const k = `${n} ${e} ${m} ${ch}`;
                seen.set(k, (seen.get(k) ?? 0) + 1);
              }
      }
      expect(seen.size).toBe(g.N * g.E * g.M * g.C);
      expect([...seen.values()].every((v) => v === 1)).toBe(true);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("A reads: one per step inside the ifmap's rows, two where the step's positions start past lane 0", () => {
    const rng = new Random(9);
    for (let i = 0; i < 50; i++) {
      const p = randomGemmConvProblem(cfg, rng);
      const g = convGeometry(cfg, p);
      const passes = osConvPasses(cfg, g) as OsConvPass[];
      for (const ps of passes) {
        const pg = osPassGeometry(g, ps);
        // The sequencer's walk: tiles (nt, n, e, fb), steps (c, r, s); q = s div U, the lane offset q mod rows.
        let reads = 0;
        for (let nt = 0; nt < Math.ceil(pg.gn / cfg.cols); nt++)
          for (let n = 0; n < pg.N; n++)
            for (let e = 0; e < pg.E; e++)
              for (let fb = 0; fb < Math.ceil(pg.F / cfg.rows); fb++)
                for (let c = 0; c < pg.C; c++)
                  for (let r = 0; r < pg.R; r++)
                    for (let s = 0; s < pg.S; s++) {
                      const hp = (pg.e0 + e) * pg.U + r;
                      if (hp < pg.P || hp >= pg.H + pg.P) continue;
                      reads += Math.floor(s / pg.U) % cfg.rows === 0 ? 1 : 2;
                    }
        expect(osConvAccess(cfg, pg, false).aReads).toBe(reads);
        expect(osConvAccess(cfg, pg, false).macs).toBe(pg.N * pg.E * pg.F * pg.gn * pg.C * pg.R * pg.S);
      }
    }
  });
});
