import { describe, expect, it } from 'vitest';
import { parseGemmConvProblem, randomGemmConvProblem } from './conv-problem.js';
import { Random } from '../common/random.js';
import { wrap, relu } from '../common/numerics.js';
import { parseWsConfig, wsPresets } from './config.js';
import { convGeometry, convGolden, convPadRows, wsConvDramValues } from './conv.js';
import { convFit, convPasses, passGeometry } from './conv-passes.js';
import { InputError } from '../common/errors.js';

const cfg = wsPresets['ws-4x4']!;

describe('native convolution on ws: golden and geometry', () => {
  it('equals the convolution of numerics.md, computed directly, on 40 random signed layers', () => {
    const rng = new Random(7);
    for (let i = 0; i < 40; i++) {
      const p = randomGemmConvProblem(cfg, rng);
      const g = convGeometry(cfg, p);
      // O[n][m][e][f] = wrap(bias[m] + sum over c, r, s of Ipad[n][c][U e + r][U f + s] F[m][c][r][s], AW), ReLU.
      const direct = Array.from({ length: g.N }, (_, n) =>
        Array.from({ length: g.M }, (_, m) =>
          Array.from({ length: g.E }, (_, e) =>
            Array.from({ length: g.F }, (_, f) => {
              let acc = p.bias?.[m] ?? 0n;
              for (let c = 0; c < g.C; c++)
                for (let r = 0; r < g.R; r++)
                  for (let s = 0; s < g.S; s++) {
                    const h = e * g.U + r - g.P,
                      w = f * g.U + s - g.P;
                    if (h >= 0 && h < g.H && w >= 0 && w < g.W)
                      acc += p.ifmap[n]![c]![h]![w]! * p.filters[m]![c]![r]![s]!;
                  }
              const o = wrap(acc, cfg.accWidth, true);
              return p.relu ? relu(o) : o;
            }),
          ),
        ),
      );
      expect(convGolden(cfg, p)).toEqual(direct);
    }
  });

  it('counts the padding rows the controller skips by enumerating every window tap', () => {
    const rng = new Random(3);
    for (let i = 0; i < 30; i++) {
      const g = convGeometry(cfg, randomGemmConvProblem(cfg, rng));
      let pads = 0;
      for (let n = 0; n < g.N; n++)
        for (let e = 0; e < g.E; e++)
          for (let f = 0; f < g.F; f++)
            for (let r = 0; r < g.R; r++)
              for (let s = 0; s < g.S; s++) {
                const h = e * g.U + r - g.P,
                  w = f * g.U + s - g.P;
                if (h < 0 || h >= g.H || w < 0 || w >= g.W) pads++;
              }
      // Summed over the K tiles: each of the CT channel tiles of a tap skips its padding rows.
      expect(convPadRows(g)).toBe(pads * g.CT);
    }
  });

  it('moves the ifmap once: DRAM values are the ifmap planes, not im2col', () => {
    // 1 image, 3 channels (one tile of 4), 5 x 5, 3 x 3 filters, 4 of them, bias.
    const big = parseWsConfig({ rows: 4, cols: 4 });
    const p = parseGemmConvProblem(
      {
        ifmap: [Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => [1, 2, 3, 4, 5]))],
        filters: Array.from({ length: 4 }, () =>
          Array.from({ length: 3 }, () => [
            [1, 0, 1],
            [0, 1, 0],
            [1, 0, 1],
          ]),
        ),
        bias: [1, 2, 3, 4],
        stride: 1,
      },
      big,
    );
    const g = convGeometry(big, p);
    expect([g.E, g.F, g.CT, g.gm, g.gk, g.gn, g.aRows]).toEqual([3, 3, 1, 9, 36, 4, 25]);
    // ifmap 25 rows x 4 lanes, B 9 taps x 4 rows x 4, bias and C 9 rows x 4 each.
    expect(wsConvDramValues(big, g, true)).toBe(25 * 4 + 36 * 4 + 2 * 9 * 4);
  });

  it('refuses layers past the buffers or the CSR fields, naming the limit', () => {
    const small = parseWsConfig({ rows: 2, cols: 2, aDepth: 16, bDepth: 64, accDepth: 64 });
    const img = (c: number, h: number, w: number) => [
      Array.from({ length: c }, () => Array.from({ length: h }, () => new Array(w).fill(1))),
    ];
    const p = (c: number, h: number, w: number, m: number, r: number) =>
      parseGemmConvProblem(
        { ifmap: img(c, h, w), filters: Array.from({ length: m }, () => img(c, r, r)[0]), stride: 1 },
        small,
      );
    expect(convFit(small, convGeometry(small, p(3, 4, 4, 2, 3)))).toBe(
      'one output pixel reads ceil(C / rows) x min(H, R) x min(W, S) = 18 A buffer rows; aDepth is 16',
    );
    // A row too wide runs in bands of output columns.
    expect(convFit(small, convGeometry(small, p(3, 3, 9, 2, 2)))).toBeUndefined();
    // A whole image that does not fit runs in bands of output rows instead of being refused.
    expect(convFit(small, convGeometry(small, p(3, 3, 3, 2, 2)))).toBeUndefined();
    // Filters past the B buffer run in K passes that accumulate.
    const roomy = { ...small, aDepth: 256 };
    const wide = convGeometry(roomy, p(2, 6, 6, 2, 6));
    expect(convFit(roomy, wide)).toBeUndefined();
    expect((convPasses(roomy, wide) as { kN: number }[]).map((x) => x.kN)).toEqual([32, 4]);
    expect(convFit(small, convGeometry(small, p(1, 3, 3, 2, 1)))).toBeUndefined();
    // Too large at once: 3 images of 2 x 3 x 3 take 9 A rows each; the A buffer holds 16: one image a pass.
    const two = parseGemmConvProblem(
      {
        ifmap: [...img(2, 3, 3), ...img(2, 3, 3), ...img(2, 3, 3)],
        filters: Array.from({ length: 6 }, () => img(2, 1, 1)[0]),
        stride: 1,
      },
      small,
    );
    expect(convPasses(small, convGeometry(small, two))).toEqual([
      { n0: 0, nN: 1, e0: 0, eN: 3, f0: 0, fN: 3, m0: 0, mM: 6, kt0: 0, kN: 1 },
      { n0: 1, nN: 1, e0: 0, eN: 3, f0: 0, fN: 3, m0: 0, mM: 6, kt0: 0, kN: 1 },
      { n0: 2, nN: 1, e0: 0, eN: 3, f0: 0, fN: 3, m0: 0, mM: 6, kt0: 0, kN: 1 },
    ]);
    expect(() => parseGemmConvProblem({ ifmap: img(1, 2, 2), filters: [img(1, 3, 3)[0]], stride: 1 }, small)).toThrow(
      /filters of 3 x 3 do not fit the 2 x 2 ifmap with padding 0/,
    );
    expect(() => parseGemmConvProblem({ ifmap: img(1, 2, 2), filters: [img(1, 1, 1)[0]], stride: 0 }, small)).toThrow(
      InputError,
    );
    expect(() =>
      parseGemmConvProblem(
        { ifmap: img(1, 2, 2), filters: [img(1, 1, 1)[0]], stride: 1, relu: true },
        { ...small, signed: false },
      ),
    ).toThrow(/'relu' needs a signed design/);
  });

  it.for([
    ['rows', { aDepth: 48, accDepth: 24 }],
    ['columns', { aDepth: 16, accDepth: 8 }],
  ] as const)(
    'bands by output %s: every output of every image and filter in exactly one pass, each band within the buffers',
    ([what, depths]) => {
      const cfg = parseWsConfig({ rows: 2, cols: 3, bDepth: 96, ...depths });
      const rng = new Random(5);
      let banded = 0;
      for (let i = 0; i < 60; i++) {
        const g = convGeometry(cfg, randomGemmConvProblem(cfg, rng));
        const passes = convPasses(cfg, g);
        if (typeof passes === 'string') continue;
        const seen = new Map<string, number>();
        for (const ps of passes) {
          const pg = passGeometry(g, ps);
          expect(pg.aRows).toBeLessThanOrEqual(cfg.aDepth);
          expect(Math.ceil(pg.gn / cfg.cols) * pg.gm).toBeLessThanOrEqual(cfg.accDepth);
          if (what === 'rows' ? ps.eN < g.E : ps.fN < g.F) banded++;
          // The band's input rows cover every row its windows read inside the ifmap.
          for (let e = ps.e0; e < ps.e0 + ps.eN; e++)
            for (let r = 0; r < g.R; r++) {
              const h = e * g.U + r - g.P;
              if (h < 0 || h >= g.H) continue;
              expect(h - pg.hFirst).toBeGreaterThanOrEqual(0);
              expect(h - pg.hFirst).toBeLessThan(pg.hRows);
            }
          for (let f = ps.f0; f < ps.f0 + ps.fN; f++)
            for (let s = 0; s < g.S; s++) {
              const w = f * g.U + s - g.P;
              if (w < 0 || w >= g.W) continue;
              expect(w - pg.wFirst).toBeGreaterThanOrEqual(0);
              expect(w - pg.wFirst).toBeLessThan(pg.wCols);
            }
          for (let n = ps.n0; n < ps.n0 + ps.nN; n++)
            for (let e = ps.e0; e < ps.e0 + ps.eN; e++)
              for (let f = ps.f0; f < ps.f0 + ps.fN; f++)
                for (let m = ps.m0; m < ps.m0 + ps.mM; m++) {
                  const k = `${n} ${e} ${f} ${m}`;
                  seen.set(k, (seen.get(k) ?? 0) + 1);
                }
        }
        expect(seen.size).toBe(g.N * g.E * g.F * g.M);
        expect([...seen.values()].every((v) => v === 1)).toBe(true);
      }
      expect(banded).toBeGreaterThan(0);
    },
  );
});
