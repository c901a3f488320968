// rs section: AlexNet CONV1-5 on the eyeriss preset, one RTL run per mapper
// objective, each bit-exact, equal to the cycle model, and every counter
// equal to the access model.
import { Random } from '../../golden/common/random.js';
import { rsPresets } from '../../golden/rs/config.js';
import { convShape } from '../../golden/rs/golden.js';
import { type RsObjective } from '../../golden/rs/mapper.js';
import { rsAccessLevels, rsAccesses, rsEnergy } from '../../golden/rs/access.js';
import type { RsCounters, RsMapping } from '../../golden/rs/contract.js';
import { randomConvProblem } from '../../golden/rs/problem.js';
import { designByName } from '../../testbenches/registry.js';
import type { RsAlexnetResult, RsRun } from '../flows/bench-results.js';
import { checkedRun, type Data } from './env.js';

// AlexNet CONV layers per group as Eyeriss ran them (anchors.md), one image.
const alexnetConv = [
  { name: 'CONV1', C: 3, H: 227, W: 227, M: 96, R: 11, S: 11, stride: 4, padding: 0, chipActive: 154 },
  { name: 'CONV2', C: 48, H: 27, W: 27, M: 256, R: 5, S: 5, stride: 1, padding: 2, chipActive: 135 },
  { name: 'CONV3', C: 256, H: 13, W: 13, M: 384, R: 3, S: 3, stride: 1, padding: 1, chipActive: 156 },
  { name: 'CONV4', C: 192, H: 13, W: 13, M: 384, R: 3, S: 3, stride: 1, padding: 1, chipActive: 156 },
  { name: 'CONV5', C: 192, H: 13, W: 13, M: 256, R: 3, S: 3, stride: 1, padding: 1, chipActive: 156 },
];

const mapText = (m: RsMapping) =>
  `${m.Rg}x${m.w} sets: V=${m.V} Hs=${m.Hs} p=${m.p} q=${m.q}${m.prefetch ? ', prefetch' : ''}${m.ifAhead ? ', ifmap ahead' : ''}`;

export async function rsAlexnet(): Promise<Data<RsAlexnetResult>> {
  const rs = designByName('rs');
  const cfg = rsPresets.eyeriss!;
  const pes = cfg.peRows * cfg.peCols;
  const layers: RsAlexnetResult['layers'] = [];
  for (const L of alexnetConv) {
    const p = randomConvProblem(cfg, { N: 1, ...L, bias: true, relu: true }, new Random(L.C * 1000 + L.M));
    const sh = convShape(p);
    const macs = sh.M * sh.C * sh.R * sh.S * sh.E * sh.F;
    const measure = async (objective: RsObjective): Promise<RsRun> => {
      const { r } = await checkedRun<{ cycles: number; simSeconds: number; counters: RsCounters; mapping: RsMapping }>(
        rs,
        cfg,
        p,
        L.name,
        { flags: { objective }, timeoutMs: 3_600_000, maxCycles: 1e9 },
      );
      const model = rsAccesses(cfg, r.mapping, sh, true);
      for (const k of Object.keys(model) as (keyof RsCounters)[]) {
        if (model[k] !== r.counters[k])
          throw new Error(`${L.name}: counter ${k} RTL ${r.counters[k]}, model ${model[k]}`);
      }
      const e = rsEnergy(r.counters);
      const per = (x: number) => x / macs;
      return {
        mapping: mapText(r.mapping),
        cycles: r.cycles,
        utilization: macs / (r.cycles * pes),
        activePesPeak: r.counters.activePesPeak,
        levels: rsAccessLevels(r.counters),
        dramReadWords: r.counters.dramReadWords,
        energyPerMac: {
          dram: per(e.dram),
          buffer: per(e.buffer),
          array: per(e.array),
          rf: per(e.rf),
          mac: per(e.mac),
          total: per(e.total),
        },
        simSeconds: r.simSeconds,
      };
    };
    layers.push({
      name: L.name,
      macs,
      chipActivePes: L.chipActive,
      cyclesObjective: await measure('cycles'),
      energyObjective: await measure('energy'),
    });
  }
  return { config: 'eyeriss', pes, layers };
}
