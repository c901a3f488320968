// Progress off a terminal: plain count lines when asked, nothing when quiet;
// on a terminal the bar (counts, label, elapsed time) goes to the stream.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { progress } from './progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const s = new Writable({
    write(c, _e, cb) {
      chunks.push(String(c));
      cb();
    },
  }) as unknown as NodeJS.WriteStream & { columns: number };
  Object.assign(s, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { s, text: () => chunks.join('') };
}

describe('progress', () => {
  it('writes a count line per step off a terminal', () => {
    const o = sink(false);
    const p = progress({ total: 3, unit: 'cases', stream: o.s });
    p.update(1, 'seed 7');
    p.update(1, 'seed 7');
    p.update(2);
    p.stop();
    const lines = o.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^1\/3 cases seed 7 \(\d+\.\d s\)$/);
    expect(lines[1]).toMatch(/^2\/3 cases \(\d+\.\d s\)$/);
  });
  it('is silent when quiet or asked to be quiet off a terminal', () => {
    for (const o of [{ quiet: true }, { offTty: 'quiet' as const }]) {
      const out = sink(false);
      const p = progress({ total: 2, unit: 'images', stream: out.s, ...o });
      p.update(1);
      p.stop();
      expect(out.text()).toBe('');
    }
  });
  it('draws a bar with the counts and label on a terminal', () => {
    const o = sink(true);
    const p = progress({ total: 4, unit: 'layers', stream: o.s });
    p.update(3, 'CONV2');
    p.stop();
    expect(o.text()).toContain('3/4 layers | CONV2 |');
  });
});
