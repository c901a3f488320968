// Proof that the checks catch bugs in os: the design generated with a
// flipped product bit in one PE must fail, and the report must name that PE
// (from the element: C[i][j] is PE (i mod R, j mod C)'s, and from the trace).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { osPresets } from '../../golden/os/config.js';
import { generateOs } from '../../generators/os/generate.js';
import { gemm, firstGemmMismatch, randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { runOsEngine } from './sim.js';
import { osFailureArtifacts } from './failure.js';
import { annotateFailure, testArtifactsDir } from '../support/failure.js';
import { expectArtifacts, findingCycle, trace, withFst } from '../support/fault.js';

describe('fault injection: os-4x4', () => {
  const cfg = osPresets['os-4x4']!;
  const p = randomGemmProblem(cfg, { m: 9, k: 11, n: 6 }, new Random(3));
  it.for([
    [0, 0, 0],
    [2, 1, 1],
    [3, 3, 2],
  ] as const)('a flipped product bit in PE (%i, %i) is caught and localized', async ([r, c, n], { annotate }) => {
    const design = generateOs(cfg, { fault: { pe: [r, c], bit: 1 } });
    const res = await runOsEngine(cfg, p, { design, traceFormat: trace(n) });
    const bad = firstGemmMismatch(gemm(cfg, p), res.c, res.cCycle);
    expect(bad, 'the fault must change the result').toBeDefined();
    expect([bad!.i % cfg.rows, bad!.j % cfg.cols]).toEqual([r, c]);
    const a = await osFailureArtifacts(
      {
        cfg,
        configArg: 'os-4x4',
        problem: p,
        result: res,
        design,
        reproduce: 'test',
        dir: testArtifactsDir(`fault-os-${r}-${c}`),
        fst: withFst(n),
      },
      bad!,
    );
    await annotateFailure(annotate, a, { configHash: design.configHash, cycle: res.marks.done0 });
    expect(a.findings[0]).toContain(`PE (${r}, ${c})`);
    expect(a.findings[0]).toContain('summed wrongly');
    const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8'));
    expect(findingCycle(a)).toBeGreaterThanOrEqual(json.window[0]);
    expect(findingCycle(a)).toBeLessThan(json.cycle);
    expectArtifacts(a, json.cycle, withFst(n));
  });
});
