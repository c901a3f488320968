// Proof that the checks catch bugs: the design generated with a flipped
// product bit in one PE must fail, and the report must name that PE (by the
// output for the column or PE, by the trace for the row) and the cycles.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eiePresets } from '../../golden/eie/config.js';
import { generateEie } from '../../generators/eie/generate.js';
import { eieChain } from '../../golden/eie/golden.js';
import { Random } from '../../golden/common/random.js';
import { runEie } from './sim.js';
import { firstEieMismatch } from './check.js';
import { randomEieProblem } from '../../golden/eie/problem.js';
import { eieFailureArtifacts } from './failure.js';
import { annotateFailure, testArtifactsDir } from '../support/failure.js';
import { expectArtifacts, findingCycle, trace, withFst } from '../support/fault.js';

describe('fault injection: eie-4pe', () => {
  const cfg = eiePresets['eie-4pe']!;
  // Small codebook and activations so no sum saturates and the flip shows.
  const p = randomEieProblem(cfg, 30, [{ rows: 20, weightDensity: 0.5, shift: 0 }], 0.8, new Random(2));
  p.layers[0]!.codebook = p.layers[0]!.codebook.map((_, v) => (v ? BigInt(v * 3 - 20) : 0n));
  p.activations = p.activations.map((x) => x % 200n);
  it.for([
    [0, 0],
    [1, 1],
    [3, 2],
  ] as const)('a flipped product bit in PE %i is caught and localized', async ([k, n], { annotate }) => {
    const design = generateEie(cfg, { fault: { pe: [k], bit: 3 } });
    const res = await runEie(cfg, p, { design, traceFormat: trace(n) });
    const bad = firstEieMismatch(eieChain(cfg.accWidth, p.activations, p.layers).at(-1)!, res.b, res.bCycle);
    expect(bad, 'the fault must change the result').toBeDefined();
    expect(bad!.i % cfg.pes).toBe(k);
    const a = await eieFailureArtifacts(
      {
        cfg,
        configArg: 'eie-4pe',
        problem: p,
        result: res,
        design,
        reproduce: 'test',
        dir: testArtifactsDir(`fault-eie-${k}`),
        fst: withFst(n),
      },
      bad!,
    );
    await annotateFailure(annotate, a, { configHash: design.configHash, cycle: res.marks.done });
    expect(a.findings[0]).toContain(`PE ${k} `);
    const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8'));
    expect(findingCycle(a)).toBeGreaterThanOrEqual(json.window[0]);
    expect(findingCycle(a)).toBeLessThan(json.cycle);
    expectArtifacts(a, json.cycle, withFst(n));
  });
});
