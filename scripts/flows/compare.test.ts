import { describe, expect, it } from 'vitest';
import { layerSets, sampleSpec, syntheticLayer, equalArea, runCompare } from './compare.js';
import { Random } from '../../golden/common/random.js';
import { designByName } from '../../testbenches/registry.js';
import { normalizedEnergy, energyCost } from '../../golden/common/energy.js';

const outDims = (s: { H?: number; W?: number; R?: number; S?: number; U?: number; P?: number }) => [
  Math.floor((s.H! + 2 * s.P! - s.R!) / s.U!) + 1,
  Math.floor((s.W! + 2 * s.P! - s.S!) / s.U!) + 1,
];

describe('compare: layers, samples, models', () => {
  it('has the AlexNet shapes of the anchors (27x27 after CONV2, 13x13 after CONV3-5, 55x55 after CONV1)', () => {
    const [c1, c2, c3, c4, c5] = layerSets['alexnet-conv']!;
    expect(outDims(c1!)).toEqual([55, 55]);
    expect(outDims(c2!)).toEqual([27, 27]);
    for (const c of [c3, c4, c5]) expect(outDims(c!)).toEqual([13, 13]);
    expect(layerSets['alexnet-fc']!.map((l) => [l.K, l.M])).toEqual([
      [9216, 4096],
      [4096, 4096],
      [4096, 1000],
    ]);
  });

  it('samples keep K and the stride and padding, with at most 4 x 8 outputs of 16 filters (conv) or 32 outputs (FC)', () => {
    for (const s of [...layerSets['alexnet-conv']!, ...layerSets['lenet-5']!, ...layerSets['alexnet-fc']!]) {
      const t = sampleSpec(s);
      if (s.op === 'fc') {
        expect([t.K, t.M]).toEqual([s.K, Math.min(s.M, 32)]);
        continue;
      }
      const [E, F] = outDims(t);
      const [E0, F0] = outDims(s);
      expect(E).toBe(Math.min(E0!, 4));
      expect(F).toBe(Math.min(F0!, 8));
      expect([t.C, t.R, t.S, t.U, t.P, t.M]).toEqual([s.C, s.R, s.S, s.U, s.P, Math.min(s.M, 16)]);
    }
  });

  it('synthetic layers have the right geometry and weights in range', () => {
    const l = syntheticLayer(layerSets['alexnet-conv']![0]!, new Random(1));
    expect([l.K, l.M, l.conv!.E, l.conv!.F]).toEqual([363, 96, 55, 55]);
    expect(l.w.length).toBe(96 * 363);
    expect(Math.max(...l.w)).toBeLessThanOrEqual(127);
    expect(Math.min(...l.w)).toBeGreaterThanOrEqual(-127);
  });

  it('the equal-area presets hold 256 PEs and 256,000 B on chip each', () => {
    const bytes: Record<string, number> = {};
    for (const [name, preset] of Object.entries(equalArea['256']!)) {
      const d = designByName(name);
      const c = d.presets[preset] as Record<string, number>;
      expect(d.pes(c)).toBe(256);
      if (name === 'rs')
        bytes[name] =
          c.glbBytes! + (256 * ((c.ifmapSpad! + c.filterSpad!) * c.dataWidth! + c.psumSpad! * c.accWidth!)) / 8;
      // ws: two weight registers per PE; os: a sum and a result slot per PE.
      else
        bytes[name] =
          (c.aDepth! * c.rows! * c.dataWidth! +
            c.bDepth! * c.cols! * c.dataWidth! +
            c.accDepth! * c.cols! * c.accWidth!) /
            8 +
          (256 * (name === 'ws' ? 2 * c.dataWidth! : 2 * c.accWidth!)) / 8;
    }
    expect(bytes).toEqual({ ws: 256000, os: 256000, rs: 256000 });
  });

  it('weighs the levels with the Eyeriss costs', () => {
    const e = normalizedEnergy({ dram: 1, buffer: 2, array: 3, rf: 4, mac: 5 });
    expect(e.total).toBe(200 + 12 + 6 + 4 + 5);
    expect(energyCost).toEqual({ dram: 200, buffer: 6, array: 2, rf: 1, mac: 1 });
  });

  it('GEMM layer models add up their passes (ws and os), rs maps the layer', () => {
    const rng = new Random(2);
    const l = syntheticLayer(layerSets['lenet-5']![1]!, rng);
    for (const [name, preset] of Object.entries(equalArea['16']!)) {
      const d = designByName(name);
      const cfg = d.presets[preset]!;
      const m = d.network!.layerModel!(cfg, l, 2);
      expect(m.counters.macs).toBe(2 * 16 * 10 * 10 * 6 * 25);
      expect(m.cycles).toBeGreaterThan(m.counters.macs! / d.pes(cfg) - 1);
      const e = d.network!.energy!(cfg, m.counters);
      expect(e.total).toBeGreaterThan(m.counters.macs!);
    }
  });

  it('refuses a design named twice before running anything (issue 32: every row was duplicated)', async () => {
    const lines: string[] = [];
    await expect(
      runCompare({ layers: 'lenet-5', batch: 1, pes: '256', designs: ['ws', 'os', 'ws'], log: (l) => lines.push(l) }),
    ).rejects.toThrow("--designs ws,os,ws: 'ws' is named twice; name each design once");
    expect(lines).toEqual([]);
  });
});
