// The forbidden descriptors a checked rs run starts before its layer.
import { describe, expect, it } from 'vitest';
import { rsLimits, rsPresets } from '../../golden/rs/config.js';
import { rsDescriptorViolations } from '../../golden/rs/contract.js';
import { rsCase } from './check.js';
import { rsImage } from './host.js';
import { forbiddenDescriptors, refusalsPerRun } from './variant.js';

const cfg = rsPresets['rs-4x4']!;

describe('forbidden descriptors', () => {
  it('draws them near the bounds, every one forbidden by the contract, the same for the same descriptor', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const desc = rsImage(cfg, rsCase(cfg, seed).problem).desc;
      const rs = forbiddenDescriptors(desc, cfg);
      expect(rs).toHaveLength(refusalsPerRun);
      expect(forbiddenDescriptors(desc, cfg)).toEqual(rs);
      for (const r of rs) {
        const changed = Object.keys(desc).filter(
          (k) => r.desc[k as keyof typeof desc] !== desc[k as keyof typeof desc],
        );
        expect(changed.length).toBeGreaterThan(0);
        expect(r.what.split(', ').map((w) => w.split(' ')[0])).toEqual(changed);
        expect(rsDescriptorViolations(rsLimits(cfg), r.desc)).toEqual(r.violations);
        expect(r.violations.length).toBeGreaterThan(0);
        for (const v of Object.values(r.desc)) expect(v >= 0 && v < 2 ** 32).toBe(true);
      }
    }
  });
});
