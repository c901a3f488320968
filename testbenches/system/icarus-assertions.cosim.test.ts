// The design's assertions run in Icarus too (rtl/common/af_assert.svh's
// Icarus form): a broken invariant stops the run with the assertion's name
// and instance, as in Verilator, and a correct design runs clean.
import { describe, expect, it } from 'vitest';
import { AssertionFailedError } from '../../golden/common/errors.js';
import { ws } from '../gemm/design.js';
import { icarusAssertion } from '../tools/icarus/runner.js';

describe('assertions in Icarus', () => {
  it('reads the Icarus report: name, instance, cycle', () => {
    const out =
      'FATAL: ws_engine.sv:337: Assertion failed in host_tb.dut.BusyAndDone: \n       Time: 395  Scope: host_tb.dut\n';
    const a = icarusAssertion(out);
    expect(a).toBeInstanceOf(AssertionFailedError);
    expect([a!.assertion, a!.scope, a!.simTime]).toEqual(['BusyAndDone', 'host_tb.dut', 395]);
    expect(a!.message).toContain('at cycle 39');
    expect(icarusAssertion('FATAL: something else')).toBeUndefined();
  });

  it('ws-4x4 with done raised at every start stops on BusyAndDone; unchanged, the case passes', async () => {
    const cfg = ws.presets['ws-4x4']!;
    const design = ws.generate(cfg);
    const csr = design.modules.find((m) => m.name === 'ws_csr')!;
    const needle = 'done_q <= empty_o;';
    expect(csr.text).toContain(needle);
    const broken = {
      ...design,
      configHash: `${design.configHash}-done-at-start`,
      modules: design.modules.map((m) => (m === csr ? { ...m, text: m.text.replace(needle, "done_q <= 1'b1;") } : m)),
    };
    const c = ws.randomCase(cfg, 5);
    const good = await ws.simulate(cfg, c.problem, { design, seed: c.seed, sim: 'icarus' });
    expect(ws.firstMismatch(cfg, c.problem, good)).toBeUndefined();
    const err = await ws.simulate(cfg, c.problem, { design: broken, seed: c.seed, sim: 'icarus' }).catch((e) => e);
    expect(err).toBeInstanceOf(AssertionFailedError);
    expect((err as AssertionFailedError).assertion).toBe('BusyAndDone');
    expect((err as AssertionFailedError).scope).toMatch(/\.dut\.u_csr$/);
  }, 120_000);
});
