// A build that runs out of memory or time says so, and leaves the cache as it
// was: no entry, no temporary folder, and the next build without the limit
// succeeds. The limits are ACCELFORGE_BUILD_MEMORY and ACCELFORGE_BUILD_TIMEOUT.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { build } from '../tools/verilator/runner.js';
import { buildMemoryBytes, buildTimeoutMs } from '../tools/verilator/build-limits.js';
import { BuildError, InputError } from '../../golden/common/errors.js';
import type { GeneratedDesign } from '../../generators/common/design.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['ACCELFORGE_CACHE', 'ACCELFORGE_BUILD_MEMORY', 'ACCELFORGE_BUILD_TIMEOUT', 'CCACHE_DISABLE'])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});

/** A small design no cache holds (a fresh constant), so the build really runs. */
function fresh(): { design: GeneratedDesign; harness: { name: string; text: string }[] } {
  const c = randomBytes(4).readUInt32BE(0) >>> 1;
  const text = `module lim_top (input logic clk_i, output logic [31:0] q_o);\n  assign q_o = 32'd${c};\n  logic unused;\n  assign unused = clk_i;\nendmodule\n`;
  return {
    design: { top: 'lim_top', modules: [{ name: 'lim_top', text }] } as unknown as GeneratedDesign,
    harness: [{ name: 'h.cpp', text: '#include "Vlim_top.h"\nint main() { Vlim_top t; t.eval(); return 0; }\n' }],
  };
}

function emptyCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'af-limits-'));
  process.env.ACCELFORGE_CACHE = dir;
  process.env.CCACHE_DISABLE = '1';
  return dir;
}

describe('build limits', () => {
  it('reads the limits, refusing values that are not positive numbers', () => {
    delete process.env.ACCELFORGE_BUILD_TIMEOUT;
    delete process.env.ACCELFORGE_BUILD_MEMORY;
    expect(buildTimeoutMs()).toBe(3_600_000);
    expect(buildMemoryBytes()).toBeUndefined();
    process.env.ACCELFORGE_BUILD_MEMORY = '1.5';
    expect(buildMemoryBytes()).toBe(1.5 * 2 ** 30);
    process.env.ACCELFORGE_BUILD_TIMEOUT = '-3';
    expect(() => buildTimeoutMs()).toThrow(InputError);
    expect(() => buildTimeoutMs()).toThrow("ACCELFORGE_BUILD_TIMEOUT '-3': allowed: a positive number (seconds)");
    process.env.ACCELFORGE_BUILD_MEMORY = 'lots';
    expect(() => buildMemoryBytes()).toThrow("ACCELFORGE_BUILD_MEMORY 'lots': allowed: a positive number (GiB)");
  });

  it('a build out of memory says so and leaves the cache consistent', async () => {
    const cache = emptyCache();
    const req = fresh();
    process.env.ACCELFORGE_BUILD_MEMORY = '0.05';
    const e = await build(req).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BuildError);
    expect((e as Error).message).toMatch(
      /^Verilator build failed:\nthe build ran out of memory \(ACCELFORGE_BUILD_MEMORY 0\.05 GiB\)/,
    );
    expect(readdirSync(cache)).toEqual([]);
    delete process.env.ACCELFORGE_BUILD_MEMORY;
    const ok = await build(req);
    expect(ok.cached).toBe(false);
    expect(readdirSync(cache)).toEqual([ok.key]);
  });

  it('a build out of time is stopped, says so and leaves the cache consistent', async () => {
    const cache = emptyCache();
    process.env.ACCELFORGE_BUILD_TIMEOUT = '0.5';
    const t0 = Date.now();
    const e = await build(fresh()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BuildError);
    expect((e as Error).message).toContain('the build exceeded its time limit of 0.5 s (ACCELFORGE_BUILD_TIMEOUT)');
    // Stopped at the limit, not after the build finished (a cold build of this design takes seconds).
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(readdirSync(cache)).toEqual([]);
  });
});
