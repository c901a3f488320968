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
import { atBoundary, nearBound } from './desc-draw.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`rs descriptor check seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const perConfig = process.env.ACCELFORGE_FULL ? 200_000 : 10_000;
const tmp = mkdtempSync(join(tmpdir(), 'af-desc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Desc = Record<RsDescriptorField, number>;

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
        d[f] = nearBound(rng, d[f], cfg);
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
