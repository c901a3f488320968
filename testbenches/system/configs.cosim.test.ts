// Random valid configurations of every design, generated from its parameter
// table: each lints -Wall clean and runs a random problem bit- and
// cycle-exact, on Icarus too where the design runs there (equal results and
// cycles). A failure shrinks to a small configuration, printed with the
// seed (ACCELFORGE_SEED=<seed> reruns it). npm test runs a small budget,
// test:full 50 configurations per design.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { lint } from '../tools/verilator/runner.js';
import { validConfigArb } from './config-arb.js';
import { propertySeed } from '../support/cli.js';
import { toJson } from '../../golden/common/show.js';

const runs = Number(process.env.ACCELFORGE_CONFIG_RUNS ?? (process.env.ACCELFORGE_FULL ? 50 : 1));

describe('random valid configurations (property-based)', () => {
  // npm test: ws and os (their random configs build in seconds); eie and rs (about 20 s a build) in test:full.
  const inSuite = (d: AnyDesign) => Boolean(process.env.ACCELFORGE_FULL) || ['ws', 'os'].includes(d.name);
  for (const d of designs as AnyDesign[]) {
    it.runIf(inSuite(d))(
      `${d.name}: ${runs} configurations lint clean and run a random problem bit-exact`,
      async () => {
        const seed = propertySeed();
        await fc.assert(
          fc.asyncProperty(validConfigArb(d), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (raw, caseSeed) => {
            const cfg = d.parseConfig(raw, 'generated config');
            const design = d.generate(cfg);
            await lint(design);
            const c = d.randomCase(cfg, caseSeed);
            const r = await d.simulate(cfg, c.problem, { design, stallPermille: c.stallPermille, seed: c.seed });
            const bad = d.firstMismatch(cfg, c.problem, r);
            expect(bad, `${JSON.stringify(raw)} case seed ${caseSeed} (${c.describe})`).toBeUndefined();
            const cyc = d.cycleCheck?.(cfg, c.problem, r);
            if (cyc) expect(cyc.measured, `cycles of ${JSON.stringify(raw)} case seed ${caseSeed}`).toBe(cyc.model);
            if (d.simulators.includes('icarus')) {
              // The second simulator: the same program, the same answers and cycles.
              const ic = await d.simulate(cfg, c.problem, {
                design,
                stallPermille: c.stallPermille,
                seed: c.seed,
                sim: 'icarus',
              });
              expect(
                toJson(d.summary(cfg, c.problem, ic, design)),
                `icarus, ${JSON.stringify(raw)} case seed ${caseSeed}`,
              ).toBe(toJson(d.summary(cfg, c.problem, r, design)));
            }
          }),
          { numRuns: runs, seed, verbose: 1 },
        );
      },
    );
  }
});
