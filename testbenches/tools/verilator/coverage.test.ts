// Reading Verilator's coverage counts: a file Verilator 5.006 wrote for a toy
// module (testbenches/fixtures/coverage/t.sv, ten cycles with a_i = 0..9,
// so a_i == 15 never holds and a_i[3] rises once), summed per module.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../../../golden/common/repo.js';
import { parseCoverage, summarizeCoverage, unexplainedExclusions } from './coverage.js';
import { coverageText } from './coverage-text.js';

const toy = readFileSync(repoPath('testbenches/fixtures/coverage/toy.dat'), 'latin1');

describe('coverage counts', () => {
  it('reads line and toggle points with file, line, block or signal and count', () => {
    const ps = parseCoverage(toy);
    expect(ps).toHaveLength(18);
    expect(ps.filter((p) => p.kind === 'line')).toHaveLength(4);
    expect(ps.find((p) => p.kind === 'toggle' && p.what === 'a_i[3]')).toMatchObject({
      module: 't',
      file: 't.sv',
      line: 1,
      count: 1,
    });
    expect(ps.find((p) => p.kind === 'line' && p.what === 'if')).toMatchObject({ line: 5, count: 0 });
  });

  it('sums up per module: a line ran once, a bit changed both ways', () => {
    const s = summarizeCoverage(parseCoverage(toy));
    // Lines: the block and the else ran; the reset branch (elsif on line 4: reset was low before the first edge) and
    // the a_i == 15 branch did not.
    expect(s.lines).toEqual({ covered: 2, total: 4 });
    expect(s.modules[0]!.uncoveredLines).toEqual([
      { line: 4, what: 'elsif' },
      { line: 5, what: 'if' },
    ]);
    // Toggles: rst_ni rose once (1), a_i[3] / q_o[3] / q_q[3] once: 4 of 14 bits did not go both ways.
    expect(s.toggles).toEqual({ covered: 10, total: 14 });
    expect(s.modules[0]!.uncoveredToggles.map((t) => t.signal)).toEqual(['rst_ni', 'a_i[3]', 'q_o[3]', 'q_q[3]']);
    expect(coverageText(s)[0]).toBe('coverage: lines 2/4 (50.0 %), toggles 10/14 (71.4 %)');
  });

  it('leaves excluded toggle points out of the ratios and counts them', () => {
    const s = summarizeCoverage(parseCoverage(toy), {
      pick: (ts) => ts.filter((p) => p.module === 't' && p.what === 'a_i[3]'),
      reason: 'tied off',
    });
    expect(s.toggles).toEqual({ covered: 10, total: 13 });
    expect(s.modules[0]!.excludedToggles).toBe(1);
    expect(s.modules[0]!.uncoveredToggles.map((t) => t.signal)).toEqual(['rst_ni', 'q_o[3]', 'q_q[3]']);
    expect(s.excluded).toEqual({ toggles: 1, reason: 'tied off' });
    expect(coverageText(s)[1]).toBe('  toggles exclude 1 signal bits tied off');
  });

  it('merges instances and parameter specializations of a module', () => {
    const renamed = ['line', 'toggle'].reduce(
      (t, k) => t.split(`page\x02v_${k}/t\x01`).join(`page\x02v_${k}/t__W8\x01`),
      toy,
    );
    // The specialization ran every line the first one missed.
    const twice = toy + renamed.replace(/ 0$/gm, ' 1');
    const s = summarizeCoverage(parseCoverage(twice));
    expect(s.modules.map((m) => m.module)).toEqual(['t']);
    expect(s.lines).toEqual({ covered: 4, total: 4 });
  });

  it('allows a coverage exclusion only with a written reason', () => {
    const rtl = [
      '// reason: the default arm is unreachable (state is one-hot, asserted below)',
      '/* verilator coverage_off */',
      'x',
      '/* verilator coverage_off */ // no why',
    ];
    expect(unexplainedExclusions(rtl.join('\n'))).toEqual([4]);
  });
});

describe('coverage exclusions in the RTL', () => {
  it('every verilator coverage_off under rtl/ gives its reason', () => {
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    const files = walk(repoPath('rtl')).filter((f) => /\.(sv|svh|hbs)$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(unexplainedExclusions(readFileSync(f, 'utf8')), f).toEqual([]);
  });
});
