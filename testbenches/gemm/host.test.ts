// The systolic family's mapper and host program on their own: passes cover
// the GEMM exactly once inside the buffers, the program lays A, B and D out
// as each dataflow's buffer layout says, sets the CSRs, starts, waits and
// reads back, and what the harness answers decodes into C.
import { describe, expect, it } from 'vitest';
import { osPresets, parseWsConfig, wsPresets } from '../../golden/gemm/config.js';
import { accumulates, planOsPasses, planWsPasses } from '../../golden/gemm/mapper.js';
import { decodeGemmEngineOutput, gemmProgram } from './host.js';
import { Csr, Sel, counterNames, firstCounter } from '../../golden/gemm/interface.js';

describe('ws mapper', () => {
  it('one pass when the buffers hold everything', () => {
    expect(planWsPasses(wsPresets['ws-4x4']!, 10, 9, 7)).toEqual([
      { m0: 0, mp: 10, n0: 0, np: 7, k0: 0, kp: 9, firstK: true, lastK: true },
    ]);
  });

  it('splits M, N and K to fit small buffers, covering every (m, n, k) exactly once', () => {
    const cfg = parseWsConfig({ rows: 2, cols: 3, aDepth: 6, bDepth: 4, accDepth: 5 });
    const [m, k, n] = [7, 5, 8];
    const passes = planWsPasses(cfg, m, k, n);
    const seen = new Map<string, number>();
    for (const p of passes) {
      expect(Math.ceil(p.kp / cfg.rows) * p.mp).toBeLessThanOrEqual(cfg.aDepth);
      expect(Math.ceil(p.np / cfg.cols) * Math.ceil(p.kp / cfg.rows) * cfg.rows).toBeLessThanOrEqual(cfg.bDepth);
      expect(Math.ceil(p.np / cfg.cols) * p.mp).toBeLessThanOrEqual(cfg.accDepth);
      for (let i = p.m0; i < p.m0 + p.mp; i++)
        for (let j = p.n0; j < p.n0 + p.np; j++)
          for (let kk = p.k0; kk < p.k0 + p.kp; kk++) {
            const key = `${i},${j},${kk}`;
            seen.set(key, (seen.get(key) ?? 0) + 1);
          }
    }
    expect(seen.size).toBe(m * n * k);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
    // K passes of one output tile run in order: the first starts, the last finishes.
    expect(passes.filter((p) => p.firstK).length).toBe(passes.filter((p) => p.lastK).length);
  });
});

describe('ws host program', () => {
  const cfg = wsPresets['ws-4x4']!;
  const p = {
    a: [
      [1n, -2n, 3n],
      [4n, 5n, -6n],
    ],
    b: [
      [7n, 8n],
      [9n, -10n],
      [11n, 12n],
    ],
    d: [
      [1n, 2n],
      [3n, 4n],
    ],
    relu: true,
  };
  const passes = planWsPasses(cfg, 2, 3, 2);
  const prog = gemmProgram(cfg, 'ws', p, passes).trim().split('\n');

  it('writes A rows (K side packed, low element first), B rows per K, D into the accumulators', () => {
    // Hex without leading zeros: A[0] = [1, -2, 3, pad 0] -> 0x0003fe01.
    expect(prog[0]).toBe(`W ${Sel.a} 0 3fe01`);
    expect(prog[1]).toBe(`W ${Sel.a} 1 fa0504`);
    expect(prog.slice(2, 6)).toEqual([`W ${Sel.b} 0 807`, `W ${Sel.b} 1 f609`, `W ${Sel.b} 2 c0b`, `W ${Sel.b} 3 0`]);
    expect(prog[6]).toBe(`W ${Sel.acc} 0 ${((2n << 32n) | 1n).toString(16)}`);
  });

  it('sets M, N, K and the bases, starts with ReLU and accumulate, waits, reads counters and results', () => {
    expect(prog).toContain(`W ${Sel.csr} ${Csr.m} 2`);
    expect(prog).toContain(`W ${Sel.csr} ${Csr.k} 3`);
    const start = prog.indexOf('MARK start0');
    expect(prog[start + 1]).toBe(`W ${Sel.csr} ${Csr.ctrl} 7`);
    expect(prog[start + 2]).toBe('WAIT');
    const reads = prog.filter((l) => l.startsWith('R '));
    expect(reads.slice(0, counterNames.length)).toEqual(counterNames.map((_, i) => `R ${Sel.csr} ${firstCounter + i}`));
    expect(reads.slice(counterNames.length)).toEqual([`R ${Sel.acc} 0`, `R ${Sel.acc} 1`]);
  });

  it('decodes the answers: counters, then result rows', () => {
    const answers = [
      ...counterNames.map((_, i) => `R ${(i + 1).toString(16)} ${100 + i}`),
      `R ${((5n << 32n) | 0xfffffffdn).toString(16)} 200`,
      'R 7 201',
      'cycles 300',
    ];
    const out = decodeGemmEngineOutput(cfg, 'ws', answers.join('\n'), 2, 2, passes);
    expect(out.counters.cycles).toBe(1);
    expect(out.counters.tiles).toBe(counterNames.indexOf('tiles') + 1);
    expect(out.counters.arrayHops).toBe(counterNames.indexOf('arrayHops') + 1);
    expect(out.c).toEqual([
      [-3n, 5n],
      [7n, 0n],
    ]);
    expect(out.cCycle).toEqual([
      [200, 200],
      [201, 201],
    ]);
    expect(out.totalCycles).toBe(300);
  });
});

describe('os host program', () => {
  const cfg = osPresets['os-4x4']!;
  const big = (i: number, j: number) => BigInt(i * 10 + j);
  const mat = (r: number, c: number) =>
    Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => big(i, j)));
  const p = { a: mat(5, 3), b: mat(3, 6), d: mat(5, 6), relu: true };
  const passes = planOsPasses(cfg, 5, 3, 6);
  const lines = gemmProgram(cfg, 'os', p, passes).trim().split('\n');

  it('writes A as columns of each tile row group (zeros past M)', () => {
    const aWrites = lines.filter((l) => l.startsWith(`W ${Sel.a} `));
    expect(aWrites).toHaveLength(2 * 3); // MT = 2 groups x K = 3
    // Row mt K + k = 1 x 3 + 2 holds A[4..7][2]: A[4][2] = 42 in element 0, rows past M are zero.
    expect(aWrites.find((l) => l.startsWith(`W ${Sel.a} 5 `))).toBe(`W ${Sel.a} 5 ${(42).toString(16)}`);
  });

  it('writes B as rows of each tile column group and D as accumulator rows', () => {
    const bWrites = lines.filter((l) => l.startsWith(`W ${Sel.b} `));
    expect(bWrites).toHaveLength(2 * 3); // NT = 2 groups x K = 3
    // Row nt K + k = 1 x 3 + 0: B[0][4], B[0][5] in elements 0, 1 (8-bit).
    expect(bWrites.find((l) => l.startsWith(`W ${Sel.b} 3 `))).toBe(`W ${Sel.b} 3 ${((5n << 8n) | 4n).toString(16)}`);
    expect(lines.filter((l) => l.startsWith(`W ${Sel.acc} `))).toHaveLength(2 * 5);
    expect(accumulates(p, passes[0]!)).toBe(true);
    expect(accumulates({}, passes[0]!)).toBe(false);
  });

  it('sets the CSRs, starts with ReLU and accumulate, waits, reads the counters and C', () => {
    const start = lines.indexOf('MARK start0');
    expect(lines.slice(start - 6, start)).toEqual([
      `W ${Sel.csr} ${Csr.m} 5`,
      `W ${Sel.csr} ${Csr.n} 6`,
      `W ${Sel.csr} ${Csr.k} 3`,
      `W ${Sel.csr} ${Csr.aBase} 0`,
      `W ${Sel.csr} ${Csr.bBase} 0`,
      `W ${Sel.csr} ${Csr.accBase} 0`,
    ]);
    expect(lines[start + 1]).toBe(`W ${Sel.csr} ${Csr.ctrl} f`); // start, ReLU, accumulate, output stationary
    expect(lines[start + 2]).toBe('WAIT');
    const reads = lines.slice(start + 4);
    expect(reads.slice(0, counterNames.length)).toEqual(counterNames.map((_, i) => `R ${Sel.csr} ${firstCounter + i}`));
    expect(reads.slice(counterNames.length)).toHaveLength(2 * 5);
  });

  it('decodes the answers into C, the counters and the cycle each element left', () => {
    const counters = counterNames.map((_, i) => `R ${(i + 1).toString(16)} ${100 + i}`);
    const rows = Array.from({ length: 10 }, (_, r) => `R ${(r + 1).toString(16)} ${200 + r}`); // element 0 of each row
    const out = decodeGemmEngineOutput(
      cfg,
      'os',
      [...counters, ...rows, 'MARK start0 5', 'cycles 300'].join('\n'),
      5,
      6,
      passes,
    );
    expect(out.counters.cycles).toBe(1);
    expect(out.c[0]![0]).toBe(1n); // nt 0, m 0
    expect(out.c[0]![4]).toBe(6n); // nt 1, m 0: the sixth row read
    expect(out.cCycle[0]![4]).toBe(205);
    expect(out.totalCycles).toBe(300);
  });
});
