// The os design plugin: an output-stationary systolic GEMM engine
// (ShiDianNao-style), driven and checked like ws (the same problem JSON).
import type { Design } from '../plugin.js';
import { osCsrs, osTargets } from '../../golden/os/interface.js';
import { bindings } from '../../generators/os/bindings.js';
import { osDatasheet } from '../../generators/os/datasheet.js';
import { osNetwork } from './network.js';
import { osParams, osPresets, osRules, parseOsConfig, type OsConfig } from '../../golden/os/config.js';
import { generateOs } from '../../generators/os/generate.js';
import { firstGemmMismatch, gemm, parseGemmProblem, type GemmProblem } from '../../golden/common/gemm.js';
import { osPassCycles, osUtilization } from '../../golden/os/cycles.js';
import { osPassAccess } from '../../golden/os/access.js';
import { osAccumulates, osEngineProgram } from './host.js';
import { planOsPasses } from '../../golden/os/mapper.js';
import { buildOsEngine, runOsEngine, type OsEngineResult } from './sim.js';
import { osCase } from '../../golden/os/problem.js';
import { osFailureArtifacts } from './failure.js';
import { osEnergy } from '../../golden/os/energy.js';

type OsMismatch = NonNullable<ReturnType<typeof firstGemmMismatch>> & { pe: string };

const shapeOf = (ps: { mp: number; kp: number; np: number }) => ({ m: ps.mp, k: ps.kp, n: ps.np });
const modelCycles = (cfg: OsConfig, r: OsEngineResult) =>
  r.passes.reduce((s, ps) => s + osPassCycles(cfg, shapeOf(ps)), 0);

export const os: Design<OsConfig, GemmProblem, OsEngineResult, OsMismatch> = {
  name: 'os',
  order: 4,
  title: 'output-stationary systolic GEMM engine (ShiDianNao-style)',
  caseNoun: 'GEMMs',
  params: osParams,
  rules: osRules,
  presets: osPresets,
  parseConfig: parseOsConfig,
  generate: generateOs,
  bindings,
  registers: { targets: osTargets, csrs: osCsrs },
  datasheet: (c) => osDatasheet(c),
  grid: (c) => ({ dims: [c.rows, c.cols], names: ['row', 'column'], productBits: 2 * c.dataWidth }),
  parseProblem: (raw, cfg, source) => parseGemmProblem(raw, cfg, source, 'os'),
  randomCase(cfg, seed) {
    const c = osCase(cfg, seed);
    const { m, k, n } = c.shape;
    return {
      seed,
      problem: c.problem,
      stallPermille: c.stallPermille,
      describe: `M=${m} K=${k} N=${n} d=${c.problem.d ? 'yes' : 'no'} relu=${c.problem.relu ? 'yes' : 'no'}`,
    };
  },
  build: (cfg, o = {}) => buildOsEngine(cfg, o.design, o.traceFormat, o.xprop, o.sim),
  hostProgram: (cfg, p) => osEngineProgram(cfg, p, planOsPasses(cfg, p.a.length, p.b.length, p.b[0]!.length)),
  simulate: (cfg, p, o) => runOsEngine(cfg, p, o),
  firstMismatch(cfg, p, r) {
    const bad = firstGemmMismatch(gemm(cfg, p), r.c, r.cCycle);
    return bad && { ...bad, pe: `PE (${bad.i % cfg.rows}, ${bad.j % cfg.cols}) of its tile` };
  },
  cycleCheck: (cfg, _p, r) => ({ measured: r.cycles, model: modelCycles(cfg, r), modelName: 'golden/os/cycles.ts' }),
  summary(cfg, p, r, design) {
    const shape = { m: p.a.length, k: p.b.length, n: p.b[0]!.length };
    return {
      c: r.c,
      cycles: r.cycles,
      counters: r.counters,
      passes: r.passes.map((ps, i) => ({ ...ps, cycles: r.perPass[i]!.cycles })),
      hostCycles: r.totalCycles,
      utilization: osUtilization(cfg, shape, r.cycles),
      modelCycles: modelCycles(cfg, r),
      accessModel: r.passes.map((ps) => osPassAccess(cfg, shapeOf(ps), osAccumulates(p, ps))),
      energy: osEnergy(cfg, { ...r.counters, dramValues: r.dramValues }),
      design: 'os',
      configHash: design.configHash,
    };
  },
  failure: (cfg, problem, result, bad, x) => osFailureArtifacts({ cfg, problem, result, ...x }, bad),
  network: osNetwork,
  pes: (c) => c.rows * c.cols,
  stalls: true,
  simulators: ['verilator', 'icarus'],
  simCaps: { rows: 6, cols: 6, aDepth: 512, bDepth: 512, accDepth: 512 },
  example: {
    preset: 'os-4x4',
    problem: {
      a: [
        [1, -2, 3],
        [4, 5, -6],
      ],
      b: [
        [1, 2],
        [3, -4],
        [5, 6],
      ],
      d: [
        [1, 1],
        [2, 2],
      ],
      relu: true,
    },
  },
};
