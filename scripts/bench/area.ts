// `npm run bench -- area`: area and timing against PE count (issue 30), the
// scale benchmark's points (scripts/bench/scale.ts) through `synth`'s
// per-module report (system Yosys, hierarchical: each module once).
// ACCELFORGE_AREA_POINTS picks points; the other points' committed rows are kept.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { designByName } from '../../testbenches/registry.js';
import type { AnyDesign } from '../../testbenches/plugin.js';
import { area, nand2Method } from '../../testbenches/tools/yosys/area.js';
import type { AreaResult, AreaRow } from '../flows/bench-results.js';
import { allPoints } from './scale.js';
import { log, results, type Data } from './env.js';

export async function areaBench(): Promise<Data<AreaResult>> {
  const only = process.env.ACCELFORGE_AREA_POINTS?.split(',');
  const measured: AreaRow[] = [];
  for (const pt of allPoints().filter((p) => !only || only.includes(p.name))) {
    const d: AnyDesign = designByName(pt.design);
    const cfg = d.parseConfig(pt.layer?.().config ?? pt.config, `area point ${pt.name}`);
    const a = await area(d.generate(cfg));
    log(
      `[${pt.name}] ${Math.round(a.total.nand2)} NAND2 eq, ${a.longestPath.levels} levels, ${a.seconds.toFixed(0)} s`,
    );
    measured.push({
      point: pt.name,
      design: pt.design,
      pes: pt.pes,
      measuredAt: new Date().toISOString(),
      seconds: a.seconds,
      nand2: a.total.nand2,
      cells: a.total.cells,
      flipFlops: a.total.flipFlops,
      sramBits: a.total.memoryBits.sram,
      registerFileBits: a.total.memoryBits.registerFile,
      longestPath: a.longestPath,
      modules: a.modules
        .filter((m) => m.nand2 > 0)
        .map((m) => ({
          module: m.module,
          instances: m.instances,
          nand2: m.nand2,
          flipFlops: m.flipFlops,
          levels: m.path.levels,
        })),
    });
  }
  const file = join(results.dir, 'bench-area.json');
  const kept =
    only && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as AreaResult).rows.filter(
          (r) => !measured.some((m) => m.point === r.point),
        )
      : [];
  const order = allPoints().map((p) => p.name);
  const rows = [...kept, ...measured].sort((a, b) => order.indexOf(a.point) - order.indexOf(b.point));
  return { method: nand2Method, rows };
}
