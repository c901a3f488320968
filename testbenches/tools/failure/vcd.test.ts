import { describe, expect, it } from 'vitest';
import { readVcd, valueAt } from './vcd.js';
import { repoPath } from '../../../golden/common/repo.js';

const fixture = repoPath('testbenches/fixtures/aliases-xz-wide.vcd');

describe('VCD reader (vcd-stream, WebAssembly)', () => {
  it('keeps every name of an aliased identifier, x/z (also uppercase) and exact wide vectors', async () => {
    const t = await readVcd(fixture);
    const paths = t.signals.map((s) => s.path);
    expect(paths).toEqual(
      expect.arrayContaining(['TOP.clk', 'TOP.bus', 'TOP.dut.clk_alias', 'TOP.dut.wide', 'TOP.dut.s']),
    );
    const id = (p: string) => t.signals.find((s) => s.path === p)!.id;
    expect(id('TOP.dut.clk_alias')).toBe(id('TOP.clk'));
    expect(t.signals.find((s) => s.path === 'TOP.dut.wide')!.width).toBe(100);
    // 2^99 + 1 exactly.
    expect(valueAt(t, id('TOP.dut.wide'), 0n)!.value).toBe((1n << 99n) + 1n);
    // b0000xx1z: x at bits 3 and 2, z at bit 0.
    expect(valueAt(t, id('TOP.bus'), 1n)!.xz).toBe(0b1101n);
    expect(valueAt(t, id('TOP.bus'), 1n)!.value & 0b10n).toBe(0b10n);
    // bX1Z0: uppercase X at bit 3, Z at bit 1.
    expect(valueAt(t, id('TOP.dut.wide'), 1n)!.xz).toBe(0b1010n);
    // Scalars: x, X, Z, then 1 and 0 at the same time (the last wins).
    const s = t.changes.get(id('TOP.dut.s'))!;
    expect(s.map((c) => [c.time, c.value, c.xz])).toEqual([
      [0n, 0n, 1n],
      [1n, 0n, 1n],
      [2n, 0n, 1n],
      [3n, 1n, 0n],
      [3n, 0n, 0n],
    ]);
    expect(valueAt(t, id('TOP.clk'), 1n)!.value).toBe(1n);
  });
  it('keeps only the selected signals', async () => {
    const t = await readVcd(fixture, (s) => s.path === 'TOP.bus');
    expect([...t.changes.keys()]).toEqual([t.signals.find((s) => s.path === 'TOP.bus')!.id]);
    expect(t.signals.length).toBe(5);
  });
});
