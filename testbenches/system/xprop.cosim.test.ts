// No behaviour may depend on uninitialized state or survive a reset: every
// design runs random problems bit- and cycle-exact on an X-propagation build
// (--x-initial unique --x-assign unique) under several +verilator+seed
// values, and with reset asserted mid-run (ws, os, eie: a RESET in the host
// program; rs: the DRAM harness's +reset_at restarts it on the same image).
import { describe, expect, it } from 'vitest';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { testSeed } from '../support/cli.js';

const seeds = process.env.ACCELFORGE_FULL ? [1, 2, 3, 17, 12345, 99] : [1, 7];

describe('X-propagation and reset', () => {
  // rs's X-propagation build takes about 20 s: test:full.
  for (const d of designs as AnyDesign[]) {
    const cfg = d.presets[d.example.preset]!;
    it.runIf(Boolean(process.env.ACCELFORGE_FULL) || d.name !== 'rs')(
      `${d.name}: bit- and cycle-exact with random initial state (+verilator+seed ${seeds.join(', ')})`,
      async () => {
        const base = testSeed();
        for (const [i, xprop] of seeds.entries()) {
          const c = d.randomCase(cfg, base + i);
          const r = await d.simulate(cfg, c.problem, { seed: c.seed, stallPermille: c.stallPermille, xprop });
          expect(d.firstMismatch(cfg, c.problem, r), `seed ${c.seed} xprop ${xprop} ${c.describe}`).toBeUndefined();
          const cyc = d.cycleCheck?.(cfg, c.problem, r);
          if (cyc) expect(cyc.measured, `cycles, seed ${c.seed} xprop ${xprop}`).toBe(cyc.model);
        }
      },
    );
    {
      it(`${d.name}: a reset in the middle of a run leaves nothing behind`, async () => {
        const base = testSeed();
        for (let i = 0; i < 3; i++) {
          const c = d.randomCase(cfg, base + i);
          const r = await d.simulate(cfg, c.problem, { seed: c.seed, resetMidRun: true, xprop: 5 + i });
          expect(d.firstMismatch(cfg, c.problem, r), `seed ${c.seed} ${c.describe}`).toBeUndefined();
          const cyc = d.cycleCheck?.(cfg, c.problem, r);
          if (cyc) expect(cyc.measured, `cycles after the reset, seed ${c.seed}`).toBe(cyc.model);
        }
      });
    }
  }
});
