// rs under a live test with its DRAM played in TypeScript: a layer equals
// the golden convolution and the batch harness's run (every counter, the
// cycles, each word's write cycle), with DRAM latency 1 and 3.
import { describe, expect, it } from 'vitest';
import { rsPresets } from '../../golden/rs/config.js';
import { conv } from '../../golden/rs/golden.js';
import { randomConvProblem } from '../../golden/rs/problem.js';
import { Random } from '../../golden/common/random.js';
import { runRs } from './sim.js';
import { openRsLive } from './live.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`rs live seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const cfg = rsPresets['rs-4x4']!;

// In test:full: the rs live build (about 30 s cold) would push npm test past its budget;
// ws and os keep the live path in npm test.
describe.runIf(process.env.ACCELFORGE_FULL)('rs live (test:full only)', () => {
  it('runs a layer with a TypeScript DRAM as the batch harness does, equal to the golden model', async () => {
    const rng = new Random(seed);
    const p = randomConvProblem(
      cfg,
      {
        N: 1,
        C: rng.int(1, 3),
        H: rng.int(5, 8),
        W: rng.int(5, 8),
        M: rng.int(1, 5),
        R: 3,
        S: 3,
        stride: 1,
        padding: rng.int(0, 1),
        bias: true,
        relu: rng.bool(0.5),
      },
      rng,
    );
    const live = await openRsLive(cfg);
    try {
      for (const latency of [1, 3]) {
        const batch = await runRs(cfg, p, { dramLatency: latency });
        const r = await live.layer(p, { latency });
        expect(r.ofmap).toEqual(conv(cfg.accWidth, p));
        expect(r.counters).toEqual(batch.counters);
        const cycles = (f: typeof r.ofmapCycle) =>
          r.ofmap.flatMap((img, n) => img.flatMap((ch, m) => ch.flatMap((row, e) => row.map((_, x) => f(n, m, e, x)))));
        expect(cycles(r.ofmapCycle)).toEqual(cycles(batch.ofmapCycle));
        expect(r.harnessCycles).toBe(batch.harnessCycles);
      }
    } finally {
      await live.close();
    }
  });
});
