// Proof that the checks catch bugs in the systolic family: the design
// generated with a flipped product bit in one PE must fail, and the report
// must name that PE (ws: the column from the output, the row from the trace;
// os: the PE from the element, checked in the trace) and the cycles; an
// array of both is checked in each dataflow.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { osPresets, parseWsConfig, wsPresets, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { firstGemmMismatch, gemm, randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { runGemmEngine } from './sim.js';
import { gemmFailureArtifacts } from './failure.js';
import { annotateFailure, testArtifactsDir } from '../support/failure.js';
import { expectArtifacts, findingCycle, trace, withFst } from '../support/fault.js';

// npm test injects into the corner PEs (FST and VCD traces); test:full also into an inner one
// (mutate's runs show the checks catching bugs broadly: scripts/flows/mutate.cosim.test.ts).
const inSuite = (pes: (readonly [number, number, number])[]) =>
  process.env.ACCELFORGE_FULL ? pes : pes.filter(([r, c]) => r === c);

const cases: {
  name: Dataflow;
  label: string;
  cfg: GemmConfig;
  df: Dataflow;
  shape: { m: number; k: number; n: number };
  pes: (readonly [number, number, number])[];
}[] = [
  {
    name: 'ws',
    label: 'ws-4x4',
    cfg: wsPresets['ws-4x4']!,
    df: 'ws',
    shape: { m: 9, k: 7, n: 6 },
    pes: inSuite([
      [0, 0, 0],
      [2, 1, 1],
      [3, 3, 2],
    ]),
  },
  {
    name: 'os',
    label: 'os-4x4',
    cfg: osPresets['os-4x4']!,
    df: 'os',
    shape: { m: 9, k: 11, n: 6 },
    pes: inSuite([
      [0, 0, 0],
      [2, 1, 1],
      [3, 3, 2],
    ]),
  },
  // An array of both dataflows, in each (test:full).
  ...bothArray(),
];

function bothArray(): typeof cases {
  if (!process.env.ACCELFORGE_FULL) return [];
  const cfg = parseWsConfig({ rows: 3, cols: 4, dataflow: 'both' });
  const runs = [
    ['ws', [1, 2, 0]],
    ['os', [2, 3, 1]],
  ] as const;
  return runs.map(([df, pe]) => ({
    name: 'ws' as const,
    label: `3x4 both, in ${df}`,
    cfg,
    df,
    shape: { m: 7, k: 6, n: 8 },
    pes: [pe],
  }));
}

for (const { name, label, cfg, df, shape, pes } of cases) {
  describe(`fault injection: ${label}`, () => {
    const p = randomGemmProblem(cfg, shape, new Random(2));
    it.for(pes)('a flipped product bit in PE (%i, %i) is caught and localized', async ([r, c, n], { annotate }) => {
      const design = generateGemm(name, cfg, { fault: { pe: [r, c], bit: 1 } });
      const res = await runGemmEngine(name, cfg, df, p, { design, traceFormat: trace(n) });
      const bad = firstGemmMismatch(gemm(cfg, p), res.c, res.cCycle);
      expect(bad, 'the fault must change the result').toBeDefined();
      if (df === 'ws') expect(bad!.j % cfg.cols).toBe(c);
      else expect([bad!.i % cfg.rows, bad!.j % cfg.cols]).toEqual([r, c]);
      const a = await gemmFailureArtifacts(
        {
          cfg,
          name,
          configArg: label,
          problem: p,
          result: res,
          design,
          reproduce: 'test',
          dir: testArtifactsDir(`fault-${label.replaceAll(/\W+/g, '-')}-${r}-${c}`),
          fst: withFst(n),
        },
        bad!,
      );
      await annotateFailure(annotate, a, { configHash: design.configHash, cycle: res.marks.done0 });
      expect(a.findings[0]).toContain(`PE (${r}, ${c})`);
      expect(a.findings[0]).toContain(df === 'ws' ? 'psum_o != psum_i + a x w' : 'summed wrongly');
      const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8'));
      expect(findingCycle(a)).toBeGreaterThanOrEqual(json.window[0]);
      expect(findingCycle(a)).toBeLessThan(json.cycle);
      expectArtifacts(a, json.cycle, withFst(n));
    });
  });
}
