// The systolic family's `dataflow: both` on 16 x 16 (ws-16x16-both): its
// synthesis area against the single-dataflow arrays (Yosys cells and
// flip-flops, the coarse flow of `accelforge synth`), random GEMMs in each
// mode (bit-exact, cycles equal to the model), and LeNet-5's layers in each
// mode and with 'auto' (every layer bit-exact, predictions equal to the
// golden model's).
import { Random } from '../../golden/common/random.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { osPresets, wsPresets, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import { designByName } from '../../testbenches/registry.js';
import { synth } from '../../testbenches/tools/yosys/synth.js';
import { runModel } from '../flows/model.js';
import { loadModel } from '../nn/zoo.js';
import type { GemmBothResult } from '../flows/bench-results.js';
import { checkedRun, type Data } from './env.js';

async function area(design: Dataflow, preset: string, cfg: GemmConfig) {
  const r = await synth(designByName(design).generate(cfg));
  const macs = r.cellTypes.$macc_v2 ?? r.cellTypes.$macc ?? 0;
  return { preset, cells: r.cells, flipFlops: r.flipFlops, maccCells: macs, seconds: r.seconds };
}

export async function gemmBoth(): Promise<Data<GemmBothResult>> {
  const both = wsPresets['ws-16x16-both']!;
  const areas = [
    await area('ws', 'ws-16x16', wsPresets['ws-16x16']!),
    await area('os', 'os-16x16', osPresets['os-16x16']!),
    await area('ws', 'ws-16x16-both', both),
  ];
  const ws = designByName('ws');
  const gemms: GemmBothResult['gemms'] = [];
  const shapes = [
    { m: 64, k: 64, n: 64 },
    { m: 100, k: 37, n: 23 },
    { m: 16, k: 300, n: 40 },
  ];
  for (const s of shapes) {
    for (const dataflow of ['ws', 'os'] as const) {
      const p = { ...randomGemmProblem(both, s, new Random(s.m + s.k + s.n), { d: true }), dataflow };
      const { r } = await checkedRun(ws, both, p, `gemm-both ${dataflow} ${JSON.stringify(s)}`);
      gemms.push({ ...s, dataflow, cycles: r.cycles });
    }
  }
  const g = await loadModel('lenet-5');
  const lenet: GemmBothResult['lenet'] = [];
  for (const dataflow of ['ws', 'os', 'auto'] as const) {
    const m = await runModel(ws, both, g, {
      images: 20,
      artifacts: 'artifacts',
      configArg: 'ws-16x16-both',
      modelArg: 'lenet-5',
      log: () => {},
      quiet: true,
      flags: { dataflow },
    });
    if (m.predictions.some((v, i) => v !== m.goldenPredictions[i]))
      throw new Error(`gemm-both lenet-5 ${dataflow}: RTL predictions differ from the golden model's`);
    lenet.push({
      dataflow,
      images: m.imageIds.length,
      cycles: m.layers.reduce((s, l) => s + l.cycles, 0),
      layers: m.layers.map((l) => ({ name: l.name, cycles: l.cycles, mapping: l.mapping })),
    });
  }
  return { config: 'ws-16x16-both', areas, gemms, lenet };
}
