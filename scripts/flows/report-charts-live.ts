// The report's chart of the live path's speed (bench section live).
import type { TopLevelSpec } from 'vega-lite';
import type { LiveSimResult } from './bench-schema.js';
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
