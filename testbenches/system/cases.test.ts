// verify's random cases fit every legal configuration (the memories, the
// scratchpads, the buffers): a property over configurations made from each
// design's parameter table, checked without a simulator.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { validConfigArb } from './config-arb.js';
import { propertySeed } from '../support/cli.js';

describe('random cases fit the configuration', () => {
  for (const d of designs as AnyDesign[]) {
    it(`${d.name}: 300 configurations (full parameter ranges, memories capped at 4096 words)`, () => {
      const caps = Object.fromEntries(
        Object.entries(d.params)
          .filter(([, p]) => p.kind === 'int' && p.max > 4096)
          .map(([k]) => [k, 4096]),
      );
      fc.assert(
        fc.property(
          validConfigArb(d, { ...caps, rows: 32, cols: 32, pes: 64 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          (raw, seed) => {
            const cfg = d.parseConfig(raw, 'generated config');
            const c = d.randomCase(cfg, seed);
            const parse = () =>
              d.parseProblem(
                JSON.parse(JSON.stringify(c.problem, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))),
                cfg,
                'case',
              );
            // rs's forbidden mapping variants (verify checks that the RTL refuses them) are refused as input too.
            if (c.describe.endsWith('(refused)')) expect(parse).toThrow(/case: 'mapping' cannot run this layer/);
            else expect(parse).not.toThrow();
          },
        ),
        { numRuns: 300, seed: propertySeed() },
      );
    });
  }
});
