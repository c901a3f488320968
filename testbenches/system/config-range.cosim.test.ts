// The accepted range is the verified range (issue 26): configurations drawn
// from each design's whole schema (no simulation caps) and its extremes lint
// -Wall clean, compile in Icarus 11 and pass the system Yosys 0.23. npm test
// lints the largest arrays (256 x 256, 8 x 200) and runs every tool on the
// small extremes and one random configuration per design; test:full runs
// every extreme and 125 random configurations per design (500 in all).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { designs, designByName } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { lint } from '../tools/verilator/runner.js';
import { validConfigArb } from './config-arb.js';
import { propertySeed } from '../support/cli.js';
import { checkAcrossTools, extremeConfigs, peCount } from './config-range.js';

const full = Boolean(process.env.ACCELFORGE_FULL);
const runs = Number(process.env.ACCELFORGE_RANGE_RUNS ?? (full ? 125 : 1));
// npm test's draws stay small: at most 256 PEs and 64 per side (Icarus
// elaborates every PE; Yosys derives one skew delay per column: 1 x 256
// takes 56 s) and eie register files of at most 1,024 rows (8,192 rows take
// Yosys 0.23 14 s, Icarus and Verilator more), eie at most 64 PEs (its
// 256-PE extreme took 30 of npm test's 38 s for eie). test:full has no cap.
const side = (c: Record<string, unknown>) =>
  Math.max(...['rows', 'cols', 'peRows', 'peCols'].map((k) => Number(c[k] ?? 1)));
const quick = (c: Record<string, unknown>) =>
  peCount(c as never) <= 256 && side(c) <= 64 && Number(c.rowsPerPe ?? 0) <= 1024 && Number(c.pes ?? 0) <= 64;
// test:full's sample takes hours (the largest arrays elaborate for minutes in each tool).
const timeout = full ? 6 * 3600_000 : 600_000;

/** test:full's long sample says what it checks and how long each configuration took (the record behind the count). */
async function checked(d: AnyDesign, raw: Record<string, unknown>, what: string): Promise<void> {
  const t0 = Date.now();
  await checkAcrossTools(d.generate(d.parseConfig(raw, what)), peCount(raw as never));
  if (full)
    process.stderr.write(
      `[range] ${d.name} ${JSON.stringify(raw)} passed in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
}

describe('the accepted range (lint, Icarus, system Yosys)', () => {
  it('lints tpu-v1 (ws 256 x 256), os 256 x 256 and the 8 x 200 and 200 x 8 arrays', async () => {
    const ws = designByName('ws'),
      os = designByName('os');
    const g = ws.generate(ws.presets['tpu-v1']!);
    // Linted as it is built: the tile once, the mesh with the tile's ports.
    expect(g.build?.blocks?.[0]?.params).toEqual([{ TileRows: 16, TileCols: 16 }]);
    await lint(g);
    await lint(os.generate(os.presets['os-256x256']!));
    await lint(ws.generate(ws.parseConfig({ rows: 8, cols: 200 }, 'test')));
    await lint(os.generate(os.parseConfig({ rows: 200, cols: 8, dataflow: 'both' }, 'test')));
    // One dataflow with an accumulator row above 8k bits (256 x 48 = 12,288): the other
    // dataflow's write data is a zero fill Verilator's WIDTHCONCAT flagged (found by the
    // 500-configuration sample: ws 7 x 251 with 41-bit accumulators, os 16 x 256 with 40).
    const wide = { rows: 16, cols: 256, dataWidth: 16, accWidth: 48 };
    await lint(ws.generate(ws.parseConfig({ ...wide, dataflow: 'ws' }, 'test')));
    await lint(os.generate(os.parseConfig({ ...wide, dataflow: 'os' }, 'test')));
  });

  for (const d of designs as AnyDesign[]) {
    const extremes = extremeConfigs(d).filter((c) => full || quick(c));
    it(
      `${d.name}: ${extremes.length} extreme configurations pass every tool`,
      async () => {
        for (const raw of extremes)
          await expect(checked(d, raw, 'extreme config'), JSON.stringify(raw)).resolves.toBeUndefined();
      },
      timeout,
    );

    it(
      `${d.name}: ${runs} random configurations over the whole range pass every tool`,
      async () => {
        const seed = propertySeed();
        const arb = validConfigArb(d, {}).filter((c) => full || quick(c));
        await fc.assert(
          fc.asyncProperty(arb, (raw) => checked(d, raw, 'generated config')),
          { numRuns: runs, seed, verbose: 1, endOnFailure: true },
        );
      },
      timeout,
    );
  }
});
