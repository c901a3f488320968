// The ws and os designs: two settings of one systolic family (one generator,
// one engine shell, one host program, one checker), differing in the
// dataflow their array runs and their presets.
import { systolicBins } from './bins.js';
import type { Design, DesignFlag } from '../plugin.js';
import { InputError } from '../../golden/common/errors.js';
import { show } from '../../golden/common/show.js';
import { firstGemmMismatch, gemm, parseGemmProblem, type GemmProblem } from '../../golden/common/gemm.js';
import {
  osParams,
  osPresets,
  parseOsConfig,
  parseWsConfig,
  wsParams,
  wsPresets,
  gemmRules,
  type Dataflow,
  type GemmConfig,
} from '../../golden/gemm/config.js';
import { gemmCsrs, gemmTargets } from '../../golden/gemm/interface.js';
import { passAccess, gemmEnergy } from '../../golden/gemm/access.js';
import { passCycles, scaleSimCycles, utilization } from '../../golden/gemm/cycles.js';
import { accumulates, planPasses, requants } from '../../golden/gemm/mapper.js';
import { gemmCase } from '../../golden/gemm/problem.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { gemmDatasheet } from '../../generators/gemm/datasheet.js';
import { bindings } from '../../generators/gemm/bindings.js';
import { buildGemmEngine, runGemmEngine, type GemmEngineResult } from './sim.js';
import { gemmProgram } from './host.js';
import { gemmFailureArtifacts, type GemmMismatch } from './failure.js';
import { gemmNetwork } from './network.js';
import { gemmInt8 } from './int8.js';
import {
  dataflowChoices,
  resolveDataflow,
  type DataflowChoice,
  type GemmRunProblem,
  type SystolicProblem,
} from './dataflow.js';
import { convCase, convFirstMismatch, convSummary, parseConv } from './conv-design.js';
import { convModel, convPassAccess } from '../../golden/gemm/conv-models.js';
import { convGeometry, convGolden, isConvProblem } from '../../golden/gemm/conv.js';
import { nativeConv } from './conv-host.js';
import { openGemmLive, type GemmLive } from './live.js';
import { firstCounterDiff } from '../common/counters.js';

const dataflowFlag: DesignFlag = {
  flag: '--dataflow <which>',
  key: 'dataflow',
  doc: "on an array of dataflow both: 'ws', 'os', or 'auto' (per problem or layer, the faster by the exact cycle models); default the design's own",
  choices: dataflowChoices,
};

/**
 * Other mappings of convolutions: the host's im2col throughout (ws and os), and on ws per layer the one
 * with fewer K tiles.
 */
const networkVariants = {
  ws: { im2col: gemmNetwork('ws', { native: false }), auto: gemmNetwork('ws', { native: 'auto' }) },
  os: { im2col: gemmNetwork('os', { native: false }) },
};

/** cli.md's GEMM input JSON or rs's convolution JSON (ifmap, filters, ...), plus an optional "dataflow" ('ws', 'os' or 'auto'). */
function parseProblem(design: Dataflow) {
  return (raw: unknown, cfg: GemmConfig, source = 'input'): SystolicProblem => {
    const obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
    const { dataflow, ...rest } = obj ?? {};
    if (obj && 'dataflow' in obj && !(dataflowChoices as readonly unknown[]).includes(dataflow))
      throw new InputError(`${source}: 'dataflow' is ${show(dataflow)}; allowed: 'ws', 'os', 'auto'`);
    const df = obj && 'dataflow' in obj ? { dataflow: dataflow as DataflowChoice } : {};
    if (obj && 'ifmap' in obj) return { ...parseConv(design, rest, cfg, source, df.dataflow), ...df };
    return { ...parseGemmProblem(obj ? rest : raw, cfg, source, design), ...df };
  };
}

const shapeOf = (ps: { mp: number; kp: number; np: number }) => ({ m: ps.mp, k: ps.kp, n: ps.np });
const modelCycles = (cfg: GemmConfig, r: GemmEngineResult) =>
  r.conv
    ? convModel(cfg, r.dataflow, r.conv.geometry, false).cycles
    : r.passes.reduce((s, ps) => s + passCycles(cfg, r.dataflow, shapeOf(ps), requants(ps)), 0);

const meta = {
  ws: {
    order: 1,
    title: 'weight-stationary systolic GEMM engine (TPU-style)',
    params: wsParams,
    presets: wsPresets,
    parse: parseWsConfig,
  },
  os: {
    order: 4,
    title: 'output-stationary systolic GEMM engine (ShiDianNao-style)',
    params: osParams,
    presets: osPresets,
    parse: parseOsConfig,
  },
};

/** The JSON `run` writes (cli.md): C, cycles, counters, per pass, the models beside the measurements. */
function runSummary(name: Dataflow, cfg: GemmConfig, p: SystolicProblem, r: GemmEngineResult, configHash: string) {
  if (isConvProblem(p)) return convSummary(name, cfg, p, r, configHash);
  const shape = { m: p.a.length, k: p.b.length, n: p.b[0]!.length };
  return {
    c: r.c,
    cycles: r.cycles,
    counters: r.counters,
    passes: r.passes.map((ps, i) => ({ ...ps, cycles: r.perPass[i]!.cycles })),
    hostCycles: r.totalCycles,
    utilization: utilization(cfg, shape, r.cycles),
    modelCycles: modelCycles(cfg, r),
    scaleSimCycles: scaleSimCycles(cfg, shape, r.dataflow),
    accessModel: r.passes.map((ps) => passAccess(cfg, r.dataflow, shapeOf(ps), accumulates(p, ps), requants(ps))),
    energy: gemmEnergy(cfg, { ...r.counters, dramValues: r.dramValues }),
    dataflow: r.dataflow,
    design: name,
    configHash,
  };
}

/** A requantizing case's note in its verify line: the output type and per-column or per-tensor scales. */
const requantNote = (p: GemmProblem) =>
  p.requant ? ` requant=${p.requant.output}/${new Set(p.requant.scale).size > 1 ? 'per-column' : 'per-tensor'}` : '';

/** The random case a seed stands for, with its line for verify. */
function randomCase(name: Dataflow) {
  return (cfg: GemmConfig, seed: number, flags: Record<string, unknown> = {}) => {
    // Every third case is a convolution where the run is ws.
    const conv = convCase(name, cfg, seed, flags.dataflow as DataflowChoice | undefined);
    if (conv) return conv;
    const c = gemmCase(cfg, seed);
    const { m: M, k: K, n: N } = c.shape;
    // --dataflow overrides the case's random choice (on an array of both).
    const asked = flags.dataflow as DataflowChoice | undefined;
    const df = asked === undefined ? c.dataflow : resolveDataflow(name, cfg, c.problem, asked);
    const both = cfg.dataflow === 'both' ? ` dataflow=${df}` : '';
    const problem: GemmRunProblem = { ...c.problem, dataflow: df };
    return {
      seed,
      problem,
      stallPermille: c.stallPermille,
      describe: `M=${M} K=${K} N=${N} d=${c.problem.d ? 'yes' : 'no'} relu=${c.problem.relu ? 'yes' : 'no'}${requantNote(c.problem)}${both}`,
    };
  };
}

/** The exact models of a problem: the convolution's passes, or the GEMM's passes in the dataflow it runs. */
function systolicModel(name: Dataflow, cfg: GemmConfig, p: SystolicProblem, flags?: Record<string, unknown>) {
  const df = resolveDataflow(name, cfg, p, flags?.dataflow as DataflowChoice | undefined);
  if (isConvProblem(p)) {
    const m = convModel(cfg, df, convGeometry(cfg, p), p.bias !== undefined);
    return { cycles: m.cycles, counters: m.counters };
  }
  const passes = planPasses(cfg, df, p.a.length, p.b.length, p.b[0]!.length, p.requant !== undefined);
  const counters = {} as Record<string, number>;
  for (const ps of passes)
    for (const [k, v] of Object.entries(passAccess(cfg, df, shapeOf(ps), accumulates(p, ps), requants(ps))))
      counters[k] = (counters[k] ?? 0) + v;
  return { cycles: passes.reduce((s, ps) => s + passCycles(cfg, df, shapeOf(ps), requants(ps)), 0), counters };
}

/** Every counter of every pass against the access model of what ran (GEMM passes or convolution passes). */
function systolicCounterCheck(cfg: GemmConfig, p: SystolicProblem, r: GemmEngineResult) {
  return firstCounterDiff(
    r.perPass,
    isConvProblem(p)
      ? convPassAccess(cfg, r.dataflow, r.conv!.geometry, p.bias !== undefined)
      : r.passes.map((ps) => passAccess(cfg, r.dataflow, shapeOf(ps), accumulates(p, ps), requants(ps))),
    (i) => `pass ${i}`,
    isConvProblem(p)
      ? r.dataflow === 'os'
        ? 'golden/gemm/os-conv.ts'
        : 'golden/gemm/conv.ts'
      : 'golden/gemm/access.ts',
  );
}

/** The host program of a problem: a convolution's, or the GEMM's passes in the dataflow it runs. */
function systolicProgram(name: Dataflow, cfg: GemmConfig, p: SystolicProblem): string {
  const df = resolveDataflow(name, cfg, p);
  if (isConvProblem(p)) return nativeConv(cfg, df, p).program();
  return gemmProgram(cfg, df, p, planPasses(cfg, df, p.a.length, p.b.length, p.b[0]!.length, p.requant !== undefined));
}

export function systolicDesign(
  name: Dataflow,
): Design<GemmConfig, SystolicProblem, GemmEngineResult, GemmMismatch & { pe: string }, GemmLive> {
  const m = meta[name];
  return {
    name,
    order: m.order,
    title: m.title,
    caseNoun: 'GEMMs',
    params: m.params,
    rules: gemmRules,
    presets: m.presets,
    parseConfig: m.parse,
    generate: (cfg, o) => generateGemm(name, cfg, o),
    bindings: bindings.filter((b) => b.file.startsWith(`${name}_`)),
    registers: { targets: gemmTargets, csrs: gemmCsrs },
    datasheet: (c) => gemmDatasheet(c),
    grid: (c) => ({ dims: [c.rows, c.cols], names: ['row', 'column'], productBits: 2 * c.dataWidth }),
    parseProblem: parseProblem(name),
    randomCase: randomCase(name),
    bins: systolicBins,
    golden: (cfg, p) => (isConvProblem(p) ? { ofmap: convGolden(cfg, p) } : { c: gemm(cfg, p) }),
    model: (cfg, p, flags) => systolicModel(name, cfg, p, flags),
    build: (cfg, o = {}) => buildGemmEngine(name, cfg, o),
    open: (cfg, o) => openGemmLive(name, cfg, o),
    hostProgram: (cfg, p) => systolicProgram(name, cfg, p),
    simulate: (cfg, p, o) =>
      runGemmEngine(name, cfg, resolveDataflow(name, cfg, p, o.flags?.dataflow as DataflowChoice | undefined), p, o),
    firstMismatch(cfg, p, r) {
      if (isConvProblem(p)) return convFirstMismatch(cfg, p, r);
      const bad = firstGemmMismatch(gemm(cfg, p), r.c, r.cCycle);
      if (!bad) return undefined;
      const pe =
        r.dataflow === 'ws'
          ? `column ${bad.j % cfg.cols}`
          : `PE (${bad.i % cfg.rows}, ${bad.j % cfg.cols}) of its tile`;
      return { ...bad, pe };
    },
    cycleCheck: (cfg, _p, r) => ({
      measured: r.cycles,
      model: modelCycles(cfg, r),
      modelName: 'golden/gemm/cycles.ts',
    }),
    counterCheck: systolicCounterCheck,
    summary: (cfg, p, r, design) => runSummary(name, cfg, p, r, design.configHash),
    failure: (cfg, problem, result, bad, x) => gemmFailureArtifacts({ cfg, problem, result, name, ...x }, bad),
    network: gemmNetwork(name),
    int8: gemmInt8(name),
    networkVariants: networkVariants[name],
    runFlags: [dataflowFlag],
    pes: (c) => c.rows * c.cols,
    stalls: true,
    simulators: ['verilator', 'icarus'],
    simCaps: { rows: 6, cols: 6, aDepth: 512, bDepth: 512, accDepth: 512 },
    example: {
      preset: `${name}-4x4`,
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
}

export const ws = systolicDesign('ws');
export const os = systolicDesign('os');
