import { describe, expect, it } from 'vitest';
import { scaleSimCycles, utilization, wsPassCycles, wsTiles } from './cycles.js';

/** The recurrence without the closed-form shortcut. */
function recurrence(R: number, C: number, m: number, k: number, n: number): number {
  const T = Math.ceil(k / R) * Math.ceil(n / C),
    W = Math.max(C - 1, 1);
  const S: number[] = [];
  let L = 0;
  for (let j = 0; j < T; j++) {
    if (j > 0) L = Math.max(L + R, j >= 2 ? S[j - 2]! + m - 1 + W : 0);
    S.push(Math.max(L + 1, j > 0 ? S[j - 1]! + m : 0));
  }
  return S[T - 1]! + m + R + C + 1;
}

describe('ws cycle model', () => {
  it('closed form equals the recurrence where it applies', () => {
    for (const [R, C] of [
      [1, 1],
      [4, 4],
      [3, 7],
      [16, 16],
    ] as const) {
      for (const m of [Math.max(R, C - 1, 1), 20, 64]) {
        for (const [k, n] of [
          [1, 1],
          [5, 9],
          [33, 17],
        ] as const) {
          expect(wsPassCycles({ rows: R, cols: C }, { m, k, n })).toBe(recurrence(R, C, m, k, n));
        }
      }
    }
  });
  it('is weight-load bound for skinny M', () => {
    // 4x4, M = 1, 3 tiles: loads every R = 4 cycles: S = 1, 5, 9; + 1 + 4 + 4 + 1.
    expect(wsPassCycles({ rows: 4, cols: 4 }, { m: 1, k: 12, n: 4 })).toBe(9 + 1 + 4 + 4 + 1);
    // 1x1, M = 1: loads every cycle; every tile streams one row: S_j = 1 + j.
    expect(wsPassCycles({ rows: 1, cols: 1 }, { m: 1, k: 5, n: 4 })).toBe(20 + 4);
  });
  it('gives 524,322 cycles (99.99 %) for 512^3 on 16 x 16 where SCALE-Sim gives 571,392', () => {
    const cfg = { rows: 16, cols: 16 },
      s = { m: 512, k: 512, n: 512 };
    expect(wsTiles(cfg, s)).toBe(1024);
    expect(wsPassCycles(cfg, s)).toBe(1024 * 512 + 34);
    expect(scaleSimCycles(cfg, s)).toBe(571392);
    expect(utilization(cfg, s, scaleSimCycles(cfg, s))).toBeCloseTo(0.9176, 4);
  });
  it('reproduces SCALE-Sim examples from anchors.md (it prints one less)', () => {
    const c8 = { rows: 8, cols: 8 };
    expect(scaleSimCycles(c8, { m: 64, n: 8, k: 8 }) - 1).toBe(85);
    expect(scaleSimCycles(c8, { m: 64, n: 16, k: 16 }) - 1).toBe(343);
    expect(scaleSimCycles(c8, { m: 100, n: 20, k: 12 }) - 1).toBe(731);
  });
});
