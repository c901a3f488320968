// rs_desc_check on its own (Icarus) against rsDescriptorViolations
// (golden/rs/contract.ts), descriptor by descriptor: the RTL evaluates the
// rules on narrowed fields (a field past the bound another rule puts on it
// makes the descriptor illegal either way), so the whole 32-bit range of
// every field is drawn here, which full runs cannot reach: legal mappings of
// random layers, then one to three fields set to values at and around their
// bounds, to extremes and to random 32-bit words.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRsConfig, rsLimits, rsPresets, type RsConfig } from '../../golden/rs/config.js';
import { rsDescriptorFields, rsDescriptorViolations, type RsDescriptorField } from '../../golden/rs/contract.js';
import { convShape } from '../../golden/rs/golden.js';
import { Random } from '../../golden/common/random.js';
import { generateRs } from '../../generators/rs/generate.js';
import { buildIcarus, runIcarus } from '../tools/icarus/runner.js';
import { rsLayout } from './host.js';
import { rsCase } from './check.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`rs descriptor check seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const perConfig = process.env.ACCELFORGE_FULL ? 200_000 : 10_000;
const tmp = mkdtempSync(join(tmpdir(), 'af-desc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Desc = Record<RsDescriptorField, number>;
const MAX = 0xffff_ffff;

/** The testbench: one descriptor per line of +vectors (hex, field 0 last), ok_o printed per line. */
const tb = (n: number) => `module desc_check_tb;
  localparam int N = ${n};
  logic [rs_pkg::NumDesc*32-1:0] vec [N];
  logic [rs_pkg::NumDesc*32-1:0] desc;
  logic ok;
  string path;
  rs_desc_check u_dut (.desc_i(desc), .ok_o(ok));
  initial begin
    if (!$value$plusargs("vectors=%s", path)) $fatal(1, "no +vectors");
    $readmemh(path, vec);
    for (int i = 0; i < N; i++) begin
      desc = vec[i];
      #1 $display("ok %0d %0d", i, ok);
    end
    $finish;
  end
endmodule
`;

/** A value near a field's own size or one of the bounds, or an extreme. */
function mutate(rng: Random, v: number, cfg: RsConfig): number {
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
function withDerived(d: Desc): Desc {
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
function atBoundary(d: Desc, cfg: RsConfig, rng: Random): Desc {
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

function vectors(cfg: RsConfig, rng: Random, n: number): Desc[] {
  const out: Desc[] = [];
  for (let i = 0; out.length < n; i++) {
    const c = rsCase(cfg, rng.int(0, 2 ** 30));
    const { desc } = rsLayout(cfg, convShape(c.problem), c.spec.bias !== undefined, !!c.spec.relu);
    out.push(desc);
    for (let j = 0; j < 4; j++) out.push(atBoundary(desc, cfg, rng));
    for (let j = 0; j < 7; j++) {
      const d = { ...desc };
      for (let k = rng.int(1, 3); k > 0; k--) {
        const f = rsDescriptorFields[rng.int(0, rsDescriptorFields.length - 1)]!;
        d[f] = mutate(rng, d[f], cfg);
      }
      out.push(d);
    }
  }
  return out.slice(0, n);
}

const hex = (d: Desc) =>
  [...rsDescriptorFields]
    .reverse()
    .map((f) => (d[f] >>> 0).toString(16).padStart(8, '0'))
    .join('');

const configs: [string, RsConfig][] = [
  ['rs-4x4', rsPresets['rs-4x4']!],
  ['eyeriss', rsPresets.eyeriss!],
  ['odd 3 x 2', parseRsConfig({ peRows: 3, peCols: 2, filterSpad: 37, ifmapSpad: 9, psumSpad: 5, glbBytes: 4096 })],
];

describe('rs_desc_check against the contract over the whole field range', () => {
  for (const [name, cfg] of configs) {
    it(
      `${name}: ${perConfig} descriptors, ok exactly when the contract finds no violation`,
      { timeout: 300_000 },
      async () => {
        const rng = new Random(seed);
        const descs = vectors(cfg, rng, perConfig);
        const g = generateRs(cfg);
        const modules = g.modules.filter((m) => m.name === 'rs_pkg' || m.name === 'rs_desc_check');
        const b = await buildIcarus(
          { ...g, modules, top: 'rs_desc_check' },
          [{ name: 'tb.sv', text: tb(descs.length) }],
          'desc_check_tb',
        );
        const file = join(tmp, `${name.replace(/\W+/g, '_')}.hex`);
        writeFileSync(file, descs.map(hex).join('\n') + '\n');
        const { stdout } = await runIcarus(b, { plusargs: { vectors: file } });
        const got = [...stdout.matchAll(/^ok (\d+) (\d)$/gm)].map((m) => m[2] === '1');
        expect(got.length).toBe(descs.length);
        const lim = rsLimits(cfg);
        let legal = 0;
        descs.forEach((d, i) => {
          const why = rsDescriptorViolations(lim, d);
          if (!why.length) legal++;
          expect(got[i], `descriptor ${i} ${JSON.stringify(d)}: contract says ${why.join('; ') || 'legal'}`).toBe(
            why.length === 0,
          );
        });
        // Both outcomes drawn in numbers (the legal ones include every unmutated mapping).
        expect(legal).toBeGreaterThanOrEqual(perConfig / 8);
        expect(descs.length - legal).toBeGreaterThan(perConfig / 2);
      },
    );
  }
});
