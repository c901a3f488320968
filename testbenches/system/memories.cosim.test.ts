// Every memory survives synthesis (issue 30): with af_sram_1r1w read as a
// blackbox, as a chip team does before putting SRAM macros in its place,
// the synthesized netlist keeps every instance the manifest lists, for
// every preset and for random configurations of every design (npm test: 2
// per design within the simulation caps; test:full: 20 over the whole range).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { listedMemories, synthesizedMemories } from '../tools/yosys/memories.js';
import { validConfigArb } from './config-arb.js';
import { propertySeed } from '../support/cli.js';

const full = Boolean(process.env.ACCELFORGE_FULL);
const runs = full ? 20 : 2;

async function allKept(d: AnyDesign, cfg: object, what: string): Promise<void> {
  const g = d.generate(cfg);
  const kept = await synthesizedMemories(g);
  expect(kept.length, `${what}: ${kept.join(', ')}`).toBe(listedMemories(g));
  expect(listedMemories(g), what).toBeGreaterThan(0);
}

describe('memories survive synthesis with the SRAM wrapper as a blackbox', () => {
  for (const d of designs as AnyDesign[]) {
    it(`${d.name}: every preset keeps every listed memory`, async () => {
      for (const [name, cfg] of Object.entries(d.presets)) await allKept(d, cfg, `${d.name} ${name}`);
    }, 1_800_000);

    it(`${d.name}: ${runs} random configurations keep every listed memory`, async () => {
      await fc.assert(
        fc.asyncProperty(validConfigArb(d, full ? {} : d.simCaps), (raw) =>
          allKept(d, d.parseConfig(raw, 'random config'), JSON.stringify(raw)),
        ),
        { numRuns: runs, seed: propertySeed() + d.order },
      );
    }, 1_800_000);
  }
});
