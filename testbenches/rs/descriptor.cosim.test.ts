// A descriptor the engine cannot run is refused, not computed: the RTL's
// check after DESC (error_o, done_o, nothing written to DRAM, no counters)
// against rsDescriptorViolations (contract.ts), which must agree rule for
// rule. Random legal mappings are mutated one field at a time: a mutation
// the contract allows must still compute bit-exact with its cycle model; one
// it forbids must be refused.
import { describe, expect, it } from 'vitest';
import { rsLimits, rsPresets } from '../../golden/rs/config.js';
import { conv, convShape } from '../../golden/rs/golden.js';
import { mapConv } from '../../golden/rs/mapper.js';
import { rsCycles } from '../../golden/rs/cycles.js';
import { rsDescriptorViolations, rsMappingFields, type RsMapping } from '../../golden/rs/contract.js';
import { rsImage } from './host.js';
import { runRs, RsDescriptorRefused } from './sim.js';
import { rsCase } from './check.js';
import { Random } from '../../golden/common/random.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`rs descriptor seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const cfg = rsPresets['rs-4x4']!;
const mutations = process.env.ACCELFORGE_FULL ? 60 : 14;

const fields = rsMappingFields;

describe('rs descriptor check (RTL against contract.ts)', () => {
  it("refuses the issue's example: q x ring beyond the ifmap scratchpad", async () => {
    const c = rsCase(cfg, seed);
    const m = mapConv(cfg, convShape(c.problem), c.spec.bias);
    const bad: RsMapping = { ...m, q: Math.floor(cfg.ifmapSpad / m.ring) + 1 };
    const why = rsDescriptorViolations(rsLimits(cfg), rsImage(cfg, c.problem, bad).desc);
    expect(why.some((w) => w.startsWith('q x ring'))).toBe(true);
    const e = await runRs(cfg, c.problem, { mapping: bad }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(RsDescriptorRefused);
    expect((e as RsDescriptorRefused).wordsWritten).toBe(0);
    expect((e as Error).message).toMatch(/q x ring = \d+ x \d+ = \d+ ifmap scratchpad entries; it holds 12/);
  });

  it(
    `${mutations} one-field mutations of legal mappings: refused exactly when the contract forbids them`,
    { timeout: 900_000 },
    async () => {
      const rng = new Random(seed);
      let refused = 0,
        ran = 0;
      for (let i = 0; i < mutations; i++) {
        const c = rsCase(cfg, seed + i);
        const m = mapConv(cfg, convShape(c.problem), c.spec.bias);
        const f = fields[rng.int(0, fields.length - 1)]!;
        const v = m[f];
        const mutated: RsMapping = { ...m, [f]: [0, v - 1, v + 1, 2 * v, v + 7][rng.int(0, 4)]! };
        const why = rsDescriptorViolations(rsLimits(cfg), rsImage(cfg, c.problem, mutated).desc);
        const what = `case seed ${seed + i}: ${f} ${v} -> ${mutated[f]} (${c.describe}); contract: ${why.join('; ') || 'legal'}`;
        const r = await runRs(cfg, c.problem, { mapping: mutated, maxCycles: 2_000_000 }).catch((e: unknown) => e);
        if (why.length) {
          refused++;
          expect(r, what).toBeInstanceOf(RsDescriptorRefused);
          expect((r as RsDescriptorRefused).wordsWritten, what).toBe(0);
        } else {
          ran++;
          expect(r, what).not.toBeInstanceOf(Error);
          const res = r as Awaited<ReturnType<typeof runRs>>;
          expect(res.ofmap, what).toEqual(conv(cfg.accWidth, c.problem));
          expect(res.cycles, what).toBe(rsCycles(cfg, mutated, convShape(c.problem), !!c.spec.bias));
        }
      }
      console.log(`rs descriptor mutations: ${refused} refused, ${ran} legal and bit-exact`);
      expect(refused).toBeGreaterThan(0);
    },
  );
});
