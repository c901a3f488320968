// Test-side failure handling: a co-simulation mismatch in vitest leaves the
// same artifacts as `verify`, and the JUnit report carries their facts as
// properties (vitest annotations) so CI can upload and link them.
import { join } from 'node:path';
import { beforeEach, expect } from 'vitest';
import type { FailureArtifacts } from '../tools/failure/report.js';

export type Annotate = (message: string, type?: string) => Promise<unknown>;

/** Where tests write failure artifacts (the folder CI uploads). */
export function testArtifactsDir(name: string): string {
  return join(
    process.env.ACCELFORGE_ARTIFACTS ?? 'artifacts',
    'test-failures',
    name.replace(/[^\w.-]+/g, '_').slice(0, 100),
  );
}

export async function annotateFailure(
  annotate: Annotate,
  a: FailureArtifacts,
  facts: { seed?: number; configHash: string; cycle?: number },
) {
  if (facts.seed !== undefined) await annotate(String(facts.seed), 'seed');
  await annotate(facts.configHash, 'configHash');
  if (facts.cycle !== undefined) await annotate(String(facts.cycle), 'failingCycle');
  await annotate(a.dir, 'artifacts');
  for (const f of a.findings) await annotate(f, 'finding');
}

// Checks inside helpers: registerFailureCapture() keeps the running test's
// annotate; failWithArtifacts writes the artifacts, annotates and fails.
let current: Annotate | undefined;

export function registerFailureCapture() {
  beforeEach((ctx) => {
    current = ctx.annotate;
  });
}

export async function failWithArtifacts(
  capture: () => Promise<FailureArtifacts>,
  facts: { seed?: number; configHash: string; cycle?: number },
): Promise<never> {
  const a = await capture();
  if (current) await annotateFailure(current, a, facts);
  expect.fail(a.report);
}
