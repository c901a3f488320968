// The report's charts of the bench sections live (the live path's speed) and
// int8-conformance (the conformance matrix).
import type { TopLevelSpec } from 'vega-lite';
import type { Int8ConformanceResult, Int8ModelsResult, LiveSimResult } from './bench-schema.js';
import { base } from './report-charts.js';

/** The live path's speed: clock cycles per second with a poke and a peek per cycle, waves off and on. */
export function liveChart(r: LiveSimResult): TopLevelSpec {
  const rows = r.loops.map((l) => ({
    loop: `${l.sim === 'icarus' ? 'Icarus' : 'Verilator'}, waves ${l.waves ? 'on' : 'off'}`,
    cps: Math.round(l.cyclesPerSecond),
  }));
  return {
    ...base(
      `Live simulation of ${r.config}: clock cycles per second`,
      rows,
      'a TypeScript test poking an input, clocking and peeking an output every cycle (one simulator process, shared-memory channel)',
    ),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'loop', type: 'nominal', title: null },
      x: { field: 'cps', type: 'quantitative', title: 'cycles per second', scale: { type: 'log' } },
    },
  } as TopLevelSpec;
}

/** The int8 conformance matrix: outputs checked per cell, split into ties, limits and the rest. */
export function int8ConformanceChart(r: Int8ConformanceResult): TopLevelSpec {
  const rows = r.cells.flatMap((c) => [
    { cell: c.name, kind: 'exact ties', outputs: c.ties },
    { cell: c.name, kind: 'at a limit', outputs: c.saturated },
    { cell: c.name, kind: 'other', outputs: Math.max(0, c.values - c.ties - c.saturated) },
  ]);
  const differ = r.cells.reduce((s, c) => s + c.goldenDiffers + c.rtlDiffers, 0);
  return {
    ...base(
      'int8 conformance: outputs checked against onnxruntime per cell',
      rows,
      `${r.modelsPerCell} random single-node models per cell; outputs where the golden or the RTL differ from onnxruntime: ${differ}`,
    ),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'cell', type: 'nominal', title: null, sort: null },
      x: { field: 'outputs', type: 'quantitative', title: 'outputs', stack: 'zero' },
      color: { field: 'kind', type: 'nominal', title: null },
    },
  } as TopLevelSpec;
}

/** int8 models on the RTL: simulated seconds per 1,000 images, by model and design; the values that differ in the subtitle. */
export function int8ModelsChart(r: Int8ModelsResult): TopLevelSpec {
  const rows = r.runs.map((x) => ({
    run: `${x.model} ${x.config} (${x.format}, ${x.activations})`,
    design: x.design,
    seconds: (1000 * x.simSeconds) / x.images,
  }));
  const differ = r.runs.reduce((s, x) => s + x.differFromOnnxruntime, 0);
  const values = r.runs.reduce((s, x) => s + x.values, 0);
  return {
    ...base(
      'int8 models on the RTL: simulation time per 1,000 test images',
      rows,
      `every quantized tensor against onnxruntime: ${differ} of ${values} values differ`,
    ),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'run', type: 'nominal', title: null, sort: null },
      x: { field: 'seconds', type: 'quantitative', title: 'simulated seconds per 1,000 images' },
      color: { field: 'design', type: 'nominal', title: null },
    },
  } as TopLevelSpec;
}
