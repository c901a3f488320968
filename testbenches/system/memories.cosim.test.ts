// Every memory survives synthesis (issue 30): with af_sram_1r1w read as a
// blackbox, as a chip team does before putting SRAM macros in its place,
// the synthesized netlist keeps every instance the manifest lists, for the
// presets and random configurations of every design (npm test: the small
// presets and 2 random per design within the simulation caps; test:full:
// every preset and 20 random over the whole range).
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
    // npm test: the presets of at most 256 PEs (ws-16x16's, not eie-64pe's 77 s); test:full: all of them.
    const presets = Object.entries(d.presets).filter(
      ([, cfg]) => full || (d.pes(cfg) <= 256 && (d.name !== 'eie' || d.pes(cfg) <= 16)),
    );
    it(`${d.name}: ${full ? 'every preset keeps' : 'the small presets keep'} every listed memory`, async () => {
      for (const [name, cfg] of presets) await allKept(d, cfg, `${d.name} ${name}`);
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
