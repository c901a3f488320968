// The tools' declared limits are what a request meets before anything runs:
// Icarus refuses X-propagation and FST traces with the reason; every tool
// names how to install it.
import { describe, expect, it } from 'vitest';
import { simulator, tools } from './sim.js';
import { InputError } from '../../golden/common/errors.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { wsPresets } from '../../golden/gemm/config.js';
import { WsEnginePorts } from '../../generators/gemm/ws_engine.binding.js';

describe('simulator limits', () => {
  const design = generateGemm('ws', wsPresets['ws-4x4']!);
  it('Icarus refuses what it cannot do, naming the limit', () => {
    const ic = simulator('icarus');
    expect(() => ic.buildHost(design, WsEnginePorts, { xprop: true })).toThrow(InputError);
    expect(() => ic.buildHost(design, WsEnginePorts, { xprop: true })).toThrow(/X-propagation .* use verilator/);
    expect(() => ic.buildHost(design, WsEnginePorts, { traceFormat: 'fst' })).toThrow(/icarus writes vcd traces only/);
  });
  it('declares what each tool is and how to install it', () => {
    expect(tools.map((t) => t.name)).toEqual(['verilator', 'icarus', 'yosys']);
    for (const t of tools) expect(t.install).toMatch(/^apt-get install -y \w+/);
    expect(simulator().name).toBe('verilator');
    expect(simulator('verilator').limits).toMatchObject({ xprop: true, assertions: true });
    expect(simulator('icarus').limits).toMatchObject({ xprop: false, assertions: false, traceFormats: ['vcd'] });
  });
});
