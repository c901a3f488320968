// SIGINT during the long network jobs: training and Deep Compression run in
// a worker thread, so the CLI answers a signal at once (exit 130) and
// leaves no cache lock or temporary file behind (the next run does not wait).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { repoRoot } from '../../golden/common/repo.js';
import { encodeOnnx } from '../../golden/nn/onnx.js';
import { tinyFc } from '../../testbenches/support/nets.js';

/** Every file and folder below `dir` (relative). */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

async function interrupt(args: string[], models: string, busy: () => boolean) {
  const child = execa(process.execPath, [join(repoRoot, 'scripts/accelforge.mjs'), ...args], {
    reject: false,
    env: { ACCELFORGE_MODELS: models },
    cwd: repoRoot,
  });
  for (let i = 0; i < 1200 && !busy(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(busy()).toBe(true);
  await new Promise((r) => setTimeout(r, 1000)); // well inside the job
  const t0 = Date.now();
  child.kill('SIGINT');
  const r = await child;
  return { ...r, ms: Date.now() - t0 };
}

describe('SIGINT during train and compress', () => {
  it('train: exits 130 at once and leaves no lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-sigtrain-'));
    const models = join(dir, 'models');
    const lock = () => existsSync(models) && tree(models).some((n) => n.endsWith('.lock'));
    const r = await interrupt(['train', 'lenet-300-100', '--out', join(dir, 'x.onnx')], models, lock);
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.ms).toBeLessThan(5000);
    expect(tree(models)).toEqual([]);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
  });

  it('compress: exits 130 at once and leaves no lock or half-written folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-sigcomp-'));
    const models = join(dir, 'models');
    writeFileSync(join(dir, 'tiny.onnx'), encodeOnnx(tinyFc()));
    const compressed = join(dir, 'compressed');
    const lock = () => existsSync(compressed) && tree(compressed).some((n) => n.endsWith('.lock'));
    const r = await interrupt(['compress', join(dir, 'tiny.onnx'), '--out', join(dir, 'c')], models, lock);
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.ms).toBeLessThan(5000);
    expect(tree(compressed)).toEqual([]);
    expect(existsSync(join(dir, 'c'))).toBe(false);
  });
});
