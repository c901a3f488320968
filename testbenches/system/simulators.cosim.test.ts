// The two simulators agree: every design that runs on Icarus as well as
// Verilator gets the same host program and must give the same outputs,
// counters and cycle counts, bit for bit (the host program's answers are
// compared whole, read cycles included). Cases include host stalls, so the
// testbench's random stream must match the C++ harness's. The eie cases are
// the regression test of the Icarus 11 zero-time loop (always_comb outputs
// assigned once per block): before the fix they never finished.
import { describe, expect, it } from 'vitest';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { toJson } from '../../golden/common/show.js';
import { testSeed } from '../support/cli.js';

const full = !!process.env.ACCELFORGE_FULL;
const seed = testSeed();
console.log(`simulators seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);

// npm test: the small presets; test:full: all (Icarus needs about 45 s a case on eie-64pe).
const presetsOf = (d: AnyDesign) =>
  Object.keys(d.presets).filter((n) => full || ['ws-4x4', 'rs-4x4', 'eie-4pe', 'os-4x4'].includes(n));

for (const d of (designs as AnyDesign[]).filter((x) => x.simulators.includes('icarus'))) {
  describe(`${d.name} on Verilator and Icarus`, () => {
    for (const preset of presetsOf(d)) {
      it(`${preset}: identical outputs, counters and cycles`, { timeout: 900_000 }, async () => {
        const cfg = d.presets[preset]!;
        const design = d.generate(cfg);
        for (const [i, stall] of [
          [0, undefined],
          [1, 150],
        ] as const) {
          const c = d.randomCase(cfg, seed + i);
          const stallPermille = d.stalls ? (stall ?? c.stallPermille) : undefined;
          const run = (sim: 'verilator' | 'icarus') =>
            d.simulate(cfg, c.problem, { design, stallPermille, seed: c.seed, sim });
          const v = await run('verilator');
          const ic = await run('icarus');
          const what = `${preset} seed ${c.seed} (${c.describe}) stalls ${stallPermille ?? 0}`;
          expect(d.firstMismatch(cfg, c.problem, ic), what).toBeUndefined();
          expect(toJson(d.summary(cfg, c.problem, ic, design)), what).toBe(
            toJson(d.summary(cfg, c.problem, v, design)),
          );
          expect((ic as { marks?: object }).marks, `${what}: trace cycles of the marks`).toEqual(
            (v as { marks?: object }).marks,
          );
          const cyc = d.cycleCheck?.(cfg, c.problem, ic);
          if (cyc) expect(cyc.measured, what).toBe(cyc.model);
        }
      });
    }
  });
}
