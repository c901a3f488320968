// The systolic family's co-simulation check, shared by its tests: the RTL's
// result against the golden model (a mismatch leaves the failure report and
// waveform), and each pass's busy cycles and every counter against the exact
// cycle and access models of the dataflow that ran.
import { expect } from 'vitest';
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import { firstGemmMismatch, gemm, type GemmProblem } from '../../golden/common/gemm.js';
import { passCycles } from '../../golden/gemm/cycles.js';
import { passAccess } from '../../golden/gemm/access.js';
import { accumulates, requants } from '../../golden/gemm/mapper.js';
import { configHash } from '../../generators/common/render.js';
import { failWithArtifacts, testArtifactsDir } from '../support/failure.js';
import { gemmFailureArtifacts } from './failure.js';
import type { GemmEngineResult } from './sim.js';

export interface ExactContext {
  name: Dataflow;
  seed: number;
  /** The run's host stalls, so a failure's traced re-run repeats it. */
  stallPermille?: number;
  testFile: string;
}

export async function expectExact(
  cfg: GemmConfig,
  p: GemmProblem,
  r: GemmEngineResult,
  what: string,
  x: ExactContext,
): Promise<void> {
  const bad = firstGemmMismatch(gemm(cfg, p), r.c, r.cCycle);
  if (bad) {
    await failWithArtifacts(
      () =>
        gemmFailureArtifacts(
          {
            cfg,
            name: x.name,
            configArg: what,
            problem: p,
            result: r,
            stallPermille: x.stallPermille,
            seed: x.seed,
            reproduce: `ACCELFORGE_SEED=${x.seed} npx vitest run ${x.testFile}`,
            dir: testArtifactsDir(`${x.name}-${what}`),
          },
          bad,
        ),
      { seed: x.seed, configHash: configHash(x.name, cfg), cycle: bad.cycle },
    );
  }
  expect(
    bad,
    `${what}: ${JSON.stringify(bad, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
  ).toBeUndefined();
  r.passes.forEach((ps, i) => {
    const s = { m: ps.mp, k: ps.kp, n: ps.np };
    expect(r.perPass[i]!.cycles, `${what} pass ${i} cycles (${r.dataflow})`).toBe(
      passCycles(cfg, r.dataflow, s, requants(ps)),
    );
    expect(r.perPass[i], `${what} pass ${i} counters (${r.dataflow})`).toEqual(
      passAccess(cfg, r.dataflow, s, accumulates(p, ps), requants(ps)),
    );
  });
}
