// Verilator build profiles (ACCELFORGE_BUILD_PROFILE) and where a coverage
// build's runs write their counts.
import { join } from 'node:path';
import { InputError } from '../../../golden/common/errors.js';

/**
 * Build profiles: 'fast-sim' (the default: -O3 C++, for benchmarks and long
 * runs), 'fast-build' (-O1 C++ split into small files that make -j
 * compiles in parallel: eie-64pe built in 80 s alone, 145 s at -O3, with tracing compiled in;
 * for sweeps and few-case runs; the suite's long simulations lost more than
 * the builds gained) or 'coverage' (line and toggle coverage counters,
 * `verify --coverage`; each run writes its counts to
 * ACCELFORGE_COVERAGE_DIR). ACCELFORGE_BUILD_PROFILE picks it; all are
 * cached side by side (the flags are part of the key).
 */
export const buildProfiles = ['fast-sim', 'fast-build', 'coverage'] as const;
export type BuildProfile = (typeof buildProfiles)[number];
export function buildProfile(): BuildProfile {
  const p = process.env.ACCELFORGE_BUILD_PROFILE;
  if (p === undefined || p === '') return 'fast-sim';
  if ((buildProfiles as readonly string[]).includes(p)) return p as BuildProfile;
  throw new InputError(`ACCELFORGE_BUILD_PROFILE '${p}': allowed: ${buildProfiles.join(', ')}`);
}
export const profileFlags = (p: BuildProfile) =>
  p === 'fast-build'
    ? ['--output-split', '4000', '-MAKEFLAGS', 'OPT_FAST=-O1', '-CFLAGS', '-O1']
    : p === 'coverage'
      ? ['--coverage-line', '--coverage-toggle']
      : [];

let coverageRuns = 0;
/** The +coverage file of a run in a coverage build (one per run, in ACCELFORGE_COVERAGE_DIR). */
export function coverageFile(): string | undefined {
  const dir = process.env.ACCELFORGE_COVERAGE_DIR;
  if (buildProfile() !== 'coverage' || !dir) return undefined;
  return join(dir, `run-${process.pid}-${++coverageRuns}.dat`);
}
