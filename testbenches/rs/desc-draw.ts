// Descriptors drawn around the contract's bounds (golden/rs/contract.ts):
// one to three fields set to values at and around their bounds, to extremes
// and to random 32-bit words, or one factor of a product rule set so that
// the product lands on its bound or just past it, the loop counts rederived.
// testbenches/rs/desc-check.cosim.test.ts checks rs_desc_check on 10,000 of
// them per configuration; every checked run starts some it must refuse
// (testbenches/rs/variant.ts, forbiddenDescriptors).
import { rsLimits, type RsConfig } from '../../golden/rs/config.js';
import { rsDescriptorFields, type RsDescriptorField } from '../../golden/rs/contract.js';
import type { Random } from '../../golden/common/random.js';

type Desc = Record<RsDescriptorField, number>;
const MAX = 0xffff_ffff;

/** A value near a field's own size or one of the bounds, or an extreme. */
export function nearBound(rng: Random, v: number, cfg: RsConfig): number {
  const bounds = [cfg.peRows, cfg.peCols, cfg.ifmapSpad, cfg.filterSpad, cfg.psumSpad, 64];
  const b = bounds[rng.int(0, bounds.length - 1)]!;
  const pick = [
    0,
    1,
    Math.max(0, v - 1),
    v + 1,
    2 * v,
    b,
    b + 1,
    2 ** 31,
    MAX,
    MAX - v + 1, // wraps v + x to 32 bits
    rng.int(0, MAX),
    2 ** rng.int(8, 31) + rng.int(-1, 1),
  ];
  return Math.min(MAX, Math.max(0, pick[rng.int(0, pick.length - 1)]!));
}

/** The output size, loop counts and tile height that follow from the other fields (as the mapper sets them). */
export function withDerived(d: Desc): Desc {
  const cdiv = (a: number, b: number) => (b > 0 ? Math.ceil(a / b) : 0);
  const out = (n: number, k: number) => (n + 2 * d.P >= k ? Math.floor((n + 2 * d.P - k) / d.U) + 1 : 0);
  return {
    ...d,
    E: out(d.H, d.R),
    F: out(d.W, d.S),
    tileRows: (d.w - 1) * d.U + d.Rg,
    rFolds: cdiv(d.R, d.Rg),
    strips: cdiv(d.E, d.w),
    cGroups: cdiv(d.C, d.V * d.q),
    mGroups: cdiv(d.M, d.Hs * d.p),
  };
}

/**
 * One factor of a product rule set so that the product lands on its bound
 * or just past it (random fields almost never do), the loop counts rederived:
 * the boundary of each product is decided by that rule alone.
 */
export function atBoundary(d: Desc, cfg: RsConfig, rng: Random): Desc {
  const lim = rsLimits(cfg);
  const h = d.prefetch + 1;
  const wq = Math.ceil(d.W / 4);
  const delta = rng.int(0, 1);
  const fit = (bound: number, others: number) => Math.max(1, Math.floor(bound / Math.max(1, others)) + delta);
  // W so that the output width F (or the buffer lines) lands on the bound.
  const widthFor = (f: number, u: number) => Math.max(1, (f - 1) * u + d.S - 2 * d.P + rng.int(0, u - 1));
  const linesW = (u: number) => {
    const tr = (d.w - 1) * u + d.Rg;
    return Math.max(1, 4 * fit(lim.ifmapLines, d.V * d.q * tr * h) - rng.int(0, 3));
  };
  const tweaks: (() => Desc)[] = [
    () => ({ ...d, W: widthFor(fit(lim.psumHalf, d.p), d.U) }),
    () => ({ ...d, W: linesW(d.U) }),
    () => ({ ...d, U: 64, W: linesW(64) }),
    () => ({ ...d, V: fit(lim.peRows, d.Rg) }),
    () => ({ ...d, Hs: fit(lim.peCols, d.w) }),
    () => ({ ...d, p: fit(lim.psumHalf, d.F) }),
    () => ({ ...d, q: fit(lim.ifmapSpad, d.ring) }),
    () => ({ ...d, p: fit(lim.filterSpad, d.q * d.S * h) }),
    () => ({ ...d, q: fit(lim.filterSpad, d.p * d.S * h) }),
    () => ({ ...d, V: fit(lim.ifmapLines, d.q * d.tileRows * wq * h) }),
    () => ({ ...d, q: fit(lim.ifmapLines, d.V * d.tileRows * wq * h) }),
    () => ({ ...d, prefetch: 1, ifAhead: 1, q: fit(lim.ifmapSpad, 2 * d.ring) }),
  ];
  return withDerived(tweaks[rng.int(0, tweaks.length - 1)]!());
}

/** A descriptor drawn from `desc`: at a product rule's boundary (one in three) or with one to three fields moved. */
export function descriptorNear(desc: Desc, cfg: RsConfig, rng: Random): Desc {
  if (rng.bool(1 / 3)) return atBoundary(desc, cfg, rng);
  const d = { ...desc };
  for (let k = rng.int(1, 3); k > 0; k--) {
    const f = rsDescriptorFields[rng.int(0, rsDescriptorFields.length - 1)]!;
    d[f] = nearBound(rng, d[f], cfg);
  }
  return d;
}
