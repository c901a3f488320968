// Test-side failure handling: a co-simulation mismatch in vitest leaves the
// same artifacts as `verify`, and the JUnit report carries their facts as
// properties (vitest annotations) so CI can upload and link them.
import { join } from 'node:path';
import type { FailureArtifacts } from '../testbenches/failure/report.js';

export type Annotate = (message: string, type?: string) => Promise<unknown>;

/** Where tests write failure artifacts (the folder CI uploads). */
export function testArtifactsDir(name: string): string {
  return join(process.env.ACCELFORGE_ARTIFACTS ?? 'artifacts', 'test-failures', name.replace(/[^\w.-]+/g, '_'));
}

export async function annotateFailure(annotate: Annotate, a: FailureArtifacts, facts: { seed?: number; configHash: string; cycle?: number }) {
  if (facts.seed !== undefined) await annotate(String(facts.seed), 'seed');
  await annotate(facts.configHash, 'configHash');
  if (facts.cycle !== undefined) await annotate(String(facts.cycle), 'failingCycle');
  await annotate(a.dir, 'artifacts');
  for (const f of a.findings) await annotate(f, 'finding');
}
