// Proof that the checks catch bugs: the design generated with a flipped
// product bit in one PE must fail, and the report must name that PE (by the
// output for the column or PE, by the trace for the row) and the cycles.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wsPresets } from '../../golden/ws/config.js';
import { generateWs } from '../../generators/ws/generate.js';
import { gemm } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { runWsEngine } from './sim.js';
import { firstGemmMismatch } from './check.js';
import { randomWsProblem } from '../../golden/ws/problem.js';
import { wsFailureArtifacts } from './failure.js';
import { annotateFailure, testArtifactsDir } from '../support/failure.js';
import { expectArtifacts, findingCycle, trace, withFst } from '../support/fault.js';

describe('fault injection: ws-4x4', () => {
  const cfg = wsPresets['ws-4x4']!;
  const p = randomWsProblem(cfg, { m: 9, k: 7, n: 6 }, new Random(2));
  it.for([
    [0, 0, 0],
    [2, 1, 1],
    [3, 3, 2],
  ] as const)('a flipped product bit in PE (%i, %i) is caught and localized', async ([r, c, n], { annotate }) => {
    const design = generateWs(cfg, { fault: { pe: [r, c], bit: 1 } });
    const res = await runWsEngine(cfg, p, { design, traceFormat: trace(n) });
    const bad = firstGemmMismatch(gemm(cfg, p), res.c, res.cCycle);
    expect(bad, 'the fault must change the result').toBeDefined();
    expect(bad!.j % cfg.cols).toBe(c);
    const a = await wsFailureArtifacts(
      {
        cfg,
        configArg: 'ws-4x4',
        problem: p,
        result: res,
        design,
        reproduce: 'test',
        dir: testArtifactsDir(`fault-ws-${r}-${c}`),
        fst: withFst(n),
      },
      bad!,
    );
    await annotateFailure(annotate, a, { configHash: design.configHash, cycle: res.marks.done0 });
    expect(a.findings[0]).toContain(`PE (${r}, ${c})`);
    const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8'));
    expect(findingCycle(a)).toBeGreaterThanOrEqual(json.window[0]);
    expect(findingCycle(a)).toBeLessThan(json.cycle);
    expectArtifacts(a, json.cycle, withFst(n));
  });
});
