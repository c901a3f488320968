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
import { listedMemories, storageArrays, synthesizedMemories } from '../tools/yosys/memories.js';
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

/** Storage arrays from this size up are SRAM instances or listed register files (issue 30: "above a few hundred bits"). */
const listedFromBits = 256;

/** Every flip-flop array Yosys infers from listedFromBits bits up is a listed register file (with its reason), and back. */
async function arraysListed(d: AnyDesign, cfg: object, what: string): Promise<void> {
  const g = d.generate(cfg);
  const found = await storageArrays(g);
  const listed = (g.memories ?? []).filter((m) => m.kind === 'register file');
  const sameArray = (m: (typeof listed)[number], a: (typeof found)[number]) =>
    m.module === a.module && m.path.split('.').at(-1) === a.name && m.width === a.width && m.depth === a.depth;
  for (const a of found.filter((x) => x.width * x.depth >= listedFromBits))
    expect(
      listed.some((m) => sameArray(m, a)),
      `${what}: ${a.module}.${a.name} ${a.width} x ${a.depth} unlisted`,
    ).toBe(true);
  for (const m of listed.filter((x) => x.width * x.depth >= listedFromBits)) {
    expect(
      found.some((a) => sameArray(m, a)),
      `${what}: listed ${m.path} ${m.width} x ${m.depth} not in the RTL`,
    ).toBe(true);
    expect(m.why, `${what}: ${m.path} has no reason`).toBeTruthy();
  }
}

describe('memories survive synthesis with the SRAM wrapper as a blackbox', () => {
  for (const d of designs as AnyDesign[]) {
    // npm test: the presets of at most 64 PEs (ws-16x16 and os-16x16 took 40 s), at most 16 where the PEs hold
    // memories (eie-64pe takes 77 s, eyeriss and rs-256 over 2 min: every PE is synthesized); test:full: all.
    const presets = Object.entries(d.presets).filter(
      ([, cfg]) => full || (d.pes(cfg) <= 64 && (!['eie', 'rs'].includes(d.name) || d.pes(cfg) <= 16)),
    );
    it(`${d.name}: ${full ? 'every preset keeps' : 'the small presets keep'} every listed memory`, async () => {
      for (const [name, cfg] of presets) await allKept(d, cfg, `${d.name} ${name}`);
    }, 1_800_000);

    it(`${d.name}: every storage array of ${listedFromBits} bits or more is an SRAM or a listed register file`, async () => {
      for (const [name, cfg] of presets) await arraysListed(d, cfg, `${d.name} ${name}`);
      await fc.assert(
        fc.asyncProperty(validConfigArb(d, full ? {} : d.simCaps), (raw) =>
          arraysListed(d, d.parseConfig(raw, 'random config'), JSON.stringify(raw)),
        ),
        { numRuns: runs, seed: propertySeed() + d.order },
      );
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
