// os section: utilization by shape on os-16x16, every run bit-exact, equal
// to the cycle model, and its counters equal to the access model.
import { Random } from '../../golden/common/random.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { osPresets } from '../../golden/gemm/config.js';
import { utilization } from '../../golden/gemm/cycles.js';
import { designByName } from '../../testbenches/registry.js';
import type { OsUtilResult } from '../flows/bench-results.js';
import { checkedRun, type Data } from './env.js';

/** Sums a list of counter records key by key. */
const sum = (list: Record<string, number>[]) =>
  list.reduce<Record<string, number>>((acc, c) => {
    for (const [k, v] of Object.entries(c)) acc[k] = (acc[k] ?? 0) + v;
    return acc;
  }, {});

export async function osUtil(): Promise<Data<OsUtilResult>> {
  const os16 = osPresets['os-16x16']!;
  const shapes = [
    { m: 512, k: 512, n: 512 },
    { m: 256, k: 256, n: 256 },
    { m: 64, k: 64, n: 64 },
    { m: 16, k: 16, n: 16 },
    { m: 33, k: 33, n: 33 },
    { m: 1000, k: 64, n: 10 },
  ];
  const rows: OsUtilResult['rows'] = [];
  for (const s of shapes) {
    const p = randomGemmProblem(os16, s, new Random(s.m * 7 + s.k * 3 + s.n), { d: true });
    const { r, summary, modelCycles } = await checkedRun(designByName('os'), os16, p, `os-util ${JSON.stringify(s)}`);
    const model = sum(summary.accessModel as Record<string, number>[]);
    for (const [k, v] of Object.entries(model)) {
      if (r.counters![k] !== v)
        throw new Error(`os-util ${JSON.stringify(s)}: counter ${k} RTL ${r.counters![k]}, access model ${v}`);
    }
    rows.push({
      ...s,
      cycles: r.cycles,
      modelCycles: modelCycles!,
      utilization: utilization(os16, s, r.cycles),
      idealCycles: Math.ceil((s.m * s.k * s.n) / 256),
      simSeconds: r.simSeconds,
    });
  }
  return { config: 'os-16x16', rows };
}
