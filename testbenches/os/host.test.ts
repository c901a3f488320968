// The os host program on its own: A is laid out a column of a tile's rows per
// buffer row, B a row of a tile's columns per buffer row, D in the
// accumulator rows; the CSRs, start, wait and read-back follow; what the
// harness answers decodes into C.
import { describe, expect, it } from 'vitest';
import { osPresets } from '../../golden/os/config.js';
import { planOsPasses } from '../../golden/os/mapper.js';
import { Csr, Sel, firstCounter, osCounterNames } from '../../golden/os/interface.js';
import { decodeOsEngineOutput, osAccumulates, osEngineProgram } from './host.js';

describe('os host program', () => {
  const cfg = osPresets['os-4x4']!;
  const big = (i: number, j: number) => BigInt(i * 10 + j);
  const mat = (r: number, c: number) =>
    Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => big(i, j)));
  const p = { a: mat(5, 3), b: mat(3, 6), d: mat(5, 6), relu: true };
  const passes = planOsPasses(cfg, 5, 3, 6);
  const lines = osEngineProgram(cfg, p, passes).trim().split('\n');

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
    expect(osAccumulates(p, passes[0]!)).toBe(true);
    expect(osAccumulates({ a: p.a, b: p.b }, passes[0]!)).toBe(false);
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
    expect(lines[start + 1]).toBe(`W ${Sel.csr} ${Csr.ctrl} 7`);
    expect(lines[start + 2]).toBe('WAIT');
    const reads = lines.slice(start + 4);
    expect(reads.slice(0, osCounterNames.length)).toEqual(
      osCounterNames.map((_, i) => `R ${Sel.csr} ${firstCounter + i}`),
    );
    expect(reads.slice(osCounterNames.length)).toHaveLength(2 * 5);
  });

  it('decodes the answers into C, the counters and the cycle each element left', () => {
    const counters = osCounterNames.map((_, i) => `R ${(i + 1).toString(16)} ${100 + i}`);
    const rows = Array.from({ length: 10 }, (_, r) => `R ${(r + 1).toString(16)} ${200 + r}`); // element 0 of each row
    const out = decodeOsEngineOutput(
      cfg,
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
