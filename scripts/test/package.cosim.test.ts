// accelforge as a user installs it: `npm pack`, a new project in a temporary
// folder with examples/directed-test (its vitest file written from the
// README), `npm install`, `vitest run`. The example passes, and with one
// expectation made wrong it fails with the failure report and the waveform
// window. The build cache is the suite's (ACCELFORGE_CACHE), as a user's
// warm cache would be.
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { repoPath, repoRoot } from '../../golden/common/repo.js';
import { buildRoot } from '../../testbenches/tools/cache.js';
import { open, ws } from '../api/index.js';

describe('the packed package in a new project', () => {
  it('installs from the tarball; the example directed test passes, and fails with its waveform when made wrong (that run in test:full)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-pack-'));
    try {
      // npm pack builds dist/ (prepack) and writes the tarball.
      const pack = await execa('npm', ['pack', '--pack-destination', dir], { cwd: repoRoot, reject: false, all: true });
      expect(pack.exitCode, String(pack.all)).toBe(0);
      const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
      const project = join(dir, 'project');
      cpSync(repoPath('examples/directed-test'), project, { recursive: true });
      renameSync(join(dir, tgz), join(project, 'accelforge.tgz'));
      const install = await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
        cwd: project,
        reject: false,
        all: true,
      });
      expect(install.exitCode, String(install.all)).toBe(0);
      // The package's own files: the import entry compiled, the templates at its root.
      const pkg = join(project, 'node_modules', 'accelforge');
      expect(existsSync(join(pkg, 'dist', 'scripts', 'api', 'index.d.ts'))).toBe(true);
      expect(existsSync(join(pkg, 'testbenches', 'tools', 'live', 'live_harness.cpp.hbs'))).toBe(true);

      // Warm the suite's cache with the example's build (the same design and profile) whatever ran before.
      const warm = await open(ws, 'ws-4x4', { waves: true, name: 'ws-gemm-warm' });
      await warm.close();
      const env = { ACCELFORGE_CACHE: buildRoot(), CI: '' };
      const t0 = performance.now();
      const ok = await execa('npx', ['vitest', 'run'], { cwd: project, reject: false, all: true, env });
      const seconds = (performance.now() - t0) / 1000;
      expect(ok.exitCode, String(ok.all)).toBe(0);
      expect(String(ok.all)).toMatch(/1 passed/);
      console.log(`example directed test: ${seconds.toFixed(1)} s with a warm build cache`);

      // The failing half (a second vitest run in the new project) in test:full.
      if (!process.env.ACCELFORGE_FULL) return;
      const bad = await execa('npx', ['vitest', 'run'], {
        cwd: project,
        reject: false,
        all: true,
        env: { ...env, EXAMPLE_WRONG: '1' },
      });
      expect(bad.exitCode).toBe(1);
      expect(String(bad.all)).toMatch(/C\[0\]\[0\]: expected 59 \(0x3b\), got 58 \(0x3a\)/);
      const art = join(project, 'artifacts', 'live', 'ws-gemm');
      for (const f of ['report.txt', 'waves.vcd', 'waves.svg', 'waves.gtkw'])
        expect(existsSync(join(art, f)), f).toBe(true);
      expect(readFileSync(join(art, 'report.txt'), 'utf8')).toMatch(/FAIL ws live ws-gemm/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
