// Every cell of the int8 conformance matrix (scripts/nn/int8-cells.ts): the
// golden forward pass and the RTL (a ws/os engine with the output stage) equal onnxruntime on every
// output; the crafted cells do reach ties and the limits. npm test draws 2
// models per cell, test:full 20 (the bench records 20 in docs/results).
import { describe, expect, it } from 'vitest';
import { conformanceCells, cellName, runCell } from './int8-cells.js';

const layers = process.env.ACCELFORGE_FULL ? 20 : 2;

describe('int8 conformance: RTL = golden = onnxruntime', () => {
  it.each(conformanceCells().map((c, i) => ({ ...c, seed: 1000 + i, label: cellName(c) })))('$label', async (c) => {
    const r = await runCell(c, layers, c.seed);
    expect(r.values).toBeGreaterThan(0);
    expect(r.goldenDiffers, 'golden against onnxruntime').toBe(0);
    expect(r.rtlDiffers, 'the RTL against onnxruntime').toBe(0);
    if (c.crafted === 'ties') expect(r.ties).toBeGreaterThan(r.values / 4);
    if (c.crafted === 'saturation') expect(r.saturated).toBeGreaterThan(r.values / 2);
  });
});
