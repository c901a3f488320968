// Area and timing per configuration (issue 30, part 3): the parsers on
// Yosys's own text, then whole reports from the system Yosys checked
// against what the generator promises (SRAM bits = the manifest's SRAM
// instances, register-file bits = its listed register files) and the goal
// that os control stays under 20 % of the design.
import { describe, expect, it } from 'vitest';
import {
  area,
  nand2Of,
  nand2Weights,
  parseLongestPaths,
  parseModuleStats,
  parseSramBits,
  subtreeCells,
} from '../tools/yosys/area.js';
import { designByName } from '../registry.js';
import type { GeneratedDesign } from '../../generators/common/design.js';

const bits = (g: GeneratedDesign, kind: 'sram' | 'register file') =>
  (g.memories ?? []).filter((m) => (m.kind ?? 'sram') === kind).reduce((a, m) => a + m.count * m.width * m.depth, 0);

describe('area parsers', () => {
  it('reads stat sections, ltp paths and SRAM cells as Yosys 0.23 writes them', () => {
    const stat = [
      '=== $paramod$03fa\\os_osseq ===',
      '',
      '   Number of wires:                 41',
      '   Number of cells:                  5',
      '     $_NAND_                         3',
      '     $_DFF_PN0_                      2',
      '',
      '=== top ===',
      '   Number of cells:                  2',
      '     $paramod$03fa\\os_osseq         2',
      '',
      '=== design hierarchy ===',
      '   top                               1',
    ].join('\n');
    const s = parseModuleStats(stat);
    expect(s.map((x) => x.name)).toEqual(['$paramod$03fa\\os_osseq', 'top']);
    expect([...s[0]!.cells]).toEqual([
      ['$_NAND_', 3],
      ['$_DFF_PN0_', 2],
    ]);
    const ltp = parseLongestPaths(
      [
        'Longest topological path in top (length=2):',
        '    0: \\k_q [1]',
        '    1: $abc$1$new_n7_ (via $abc$1$auto$x)',
        '    2: \\row_q [13] (via $abc$1$auto$y)',
        'Longest topological path in leaf (length=0):',
        '    0: \\rst_ni',
      ].join('\n'),
    );
    expect(ltp.get('top')).toEqual({ levels: 2, from: 'k_q [1]', to: 'row_q [13]' });
    expect(ltp.get('leaf')).toEqual({ levels: 0, from: '', to: '' });
    const srams = parseSramBits(
      [
        'module \\os_engine',
        '  cell \\af_sram_1r1w \\u_a',
        '    parameter signed \\Depth 16384',
        '    parameter signed \\Width 24',
        '  cell \\af_sram_1r1w \\u_b',
        "    parameter \\Width 32'00000000000000000000000000001000",
        "    parameter \\Depth 32'00000000000000000000000000010000",
      ].join('\n'),
    );
    expect(srams.get('os_engine')).toBe(16384 * 24 + 8 * 16);
  });

  it('weighs gates and flip-flops as the stated library does', () => {
    expect(nand2Of('$_NAND_')).toBe(1);
    expect(nand2Of('$_NOT_')).toBeCloseTo(0.667, 3);
    expect(nand2Of('$_DFF_P_')).toBeCloseTo(nand2Weights.dff, 9);
    expect(nand2Of('$_DFF_PN0_')).toBeCloseTo(nand2Weights.dffReset, 9);
    expect(nand2Of('$_DFFE_PN0P_')).toBeCloseTo(nand2Weights.dffReset + nand2Weights.enable, 9);
    expect(nand2Of('$_SDFFE_PP0P_')).toBeCloseTo(nand2Weights.dff + nand2Weights.enable + nand2Weights.syncReset, 9);
    expect(nand2Of('af_sram_1r1w')).toBe(0);
  });
});

describe('area and timing from the system Yosys', () => {
  it('os 3 x 5: control (os_ctrl + os_out) under 20 % of the cells; SRAM bits as the manifest lists', async () => {
    const d = designByName('os');
    const g = d.generate(d.parseConfig({ rows: 3, cols: 5 }, 'test'));
    const a = await area(g);
    const control = subtreeCells(a, 'os_ctrl') + subtreeCells(a, 'os_out');
    expect(subtreeCells(a, 'os_engine')).toBe(a.total.cells);
    expect(control / a.total.cells).toBeLessThan(0.2);
    expect(control).toBeGreaterThan(1000); // the sequencers are there, not optimized away
    expect(a.total.memoryBits.sram).toBe(bits(g, 'sram'));
    expect(a.modules.find((m) => m.module === 'os_pe')!.instances).toBe(15);
    // The PE's multiply-accumulate is a real path; the deepest one is named at both ends.
    expect(a.modules.find((m) => m.module === 'os_pe')!.path.levels).toBeGreaterThan(20);
    expect(a.longestPath.levels).toBeGreaterThan(20);
    expect(a.longestPath.from).not.toBe('');
    expect(a.longestPath.to).not.toBe('');
    expect(a.total.nand2).toBeGreaterThan(a.total.cells); // flip-flops weigh more than a gate
  }, 300_000);

  it('eie 2 PEs: register-file bits are the listed register files, SRAM bits the listed instances', async () => {
    const d = designByName('eie');
    const cfg = { pes: 2, rowsPerPe: 8, fifoDepth: 4, maxLayers: 2, ptrDepth: 16, matDepth: 16 };
    const g = d.generate(d.parseConfig(cfg, 'test'));
    const a = await area(g);
    expect(a.total.memoryBits.sram).toBe(bits(g, 'sram'));
    expect(a.total.memoryBits.registerFile).toBe(bits(g, 'register file'));
    expect(a.total.flipFlops).toBeGreaterThanOrEqual(a.total.memoryBits.registerFile);
  }, 300_000);

  // test:full: rs's control is 32-bit logic whatever the array (about 90 s of ABC);
  // npm test checks rs-4x4's storage arrays in memories.cosim.test.ts.
  it.runIf(process.env.ACCELFORGE_FULL)(
    'rs-4x4 (test:full): SRAM bits are the listed instances (filter spads, buffer, bias), register-file bits the listed spads and tags',
    async () => {
      const d = designByName('rs');
      const g = d.generate(d.parseConfig(d.presets['rs-4x4'], 'test'));
      const a = await area(g);
      expect(a.total.memoryBits.sram).toBe(bits(g, 'sram'));
      expect(a.total.memoryBits.registerFile).toBe(bits(g, 'register file'));
      expect(a.modules.find((m) => m.module === 'rs_pe')!.instances).toBe(16);
    },
    300_000,
  );

  // Eyeriss (ISSCC 2016; ../shared/reference/anchors.md): 168 PEs, 1,852 k
  // NAND2-equivalent logic gates, SRAM excluded. Issue 30's goal: within 2x.
  it.runIf(process.env.ACCELFORGE_FULL)(
    'eyeriss preset (test:full, about 3 min): NAND2 equivalents within 2x of the chip; every register is a listed register file or control',
    async () => {
      const d = designByName('rs');
      const g = d.generate(d.parseConfig(d.presets.eyeriss, 'test'));
      const a = await area(g);
      expect(a.total.nand2).toBeLessThan(2 * 1_852_000);
      expect(a.total.memoryBits.registerFile).toBe(bits(g, 'register file'));
      expect(a.total.memoryBits.sram).toBe(bits(g, 'sram'));
      // Outside the register files: the psum chains (38 bits a PE) and control.
      expect(a.total.flipFlops - a.total.memoryBits.registerFile).toBeLessThan(168 * 38 + 10_000);
    },
    900_000,
  );
});
