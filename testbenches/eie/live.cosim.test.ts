// eie under a live test: a layer chain run through the host-port driver
// answers what the batch harness answers (outputs, every counter, the host
// cycles) and equals the golden model; layer CSRs by name.
import { describe, expect, it } from 'vitest';
import { eiePresets } from '../../golden/eie/config.js';
import { randomEieProblem } from '../../golden/eie/problem.js';
import { eieChain } from '../../golden/eie/golden.js';
import { Random } from '../../golden/common/random.js';
import { runEie } from './sim.js';
import { openEieLive } from './live.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`eie live seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const cfg = eiePresets['eie-4pe']!;

// In test:full: one more live build (about 15 s cold) than npm test's budget allows;
// ws and os keep the live path in npm test.
describe.runIf(process.env.ACCELFORGE_FULL)('eie live (test:full only)', () => {
  it('runs a two-layer chain as the batch harness does, equal to the golden model', async () => {
    const rng = new Random(seed);
    const p = randomEieProblem(
      cfg,
      rng.int(8, 40),
      [
        { rows: rng.int(4, 30), weightDensity: 0.3, bias: true, relu: true },
        { rows: rng.int(4, 30), weightDensity: 0.5 },
      ],
      0.6,
      rng,
    );
    const batch = await runEie(cfg, p);
    const e = await openEieLive(cfg);
    try {
      const r = await e.layers(p);
      expect(r.b).toEqual(eieChain(cfg.accWidth, p.activations, p.layers).at(-1));
      expect(r.b).toEqual(batch.b);
      expect(r.bCycle).toEqual(batch.bCycle);
      expect({ cycles: r.cycles, layers: r.layerCycles, pes: r.pes }).toEqual({
        cycles: batch.cycles,
        layers: batch.layerCycles,
        pes: batch.pes,
      });
      expect(r.hostCycles).toBe(batch.hostCycles);
      expect(await e.readLayerCsr(1, 'rows')).toBe(BigInt(p.layers[1]!.index.length));
      expect(await e.readCsr('status')).toBe(2n);
    } finally {
      await e.close();
    }
  });
});
