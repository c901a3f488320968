import { describe, expect, it } from 'vitest';
import { synth, parseStat } from '../tools/yosys/synth.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { wsPresets } from '../../golden/gemm/config.js';
import { generateEie } from '../../generators/eie/generate.js';
import { eiePresets } from '../../golden/eie/config.js';
import { generateRs } from '../../generators/rs/generate.js';
import { rsPresets } from '../../golden/rs/config.js';
import { SynthError } from '../../golden/common/errors.js';
import type { GeneratedDesign } from '../../generators/common/design.js';

function design(top: string, text: string): GeneratedDesign {
  return {
    design: 'test',
    top,
    configHash: 'x',
    config: {},
    parameters: {},
    ports: [],
    modules: [{ name: top, text }],
  };
}

/** Dividers in a netlist: a `/` or `%` of run-time values (issue 30 wants counters instead). */
const dividers = (r: { cellTypes: Record<string, number> }) =>
  ['$div', '$mod', '$divfloor', '$modfloor'].reduce((a, t) => a + (r.cellTypes[t] ?? 0), 0);

describe('Yosys synthesis check', () => {
  // The small presets here; the 16 x 16 ones (and eie-64pe, eyeriss) under `npm run test:full`
  // (npm run demo synthesizes ws-16x16 too); tpu-v1's area is the scale benchmark's.
  const wsSynth = Object.entries(wsPresets).filter(
    ([n, c]) => (process.env.ACCELFORGE_FULL && c.rows * c.cols <= 256) || n === 'ws-4x4',
  );
  it.each(wsSynth)('synthesizes preset %s with no latch, driver or undriven problem', async (_name, cfg) => {
    const r = await synth(generateGemm('ws', cfg));
    const pes = cfg.rows * cfg.cols;
    // One multiply-accumulate per PE, four multi-operand adders Yosys
    // builds of the controller's MAC count, the strobe population counts and
    // the counters' totals, and six in the native convolution's address
    // generator (ws_convaddr: e U, f U, the plane N Hb Wb, the pixel row,
    // ct times the plane).
    expect(r.cellTypes.$macc_v2 ?? r.cellTypes.$macc).toBe(pes + 4 + 6);
    // The three buffers are memories, not flip-flops.
    expect(r.cellTypes.$mem_v2).toBe(3);
    // Every PE holds two weights, an activation, valid, bank select and a partial sum.
    expect(r.flipFlops).toBeGreaterThanOrEqual(pes * (3 * cfg.dataWidth + 2 + cfg.accWidth));
    expect(r.flipFlops).toBeLessThan(
      pes * (3 * cfg.dataWidth + 2 + cfg.accWidth) + 40 * cfg.cols * cfg.accWidth + 2000,
    );
    expect(r.cells).toBeGreaterThan(r.flipFlops);
    expect(dividers(r)).toBe(0);
  });

  // An odd array (3 x 5, where a division by Rows or Cols cannot become a shift), each dataflow:
  // no divider; a multiplier per PE plus the controllers' multi-operand adders (ws four, os six) and the
  // convolution address generator's seven (its six and ct0 x Rows, a shift when Rows is a power of two).
  it.each([
    ['os', { rows: 3, cols: 5, dataflow: 'os' }, 15 + 6],
    ['ws', { rows: 3, cols: 5 }, 15 + 4 + 7],
    ['ws', { rows: 3, cols: 5, dataflow: 'both' }, 15 + 8 + 7],
  ] as const)('%s %o: no divider', async (name, size, maccs) => {
    const cfg = { ...wsPresets['ws-4x4']!, ...size };
    const r = await synth(generateGemm(name, cfg));
    expect(dividers(r)).toBe(0);
    expect(r.cellTypes.$macc_v2 ?? r.cellTypes.$macc).toBe(maccs);
  });

  // The PE of every dataflow has one multiplier: both shares it between ws and os.
  it.each(['ws', 'os', 'both'] as const)('a %s PE has exactly one multiplier', async (df) => {
    const cfg = { ...wsPresets['ws-4x4']!, dataflow: df };
    const g = generateGemm(df === 'os' ? 'os' : 'ws', cfg);
    const r = await synth({ ...g, top: `${g.design}_pe`, modules: g.modules.filter((m) => m.name.endsWith('_pe')) });
    expect(r.cellTypes.$macc_v2 ?? r.cellTypes.$macc).toBe(1);
    expect(r.cellTypes.$mul).toBeUndefined();
  });

  // eie-64pe synthesizes too (763 s with this WebAssembly Yosys: 64,225 cells, 512 memories), outside the suite.
  it('synthesizes preset eie-4pe: eight memories per PE, no latch, driver or undriven problem', async () => {
    const r = await synth(generateEie(eiePresets['eie-4pe']!));
    expect(r.cellTypes.$mem_v2).toBe(4 * 8);
    expect(r.flipFlops).toBeGreaterThan(4 * 2 * 64); // two nonzero masks per PE at least
    expect(dividers(r)).toBe(0);
  });

  // These take many minutes in this WebAssembly Yosys.
  it.runIf(process.env.ACCELFORGE_FULL)('synthesizes presets eie-64pe and eyeriss (test:full)', async () => {
    const e = await synth(generateEie(eiePresets['eie-64pe']!));
    expect(e.cellTypes.$mem_v2).toBe(64 * 8);
    const cfg = rsPresets.eyeriss!;
    const r = await synth(generateRs(cfg));
    expect(r.cellTypes.$mem_v2).toBe(3 * cfg.peRows * cfg.peCols + 1 + 2 * cfg.peCols + 1);
  });

  it('synthesizes preset rs-4x4: two register-file spads and four filter SRAM banks per PE, the buffer banks, no latch, driver or undriven problem', async () => {
    const cfg = rsPresets['rs-4x4']!;
    const r = await synth(generateRs(cfg));
    const pes = cfg.peRows * cfg.peCols;
    // Per PE the ifmap and psum spads and the filter spad's four banks, the
    // ifmap bank, two psum banks per column (group parity), the DRAM tag
    // queue, write-back's double bias register file.
    expect(r.cellTypes.$mem_v2).toBe((2 + 4) * pes + 1 + 2 * cfg.peCols + 1 + 1);
    expect(r.cellTypes.$macc_v2 ?? 0).toBeGreaterThanOrEqual(pes);
    expect(dividers(r)).toBe(0);
  });

  it('fails on a latch', async () => {
    const d = design(
      'latchy',
      `module latchy (input logic en_i, input logic d_i, output logic q_o);
  always_latch if (en_i) q_o = d_i;
endmodule`,
    );
    await expect(synth(d)).rejects.toBeInstanceOf(SynthError);
    const d2 = design(
      'latchy2',
      `module latchy2 (input logic en_i, input logic d_i, output logic q_o);
  always @* if (en_i) q_o = d_i;
endmodule`,
    );
    await expect(synth(d2)).rejects.toThrow(/latchy2/);
  });

  it('fails on multiple drivers and on undriven nets', async () => {
    const multi = design(
      'multi',
      `module multi (input logic a_i, input logic b_i, output logic q_o);
  assign q_o = a_i;
  assign q_o = b_i;
endmodule`,
    );
    await expect(synth(multi)).rejects.toBeInstanceOf(SynthError);
    const undriven = design(
      'undriven',
      `module undriven (input logic a_i, output logic q_o);
  logic floating;
  assign q_o = a_i & floating;
endmodule`,
    );
    await expect(synth(undriven)).rejects.toBeInstanceOf(SynthError);
  });

  it('parses both stat layouts', () => {
    const s = parseStat(`=== top ===\n   Number of cells:   5\n     $_DFF_PN0_   3\n     $alu   2\n`);
    expect(s).toEqual({ cells: 5, flipFlops: 3, cellTypes: { $_DFF_PN0_: 3, $alu: 2 } });
  });
});
