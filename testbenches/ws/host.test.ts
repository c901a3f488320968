// The ws mapper and host program on their own: passes cover the GEMM exactly
// once, and the program lays A, B, D out as the buffer layout says.
import { describe, expect, it } from 'vitest';
import { parseWsConfig, wsPresets } from '../../golden/ws/config.js';
import { planWsPasses } from '../../golden/ws/mapper.js';
import { decodeWsEngineOutput, wsEngineProgram } from './host.js';
import { Csr, Sel, counterNames, firstCounter } from '../../golden/ws/interface.js';

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
  const prog = wsEngineProgram(cfg, p, passes).trim().split('\n');

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
    const out = decodeWsEngineOutput(cfg, answers.join('\n'), 2, 2, passes);
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
