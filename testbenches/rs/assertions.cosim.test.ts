import { describe, expect, it } from 'vitest';
import { generateRs } from '../../generators/rs/generate.js';
import { rsPresets } from '../../golden/rs/config.js';
import { build, runSim } from '../tools/verilator/runner.js';
import { AssertionFailedError } from '../../golden/common/errors.js';
import type { GeneratedDesign } from '../../generators/common/design.js';

// rs_dram_arb alone under a C++ driver: a legal request sequence runs
// clean, and each broken invariant stops the simulation with the
// assertion's name and instance (AssertionFailedError), as it would inside
// rs_engine's Verilator builds (--assert).
const harness = `#include "Vrs_dram_arb.h"
#include "verilated.h"
#include <cstring>
int main(int argc, char** argv) {
  VerilatedContext ctx;
  ctx.commandArgs(argc, argv);
  const char* arg = ctx.commandArgsPlusMatch("mode=");
  const char* mode = arg[0] ? arg + 6 : "legal";
  Vrs_dram_arb top{&ctx};
  top.clk_i = 0;
  top.rst_ni = 0;
  top.eval();
  for (int t = 0; t < 24 && !ctx.gotFinish(); t++) {
    top.rst_ni = t >= 2;
    // Legal: the sequencer reads at 4, the loader at 5 and 6, data returns at 8, 9, 10.
    top.seq_rd_valid_i = t == 4 || (!strcmp(mode, "two-readers") && t == 5);
    top.seq_rd_addr_i = 10;
    top.seq_rd_tag_i = (1ULL << 32) | 1;
    top.ld_rd_valid_i = t == 5 || t == 6;
    top.ld_rd_addr_i = 20 + t;
    top.ld_rd_tag_i = (4ULL << 32) | t;
    top.dram_rsp_valid_i = (t >= 8 && t <= 10) || (!strcmp(mode, "stray-response") && t == 14);
    top.seq_wr_valid_i = t == 16 || (!strcmp(mode, "two-writers") && t == 12);
    top.wb_wr_valid_i = t == 12;
    top.clk_i = 0; top.eval(); ctx.timeInc(1);
    top.clk_i = 1; top.eval(); ctx.timeInc(1);
  }
  top.final();
  return 0;
}
`;

function arbiter(): GeneratedDesign {
  const rs = generateRs(rsPresets['rs-4x4']!);
  const modules = rs.modules.filter((m) => ['rs_pkg', 'af_fifo', 'rs_dram_arb'].includes(m.name));
  return { ...rs, top: 'rs_dram_arb', modules };
}

describe('rs SystemVerilog assertions (Verilator --assert)', () => {
  it('a legal request sequence passes; each broken invariant fails the run with the assertion name', async () => {
    const b = await build({ design: arbiter(), harness: [{ name: 'arb_main.cpp', text: harness }] });
    await expect(runSim(b, { plusargs: { mode: 'legal' } })).resolves.toBeDefined();
    for (const [mode, name] of [
      ['two-readers', 'OneReader'],
      ['two-writers', 'OneWriter'],
      ['stray-response', 'ResponseExpected'],
    ] as const) {
      const err = await runSim(b, { plusargs: { mode } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, mode).toBeInstanceOf(AssertionFailedError);
      const a = err as AssertionFailedError;
      expect(a.assertion).toBe(name);
      expect(a.scope).toBe('TOP.rs_dram_arb');
      expect(a.message).toContain(`assertion ${name} failed in TOP.rs_dram_arb at cycle`);
    }
  });
});
