// Deep Compression's pieces on their own: exact pruning, weight sharing with
// code 0 reserved, centroid fine-tuning by the summed gradient, float16
// rounding (the container's format is tested in container.test.ts).
import { describe, expect, it } from 'vitest';
import { param } from './layers.js';
import { pruneParam, shareParam, toHalf } from './compress.js';
import { Adam, Rng } from './train.js';
import { kmeans1d } from './deep-compression.js';

describe('Deep Compression steps', () => {
  it('prunes to exactly round(density x n) weights, largest magnitude first', () => {
    const rng = new Rng(3);
    for (const density of [0.01, 0.083, 0.5, 1]) {
      const p = param('w', [37, 53]);
      p.w.forEach((_, i) => (p.w[i] = rng.normal()));
      const before = Float32Array.from(p.w);
      const kept = pruneParam(p, density);
      expect(kept).toBe(Math.round(density * 37 * 53));
      expect(p.mask!.reduce((a, b) => a + b, 0)).toBe(kept);
      const keptMin = Math.min(
        ...Array.from(before)
          .filter((_, i) => p.mask![i])
          .map(Math.abs),
      );
      const droppedMax = Math.max(
        0,
        ...Array.from(before)
          .filter((_, i) => !p.mask![i])
          .map(Math.abs),
      );
      expect(keptMin).toBeGreaterThanOrEqual(droppedMax);
      expect(Array.from(p.w).filter((v, i) => !p.mask![i] && v !== 0)).toEqual([]);
    }
  });

  it('reproduces the paper example of k-means with linear initialization', () => {
    const w = [2.09, -0.98, 1.48, 0.09, 0.05, -0.14, -1.08, 2.12, -0.91, 1.92, 0, -1.03, 1.87, 0, 1.53, 1.49];
    const km = kmeans1d(w, 4);
    expect(km.centroids.map((c) => Math.round(c * 100) / 100)).toEqual([-1, 0, 1.5, 2]);
  });

  it('shares weights with code 0 reserved for pruned ones; fine-tuning moves each centroid by its summed gradient', () => {
    const p = param('w', [2, 4]);
    p.w.set([0.9, -0.5, 0, 1.1, -0.45, 0, 0.05, 1.0]);
    p.mask = Uint8Array.from(p.w, (v) => (v !== 0 ? 1 : 0));
    shareParam(p, 2);
    expect(p.centroids![0]).toBe(0);
    expect(Array.from(p.cluster!).filter((c, i) => p.mask![i] === 0 && c !== 0)).toEqual([]);
    const before = Float32Array.from(p.centroids!);
    // Gradients: cluster of 0.9/1.0/1.1 sums to +3, the negative cluster to 0.
    p.g.set([1, 0.5, 7, 1, 0.5, 9, 0, 1]);
    p.g[4] = -0.5;
    const pos = p.cluster![0]!,
      neg = p.cluster![1]!;
    new Adam(0.01).step([p]);
    // Adam's first step moves a parameter by lr x sign(its gradient); a zero sum leaves it.
    expect(p.centroids![pos]! - before[pos]!).toBeCloseTo(-0.01, 5);
    expect(p.centroids![neg]).toBeCloseTo(before[neg]!, 6);
    expect(p.centroids![0]).toBe(0);
    for (let i = 0; i < 8; i++) expect(p.w[i]).toBe(p.centroids![p.cluster![i]!]);
  });
});

describe('float16 rounding', () => {
  it('rounds to the nearest float16 and saturates at 65504', () => {
    expect([toHalf(1 / 3), toHalf(-1e-9), toHalf(70000), toHalf(0.5)]).toEqual([0.333251953125, -0, 65504, 0.5]);
  });
});
