// Proof that the checks catch bugs: the design generated with a flipped
// product bit in one PE must fail, and the report must name that PE (by the
// output for the column or PE, by the trace for the row) and the cycles.
import { describe, expect, it } from 'vitest';
import { rsPresets } from '../../golden/rs/config.js';
import { conv } from '../../golden/rs/golden.js';
import { generateRs } from '../../generators/rs/generate.js';
import { Random } from '../../golden/common/random.js';
import { runRs } from './sim.js';
import { randomConvProblem } from '../../golden/rs/problem.js';
import { firstRsMismatch, rsFailureArtifacts } from './failure.js';
import { annotateFailure, testArtifactsDir } from '../support/failure.js';
import { expectArtifacts, findingCycle, trace, withFst } from '../support/fault.js';

describe('fault injection: rs-4x4', () => {
  const cfg = rsPresets['rs-4x4']!;
  // R = 4 filter rows and 8 output rows in strips of 4: every PE works.
  const p = randomConvProblem(cfg, { N: 1, C: 3, H: 9, W: 8, M: 5, R: 4, S: 3, stride: 1, padding: 1 }, new Random(3));
  // npm test: PE (0, 0) (an FST trace); test:full also the far corner (a VCD trace) and an inner one (mutate shows the checks broadly).
  const pes = [
    [0, 0, 0],
    [1, 2, 1],
    [3, 3, 2],
  ] as const;
  it.for(process.env.ACCELFORGE_FULL ? pes : pes.slice(0, 1))(
    'a flipped product bit in PE (%i, %i) is caught and localized',
    async ([r, c, n], { annotate }) => {
      const design = generateRs(cfg, { fault: { pe: [r, c], bit: 2 } });
      const want = conv(cfg.accWidth, p);
      const res = await runRs(cfg, p, { design, traceFormat: trace(n), expect: want });
      // The DRAM stopped the run at the first wrong write.
      expect(res.stopped).toBeDefined();
      const bad = firstRsMismatch(cfg, p, res, want);
      expect(bad, 'the fault must change the result').toBeDefined();
      expect(bad!.column).toBe(c);
      expect(bad!.cycle).toBe(res.ofmapCycle(bad!.n, bad!.m, bad!.e, bad!.f));
      const a = await rsFailureArtifacts(
        {
          cfg,
          configArg: 'rs-4x4',
          problem: p,
          result: res,
          design,
          reproduce: 'test',
          dir: testArtifactsDir(`fault-rs-${r}-${c}`),
          fst: withFst(n),
        },
        bad!,
      );
      await annotateFailure(annotate, a, { configHash: design.configHash, cycle: bad!.cycle });
      expect(a.findings[0]).toContain(`PE (${r}, ${c})`);
      expect(findingCycle(a)).toBeLessThan(bad!.cycle);
      expectArtifacts(a, bad!.cycle, withFst(n));
    },
  );
});
