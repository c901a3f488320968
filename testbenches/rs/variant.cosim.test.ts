// Mappings other than the mapper's: a user's `mapping` in the rs input, and
// verify's variants (one case in three): a legal one computes bit-exact with
// its own models, a forbidden one must be refused by the RTL, and a design
// that does not refuse it fails the check.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../golden/common/errors.js';
import { rsPresets } from '../../golden/rs/config.js';
import { parseRsProblem } from '../../golden/rs/problem.js';
import { rs } from './index.js';
import { mappingVariant, refusalsPerRun } from './variant.js';
import { rsCase } from './check.js';

const cfg = rsPresets['rs-4x4']!;

/** rs-4x4 with a descriptor check that never refuses (its error flag tied low). */
function laxDesign() {
  const design = rs.generate(cfg);
  const seqName = design.modules.find((m) => m.text.includes('error_q <= !desc_ok;'))!.name;
  return {
    ...design,
    configHash: `${design.configHash}-lax-desc`,
    modules: design.modules.map((m) =>
      m.name === seqName ? { ...m, text: m.text.replace('error_q <= !desc_ok;', "error_q <= 1'b0;") } : m,
    ),
  };
}
const layer = {
  ifmap: [
    [
      [
        [1, 2, 3, 4],
        [4, 5, 6, 7],
        [7, 8, 9, 1],
        [1, 2, 3, 4],
      ],
    ],
  ],
  filters: [
    [
      [
        [1, 0],
        [0, -1],
      ],
    ],
    [
      [
        [2, 1],
        [0, 3],
      ],
    ],
  ],
  stride: 1,
  padding: 0,
};

describe('rs mappings other than the mapper’s', () => {
  it('parses a mapping and refuses a malformed or forbidden one naming the field or rule', () => {
    const m = rs.model(cfg, parseRsProblem(layer, cfg), {});
    expect(m.cycles).toBeGreaterThan(0);
    const base = {
      Rg: 2,
      rFolds: 1,
      w: 3,
      strips: 1,
      V: 1,
      Hs: 1,
      q: 1,
      p: 2,
      cGroups: 1,
      mGroups: 1,
      tileRows: 3,
      ring: 2,
      prefetch: 0,
      ifAhead: 0,
    };
    expect(() => parseRsProblem({ ...layer, mapping: { ...base, Rg: undefined } }, cfg, 'in.json')).toThrow(
      /in.json: 'mapping.Rg' is missing/,
    );
    expect(() => parseRsProblem({ ...layer, mapping: { ...base, x: 1 } }, cfg, 'in.json')).toThrow(
      /unknown key 'mapping.x'/,
    );
    expect(() => parseRsProblem({ ...layer, mapping: { ...base, q: -1 } }, cfg, 'in.json')).toThrow(/'mapping.q' = -1/);
    const forbidden = { ...layer, mapping: { ...base, q: 99 } };
    expect(() => rs.parseProblem(forbidden, cfg, 'in.json')).toThrow(InputError);
    expect(() => rs.parseProblem(forbidden, cfg, 'in.json')).toThrow(/q x ring = 99 x/);
  });

  it('a legal variant runs bit-exact with its own cycle model; a forbidden one is refused with nothing written', async () => {
    const seeds = Array.from({ length: 80 }, (_, i) => 1000 + i);
    const legal = seeds.find((s) => mappingVariant(cfg, rsCase(cfg, s).problem, s)?.refused.length === 0)!;
    const refused = seeds.find((s) => (mappingVariant(cfg, rsCase(cfg, s).problem, s)?.refused.length ?? 0) > 0)!;
    for (const [seed, isRefused] of [
      [legal, false],
      [refused, true],
    ] as const) {
      const c = rs.randomCase(cfg, seed);
      expect(c.describe).toContain('mapping ');
      const r = await rs.simulate(cfg, c.problem, { seed, expectInline: true });
      expect(rs.firstMismatch(cfg, c.problem, r), c.describe).toBeUndefined();
      expect(r.refused !== undefined, c.describe).toBe(isRefused);
      if (isRefused) expect(r.refused!.wordsWritten).toBe(0);
      else expect(rs.cycleCheck!(cfg, c.problem, r)!.model).toBe(r.cycles);
    }
  }, 300_000);

  it('a design whose descriptor check never refuses fails the forbidden variant', async () => {
    const seeds = Array.from({ length: 80 }, (_, i) => 2000 + i);
    const seed = seeds.find((s) => (mappingVariant(cfg, rsCase(cfg, s).problem, s)?.refused.length ?? 0) > 0)!;
    const c = rs.randomCase(cfg, seed);
    const lax = laxDesign();
    const outcome = await rs
      .simulate(cfg, c.problem, { design: lax, seed, expectInline: true, maxCycles: 200_000 })
      .then(
        (r) => rs.firstMismatch(cfg, c.problem, r)?.element ?? 'passed',
        () => 'error or hang',
      );
    expect(['descriptor', 'error or hang'], c.describe).toContain(outcome);
  }, 300_000);

  it('a checked run starts forbidden descriptors first: refused by the RTL, missed by a design that never refuses', async () => {
    const c = rsCase(cfg, 3);
    const r = await rs.simulate(cfg, c.problem, { seed: 3, expectInline: true });
    expect(r.prelude).toHaveLength(refusalsPerRun);
    expect(r.preludeFailure).toBeUndefined();
    expect(rs.firstMismatch(cfg, c.problem, r)).toBeUndefined();
    // The layer after them: bit-exact and the cycles of its model (the refusals left nothing behind).
    expect(rs.cycleCheck!(cfg, c.problem, r)!.model).toBe(r.cycles);
    const lax = laxDesign();
    const bad = await rs.simulate(cfg, c.problem, { design: lax, seed: 3, expectInline: true, maxCycles: 2_000_000 });
    expect(bad.preludeFailure).toEqual(r.prelude![0]);
    const m = rs.firstMismatch(cfg, c.problem, bad)!;
    expect(m.element).toBe('descriptor');
    expect(String(m.expected)).toMatch(/^refused \(before the layer: /);
  }, 300_000);
});
