// The ws design plugin: a weight-stationary systolic GEMM engine.
import { wsDatasheet } from '../../generators/ws/datasheet.js';
import type { Design } from '../plugin.js';
import { wsCsrs, wsTargets } from '../../golden/ws/interface.js';
import { bindings } from '../../generators/ws/bindings.js';
import { wsNetwork } from './network.js';
import { parseWsConfig, wsParams, wsPresets, wsRules, type WsConfig } from '../../golden/ws/config.js';
import { generateWs } from '../../generators/ws/generate.js';
import { gemm, type GemmProblem } from '../../golden/common/gemm.js';
import { scaleSimCycles, utilization, wsPassCycles } from '../../golden/ws/cycles.js';
import { parseWsProblem } from '../../golden/ws/problem.js';
import { buildWsEngine, runWsEngine, type WsEngineResult } from './sim.js';
import { wsEngineProgram } from './host.js';
import { planWsPasses } from '../../golden/ws/mapper.js';
import { firstGemmMismatch, wsCase } from './check.js';
import { wsFailureArtifacts } from './failure.js';
import { wsEnergy } from '../../golden/ws/access.js';

type WsMismatch = NonNullable<ReturnType<typeof firstGemmMismatch>> & { pe: string };

const modelCycles = (cfg: WsConfig, r: WsEngineResult) =>
  r.passes.reduce((s, ps) => s + wsPassCycles(cfg, { m: ps.mp, k: ps.kp, n: ps.np }), 0);

export const ws: Design<WsConfig, GemmProblem, WsEngineResult, WsMismatch> = {
  name: 'ws',
  order: 1,
  title: 'weight-stationary systolic GEMM engine (TPU-style)',
  caseNoun: 'GEMMs',
  params: wsParams,
  rules: wsRules,
  presets: wsPresets,
  parseConfig: parseWsConfig,
  generate: generateWs,
  bindings,
  registers: { targets: wsTargets, csrs: wsCsrs },
  datasheet: (c) => wsDatasheet(c),
  grid: (c) => ({ dims: [c.rows, c.cols], names: ['row', 'column'], productBits: 2 * c.dataWidth }),
  parseProblem: parseWsProblem,
  randomCase(cfg, seed) {
    const c = wsCase(cfg, seed);
    const { m, k, n } = c.shape;
    return {
      seed,
      problem: c.problem,
      stallPermille: c.stallPermille,
      describe: `M=${m} K=${k} N=${n} d=${c.problem.d ? 'yes' : 'no'} relu=${c.problem.relu ? 'yes' : 'no'}`,
    };
  },
  build: (cfg, o = {}) => buildWsEngine(cfg, o.design, o.traceFormat, o.xprop, o.sim),
  hostProgram: (cfg, p) => wsEngineProgram(cfg, p, planWsPasses(cfg, p.a.length, p.b.length, p.b[0]!.length)),
  simulate: (cfg, p, o) => runWsEngine(cfg, p, o),
  firstMismatch(cfg, p, r) {
    const bad = firstGemmMismatch(gemm(cfg, p), r.c, r.cCycle);
    return bad && { ...bad, pe: `column ${bad.j % cfg.cols}` };
  },
  cycleCheck: (cfg, _p, r) => ({ measured: r.cycles, model: modelCycles(cfg, r), modelName: 'golden/ws/cycles.ts' }),
  summary(cfg, p, r, design) {
    const shape = { m: p.a.length, k: p.b.length, n: p.b[0]!.length };
    return {
      c: r.c,
      cycles: r.cycles,
      counters: r.counters,
      passes: r.passes.map((ps, i) => ({ ...ps, cycles: r.perPass[i]!.cycles })),
      hostCycles: r.totalCycles,
      utilization: utilization(cfg, shape, r.cycles),
      modelCycles: modelCycles(cfg, r),
      scaleSimCycles: scaleSimCycles(cfg, shape),
      energy: wsEnergy(cfg, { ...r.counters, dramValues: r.dramValues }),
      design: 'ws',
      configHash: design.configHash,
    };
  },
  failure: (cfg, problem, result, bad, x) => wsFailureArtifacts({ cfg, problem, result, ...x }, bad),
  network: wsNetwork,
  pes: (c) => c.rows * c.cols,
  stalls: true,
  simulators: ['verilator', 'icarus'],
  simCaps: { rows: 6, cols: 6, aDepth: 512, bDepth: 512, accDepth: 512 },
  example: {
    preset: 'ws-4x4',
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
