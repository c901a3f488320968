// The assertions of every design (rtl/common/af_assert.svh): each design's
// RTL carries at least five, and a broken invariant stops a Verilator run
// (--assert) with the assertion's name, instance and cycle
// (AssertionFailedError): the shared FIFO pushed while full or popped while
// empty, a host that withdraws a refused request, and an engine built with a
// parameter its checks refuse.
import { describe, expect, it } from 'vitest';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { primitive } from '../../generators/common/render.js';
import { build, runSim } from '../tools/verilator/runner.js';
import { AssertionFailedError } from '../../golden/common/errors.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { wsPresets } from '../../golden/gemm/config.js';

/** A primitive of rtl/common alone, as a design for a C++ driver. */
function alone(name: string): GeneratedDesign {
  return {
    design: name,
    top: name,
    configHash: name,
    config: {},
    parameters: {},
    ports: [],
    modules: [primitive(name, { design: name, configHash: name, cfg: {}, faultNote: '' })],
  };
}

/** A C++ driver of `top`: resets for two cycles, then calls `step(t)` before each rising edge. */
function driver(top: string, body: string): { name: string; text: string } {
  return {
    name: `${top}_main.cpp`,
    text: `#include "V${top}.h"
#include "verilated.h"
#include <cstring>
int main(int argc, char** argv) {
  VerilatedContext ctx;
  ctx.commandArgs(argc, argv);
  const char* arg = ctx.commandArgsPlusMatch("mode=");
  const char* mode = arg[0] ? arg + 6 : "legal";
  V${top} top{&ctx};
  top.clk_i = 0;
  top.rst_ni = 0;
  top.eval();
  for (int t = 0; t < 24 && !ctx.gotFinish(); t++) {
    top.rst_ni = t >= 2;
${body}
    top.clk_i = 0; top.eval(); ctx.timeInc(1);
    top.clk_i = 1; top.eval(); ctx.timeInc(1);
  }
  top.final();
  return 0;
}
`,
  };
}

/** Runs `mode` and returns the assertion failure it raised (undefined when it passed). */
async function failure(b: Awaited<ReturnType<typeof build>>, mode: string) {
  return runSim(b, { plusargs: { mode } }).then(
    () => undefined,
    (e: unknown) => {
      expect(e, mode).toBeInstanceOf(AssertionFailedError);
      return e as AssertionFailedError;
    },
  );
}

describe('assertions (Verilator --assert)', () => {
  it.each((designs as AnyDesign[]).map((d) => [d.name, d] as const))(
    '%s: the generated RTL carries at least five named assertions',
    (_name, d) => {
      const preset = Object.keys(d.presets)[0]!;
      const text = d
        .generate(d.presets[preset]!)
        .modules.map((m) => m.text)
        .join('\n');
      // Uses, not the macro file's definitions (`define lines).
      const labels = new Set(
        [...text.matchAll(/^\s*`AF_ASSERT(?:_KNOWN|_NEVER|_PARAM|_HIST)?\((\w+),/gm)].map((m) => m[1]),
      );
      expect(labels.size, [...labels].join(' ')).toBeGreaterThanOrEqual(5);
    },
  );

  it('af_fifo pushed while full, or popped while empty, stops the run with the assertion name and cycle', async () => {
    // Depth 4 (the parameter's default): four pushes fill it; legal runs push
    // and pop together when full.
    const body = `    top.push_i = t >= 3 && t <= 6 || (t == 8) || (!strcmp(mode, "push-full") && t == 10);
    top.pop_i = t == 8 || (!strcmp(mode, "pop-empty") && t == 20) || (t >= 12 && t <= 15);
    top.data_i = t;`;
    const b = await build({ design: alone('af_fifo'), harness: [driver('af_fifo', body)] });
    expect(await failure(b, 'legal')).toBeUndefined();
    const full = await failure(b, 'push-full');
    expect(full?.assertion).toBe('NoOverflow');
    expect(full?.scope).toBe('TOP.af_fifo');
    // The push at t = 10 is sampled at that cycle's rising edge.
    expect(full?.message).toContain('assertion NoOverflow failed in TOP.af_fifo at cycle 10');
    expect(full?.message).toContain('push while full');
    const empty = await failure(b, 'pop-empty');
    expect(empty?.assertion).toBe('NoUnderflow');
    expect(empty?.message).toContain('at cycle 20');
  });

  it('af_host_port: a host that withdraws a refused request stops the run (RequestHeld)', async () => {
    // Target 1 is refused while busy (BusyRefused bit 1); busy from t = 4 to 9.
    const body = `    top.busy_i = t >= 4 && t <= 9;
    top.host_req_valid_i = t == 3 || (t >= 5 && t <= 10 && !(!strcmp(mode, "withdraw") && t == 7));
    top.host_req_write_i = 1;
    top.host_req_sel_i = 1;
    top.host_req_addr_i = t == 3 ? 1 : 2;
    top.host_req_wdata_i = 7;
    top.rdata_i = 0; top.late_i = 0; top.late_rdata_i = 0;`;
    const port = alone('af_host_port');
    const b = await build({
      design: port,
      harness: [driver('af_host_port', body)],
      flags: ["-GBusyRefused=4'b0010"],
    });
    expect(await failure(b, 'legal')).toBeUndefined();
    const w = await failure(b, 'withdraw');
    expect(w?.assertion).toBe('RequestHeld');
    expect(w?.scope).toBe('TOP.af_host_port');
    expect(w?.message).toContain('at cycle 7');
  });

  it('a ws engine built with a weight buffer smaller than a tile stops at elaboration with the check name', async () => {
    const design = generateGemm('ws', wsPresets['ws-4x4']!);
    const b = await build({ design, harness: [driver('ws_engine', '')], flags: ['-GBDepth=2'] });
    const err = await runSim(b, { plusargs: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AssertionFailedError);
    const a = err as AssertionFailedError;
    expect(a.assertion).toBe('BufferHoldsWeightTile');
    expect(a.scope).toBe('TOP.ws_engine');
    expect(a.message).toContain('at cycle 0');
  });
});
