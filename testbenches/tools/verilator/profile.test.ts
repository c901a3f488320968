// The build profile switch (ACCELFORGE_BUILD_PROFILE): fast-sim by default,
// fast-build on request, anything else refused naming the allowed values.
import { afterEach, describe, expect, it } from 'vitest';
import { buildProfile } from './runner.js';
import { InputError } from '../../../golden/common/errors.js';

const saved = process.env.ACCELFORGE_BUILD_PROFILE;
afterEach(() => {
  if (saved === undefined) delete process.env.ACCELFORGE_BUILD_PROFILE;
  else process.env.ACCELFORGE_BUILD_PROFILE = saved;
});

describe('build profile', () => {
  it('is fast-sim unless asked, fast-build or coverage on request, and refuses other values', () => {
    delete process.env.ACCELFORGE_BUILD_PROFILE;
    expect(buildProfile()).toBe('fast-sim');
    process.env.ACCELFORGE_BUILD_PROFILE = 'fast-build';
    expect(buildProfile()).toBe('fast-build');
    process.env.ACCELFORGE_BUILD_PROFILE = 'turbo';
    expect(() => buildProfile()).toThrow(InputError);
    expect(() => buildProfile()).toThrow(/'turbo': allowed: fast-sim, fast-build, coverage/);
    process.env.ACCELFORGE_BUILD_PROFILE = 'coverage';
    expect(buildProfile()).toBe('coverage');
  });
});
