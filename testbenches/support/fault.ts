// Shared checks of the fault-injection tests (designs/*/fault.cosim.test.ts).
import { expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailureArtifacts } from '../tools/failure/report.js';
import { timeOfCycle } from '../tools/failure/vcd.js';

// The first case of each design also writes the FST (a second build); the others only the VCD.
export const withFst = (i: number) => i === 0;
// One build per fault: the checked run uses the VCD build the report's re-run needs.
export const trace = (i: number) => (withFst(i) ? 'fst' : 'vcd');

export function expectArtifacts(a: FailureArtifacts, markerCycle: number, fst: boolean) {
  for (const f of ['waves.vcd', 'waves.gtkw', 'waves.svg', 'report.txt', 'report.json'])
    expect(existsSync(join(a.dir, f)), f).toBe(true);
  expect(existsSync(join(a.dir, 'waves.fst'))).toBe(fst);
  const gtkw = readFileSync(join(a.dir, 'waves.gtkw'), 'utf8');
  expect(gtkw).toContain(`*-4.000000 ${timeOfCycle(markerCycle) + 1n} `);
  expect(gtkw).toMatch(fst ? /\[dumpfile\] ".*waves\.fst"/ : /\[dumpfile\] ".*waves\.vcd"/);
  expect(readFileSync(join(a.dir, 'waves.svg'), 'utf8')).toMatch(/^<svg/);
  expect(readFileSync(join(a.dir, 'waves.vcd'), 'utf8')).toContain('$enddefinitions');
  const json = JSON.parse(readFileSync(join(a.dir, 'report.json'), 'utf8')) as { cycle?: number };
  expect(json.cycle).toBe(markerCycle);
  expect(a.report).toMatch(/reproduce: /);
}

export const findingCycle = (a: FailureArtifacts) => Number(/cycle (\d+)/.exec(a.findings[0] ?? '')?.[1] ?? NaN);
