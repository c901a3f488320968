// The public API end to end, as a user's program calls it: each design's
// example problem run on the RTL equals the design's golden model, and its
// measured cycles and counters equal the design's exact models; verify and
// the typed live drivers through the same calls.
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// Each handle as the registry sees it (any design), for one loop over them.
const designs = [api.ws, api.os, api.rs, api.eie].map((d) => api.designByName(d.name));

/** The counters a run reports in the shape the model gives them. */
function measured(name: string, r: Record<string, unknown>): unknown {
  if (name !== 'eie') return r.counters;
  return { layerCycles: r.layerCycles, broadcasts: r.broadcasts, queueFullStalls: r.queueFullStalls, pes: r.pes };
}

describe.each(designs)('API: $name', (d) => {
  it('run equals golden(), and its cycles and counters equal model()', async () => {
    const { preset, problem } = d.example;
    const cfg = api.config(d, preset);
    const parsed = d.parseProblem(problem, cfg, 'example');
    const r = await api.run(d, preset, problem);
    const want = d.golden(cfg, parsed);
    for (const [k, v] of Object.entries(want)) expect(r[k], k).toEqual(v);
    const m = d.model(cfg, parsed);
    expect(r.cycles).toBe(m.cycles);
    expect(measured(d.name, r)).toEqual(m.counters);
  });
});

describe('API: verify and live drivers', () => {
  it('verify returns the report verify --json writes', async () => {
    const lines: string[] = [];
    const r = await api.verify('ws', 'ws-4x4', { seed: 11, cases: 2, log: (l) => lines.push(l) });
    expect(r).toMatchObject({ design: 'ws', config: 'ws-4x4', seed: 11, failed: 0 });
    expect(r.cases).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('PASS'))).toHaveLength(2);
  });

  it('open() gives the typed driver of the design: a GEMM on ws through GemmLive', async () => {
    const live = await api.open(api.ws, 'ws-4x4');
    try {
      const a = [
        [1n, 2n],
        [3n, 4n],
      ];
      const b = [
        [5n, 6n],
        [7n, 8n],
      ];
      const r = await live.gemm({ a, b });
      expect(r.c).toEqual(api.gemm(api.config('ws', 'ws-4x4') as api.GemmConfig, { a, b }));
      expect(r.cycles).toBe(api.ws.model(api.config('ws', 'ws-4x4') as api.GemmConfig, { a, b }).cycles);
    } finally {
      await live.close();
    }
  });
});
