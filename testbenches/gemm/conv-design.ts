// The ws design's native convolutions (golden/gemm/conv.ts, conv-host.ts):
// the input JSON (rs's: ifmap, filters, bias?, stride, padding?, relu?),
// verify's convolution cases, the first wrong ofmap element and the JSON
// `run` writes (ofmap as rs answers it).
import { parseGemmConvProblem, randomGemmConvProblem } from '../../golden/gemm/conv-problem.js';
import { InputError } from '../../golden/common/errors.js';
import { Random } from '../../golden/common/random.js';
import { gemm } from '../../golden/common/gemm.js';
import { runs, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import { gemmEnergy } from '../../golden/gemm/access.js';
import { convGemm, convGeometry, type ConvBudget, type GemmConvProblem } from '../../golden/gemm/conv.js';
import { convFitIn, convModel, convPassAccess, convPassList, convScaleSim } from '../../golden/gemm/conv-models.js';
import { osConvLayout } from '../../golden/gemm/os-conv.js';
import { firstGemmMismatch } from '../../golden/common/gemm.js';
import { resolveDataflow, type DataflowChoice, type GemmConvRunProblem } from './dataflow.js';
import type { GemmEngineResult } from './sim.js';

/** The convolution input, checked against the configuration's numerics and buffers in the dataflow that runs it. */
export function parseConv(
  design: Dataflow,
  raw: unknown,
  cfg: GemmConfig,
  source: string,
  asked?: DataflowChoice,
): GemmConvProblem {
  const p = parseGemmConvProblem(raw, cfg, source);
  const depth = { a: cfg.aDepth, b: cfg.bDepth, acc: cfg.accDepth } as const;
  for (const [k, v] of Object.entries(p.buffers ?? {}) as [keyof typeof depth, number][])
    if (v > depth[k])
      throw new InputError(
        `${source}: 'buffers.${k}' = ${v} is more than the ${k} buffer's ${depth[k]} rows (${k === 'acc' ? 'accDepth' : `${k}Depth`}); allowed: 1..${depth[k]}`,
      );
  const df = resolveDataflow(design, cfg, { ...p, dataflow: asked });
  const why = convFitIn(cfg, df, convGeometry(cfg, p));
  if (why)
    throw new InputError(
      `${source}: the layer does not fit this ${design} configuration${cfg.dataflow === 'both' ? ` (dataflow ${df})` : ''}: ${why}`,
    );
  return p;
}

/** verify's convolution case for a seed (every third seed), or undefined. */
export function convCase(_name: Dataflow, cfg: GemmConfig, seed: number, asked: DataflowChoice | undefined) {
  if (seed % 2 !== 0) return undefined;
  const rng = new Random(seed);
  // On an array of both, the case's own dataflow unless one is asked for.
  const own: Dataflow = cfg.dataflow === 'both' ? (rng.bool() ? 'ws' : 'os') : cfg.dataflow;
  const df: Dataflow = asked === 'ws' || asked === 'os' ? asked : own;
  if (!runs(cfg, df)) return undefined;
  let p: GemmConvProblem | undefined;
  for (let i = 0; i < 20 && !p; i++) {
    const q = randomGemmConvProblem(cfg, rng);
    if (!convFitIn(cfg, df, convGeometry(cfg, q))) p = q;
  }
  if (!p) return undefined;
  // Half the cases plan within a budget of buffer rows (its own stream: the layer is drawn as before), so
  // small layers run in passes: bands, image groups, filter tiles and K passes (the K tile's taps at its start).
  const budget = drawBudget(cfg, df, p, new Random(seed ^ 0x62756467));
  if (budget) p = { ...p, buffers: budget };
  const g = convGeometry(cfg, p);
  const problem: GemmConvRunProblem = { ...p, dataflow: df };
  return {
    seed,
    problem,
    stallPermille: [0, 0, 100, 400][rng.int(0, 3)]!,
    describe: `conv N=${g.N} C=${g.C} H=${g.H} W=${g.W} M=${g.M} R=${g.R} S=${g.S} U=${g.U} P=${g.P} bias=${p.bias ? 'yes' : 'no'} relu=${p.relu ? 'yes' : 'no'}${budget ? ` buffers a=${budget.a} b=${budget.b} acc=${budget.acc}` : ''}${cfg.dataflow === 'both' ? ` dataflow=${df}` : ''}`,
  };
}

/**
 * A budget that splits the layer (one case in two): each buffer's rows a
 * random fraction of what the whole layer takes, at least what one pass
 * needs (A: one output pixel's window; B: one K tile); undefined when the
 * draw says no or such a budget does not fit.
 */
function drawBudget(cfg: GemmConfig, df: Dataflow, p: GemmConvProblem, rng: Random): ConvBudget | undefined {
  if (!rng.bool()) return undefined;
  const g = convGeometry(cfg, p);
  const colTiles = Math.ceil(g.M / cfg.cols);
  const part = (whole: number, least: number) => Math.max(least, Math.floor(whole * rng.float()));
  // What the whole layer takes and what one pass needs at least, in the dataflow's layouts.
  const os = df === 'os' ? osConvLayout(cfg, g) : undefined;
  const a = os ? g.C * g.N * g.H * os.rowWords : g.aRows;
  const aLeast = os ? Math.min(g.H, g.R) * os.rowWords : g.CT * Math.min(g.H, g.R) * Math.min(g.W, g.S);
  const b = os ? g.C * g.R * g.S * colTiles : g.gk * colTiles;
  const bLeast = os ? g.R * g.S : cfg.rows;
  const budget = {
    a: Math.min(cfg.aDepth, part(a, aLeast)),
    b: Math.min(cfg.bDepth, part(b, bLeast)),
    acc: Math.min(cfg.accDepth, part(g.gm * colTiles, os ? g.F : 1)),
  };
  return convFitIn(cfg, df, convGeometry(cfg, { ...p, buffers: budget })) ? undefined : budget;
}

/** The wrong element that left the RTL first, named in the ofmap and in the engine's GEMM (row = output pixel). */
export function convFirstMismatch(cfg: GemmConfig, p: GemmConvProblem, r: GemmEngineResult) {
  const bad = firstGemmMismatch(gemm(cfg, convGemm(cfg, p)), r.c, r.cCycle);
  if (!bad) return undefined;
  const g = convGeometry(cfg, p);
  const f = bad.i % g.F,
    e = Math.floor(bad.i / g.F) % g.E,
    n = Math.floor(bad.i / (g.E * g.F));
  return {
    ...bad,
    element: `ofmap[${n}][${bad.j}][${e}][${f}] (im2col row ${bad.i}, filter ${bad.j})`,
    // os: output pixel f sits in PE row f mod rows of its tile (tiles of rows pixels of one output row).
    pe: r.dataflow === 'os' ? `PE (${f % cfg.rows}, ${bad.j % cfg.cols})` : `column ${bad.j % cfg.cols}`,
  };
}

/** The JSON `run` writes for a convolution: the ofmap (as rs answers), cycles, counters, the models beside them. */
export function convSummary(
  name: Dataflow,
  cfg: GemmConfig,
  p: GemmConvProblem,
  r: GemmEngineResult,
  configHash: string,
) {
  const g = convGeometry(cfg, p);
  const bias = p.bias !== undefined;
  const df = r.dataflow;
  const model = convModel(cfg, df, g, bias);
  return {
    ofmap: r.conv!.ofmap,
    cycles: r.cycles,
    counters: r.counters,
    conv: { ...g, native: true },
    passes: convPassList(cfg, df, g).map((ps, i) => ({ ...ps, cycles: r.perPass[i]!.cycles })),
    hostCycles: r.totalCycles,
    utilization: model.counters.macs / (r.cycles * cfg.rows * cfg.cols),
    modelCycles: model.cycles,
    scaleSimCycles: convScaleSim(cfg, df, g),
    accessModel: convPassAccess(cfg, df, g, bias),
    dramModel: model.dramValues,
    energy: gemmEnergy(cfg, { ...r.counters, dramValues: r.dramValues }),
    dramValues: r.dramValues,
    dataflow: r.dataflow,
    design: name,
    configHash,
  };
}
