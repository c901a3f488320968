// The eie design plugin: the EIE sparse, weight-shared matrix-vector engine.
import { eieBins } from './bins.js';
import { eieDatasheet } from '../../generators/eie/datasheet.js';
import type { Design } from '../plugin.js';
import {
  eieCsrs,
  eieLayerCsrs,
  eieTargets,
  layerBase,
  layerStride,
  peCounterNames,
} from '../../golden/eie/interface.js';
import { eieAccess, eieEnergy } from '../../golden/eie/access.js';
import { firstCounterDiff } from '../common/counters.js';
import { bindings } from '../../generators/eie/bindings.js';
import { eieParams, eiePresets, eieRules, parseEieConfig, type EieConfig } from '../../golden/eie/config.js';
import { generateEie } from '../../generators/eie/generate.js';
import { parseEieProblem, type EieProblem } from '../../golden/eie/problem.js';
import { buildEieEngine, runEie, runEieBatch, type EieRunResult } from './sim.js';
import { eieProgram } from './host.js';
import { layoutEie } from '../../golden/eie/layout.js';
import { eieCase, eieExpected, firstEieMismatch } from './check.js';
import { eieFailureArtifacts } from './failure.js';
import { openEieLive, type EieLive } from './live.js';

type EieMismatch = NonNullable<ReturnType<typeof firstEieMismatch>> & { pe: string };

export const eie: Design<EieConfig, EieProblem, EieRunResult, EieMismatch, EieLive> = {
  name: 'eie',
  order: 3,
  title: 'EIE sparse engine (compressed, weight-shared matrix-vector layers)',
  caseNoun: 'layer chains',
  params: eieParams,
  rules: eieRules,
  presets: eiePresets,
  parseConfig: parseEieConfig,
  generate: generateEie,
  bindings,
  registers: {
    targets: eieTargets,
    csrs: eieCsrs,
    groups: [
      {
        heading: `Layer l's registers, CSR ${layerBase} + ${layerStride} l + offset (the offset below)`,
        csrs: eieLayerCsrs,
      },
    ],
  },
  datasheet: (c) => eieDatasheet(c),
  grid: (c) => ({ dims: [c.pes], names: ['PE'], productBits: 32 }),
  parseProblem: parseEieProblem,
  bins: eieBins,
  randomCase(cfg, seed) {
    const c = eieCase(cfg, seed);
    return { seed, problem: c.problem, describe: c.describe, stallPermille: c.stallPermille };
  },
  golden: (cfg, p) => ({ b: eieExpected(cfg, p).out }),
  model(cfg, p) {
    const m = eieExpected(cfg, p);
    return {
      cycles: m.cycles.cycles,
      counters: {
        layerCycles: m.cycles.layerCycles,
        broadcasts: m.cycles.broadcasts,
        queueFullStalls: m.cycles.queueFullStalls,
        // Every PE counter (busy, starved and queueFull from the cycle model's replay).
        pes: modelPes(cfg, p, m),
      },
    };
  },
  build: (cfg, o = {}) => buildEieEngine(cfg, o.design, o.traceFormat, o.xprop, o.sim),
  open: (cfg, o) => openEieLive(cfg, o),
  hostProgram: (cfg, p) => eieProgram(cfg, p, layoutEie(cfg, p)),
  simulate: (cfg, p, o) => runEie(cfg, p, o),
  firstMismatch(cfg, p, r) {
    const bad = firstEieMismatch(eieExpected(cfg, p).out, r.b, r.bCycle);
    return bad && { ...bad, pe: `${bad.i % cfg.pes}` };
  },
  cycleCheck: (cfg, p, r) => ({
    measured: r.cycles,
    model: eieExpected(cfg, p).cycles.cycles,
    modelName: 'golden/eie/cycles.ts',
  }),
  counterCheck(cfg, p, r) {
    const m = eieExpected(cfg, p);
    const counts = (x: object, names: readonly string[]) =>
      Object.fromEntries(names.map((k) => [k, (x as Record<string, number>)[k]]));
    // Every PE counter: the access model's, and busy, starved and queueFull from the cycle model's replay.
    const per = peCounterNames;
    const acc = modelPes(cfg, p, m);
    return (
      firstCounterDiff(
        [{ broadcasts: r.broadcasts, queueFullStalls: r.queueFullStalls }],
        [{ broadcasts: m.cycles.broadcasts, queueFullStalls: m.cycles.queueFullStalls }],
        () => 'engine',
        'golden/eie/cycles.ts',
      ) ??
      firstCounterDiff(
        r.layerCycles.map((c) => ({ cycles: c })),
        m.cycles.layerCycles.map((c) => ({ cycles: c })),
        (i) => `layer ${i}`,
        'golden/eie/cycles.ts',
      ) ??
      firstCounterDiff(
        r.pes.map((c) => counts(c, per)),
        acc,
        (k) => `PE ${k}`,
        'golden/eie/access.ts',
      )
    );
  },
  summary(cfg, _p, r, design) {
    const macs = r.pes.reduce((s, c) => s + c.entries, 0);
    return {
      b: r.b,
      cycles: r.cycles,
      layerCycles: r.layerCycles,
      broadcasts: r.broadcasts,
      queueFullStalls: r.queueFullStalls,
      pes: r.pes,
      macs,
      loadEfficiency: macs / cfg.pes / r.cycles,
      energy: eieEnergy(cfg, { dramValues: r.dramValues, broadcasts: r.broadcasts, pes: r.pes }),
      hostCycles: r.hostCycles,
      design: 'eie',
      configHash: design.configHash,
    };
  },
  failure: (cfg, problem, result, bad, x) => eieFailureArtifacts({ cfg, problem, result, ...x }, bad),
  chain: {
    check: (cfg, p) => void layoutEie(cfg, p),
    runBatch: (cfg, p, inputs, o) => runEieBatch(cfg, p, inputs, o),
  },
  pes: (c) => c.pes,
  stalls: true,
  simulators: ['verilator', 'icarus'],
  simCaps: { pes: 8, rowsPerPe: 48, ptrDepth: 2048, matDepth: 2048, maxLayers: 4 },
  example: {
    preset: 'eie-4pe',
    problem: {
      activations: [3, 0, 5, 7],
      layers: [
        {
          codebook: [0, 1, 2, 3, 4, 5, 6, 7, -1, -2, -3, -4, -5, -6, -7, -8],
          index: [
            [1, 0, 2, 0],
            [0, 3, 0, 4],
          ],
          bias: [1, 2],
          shift: 0,
          relu: true,
        },
      ],
    },
  },
};

/** Entries PE k walks over the columns of nonzero activations: real ones and the padding of long index runs. */
function walked(layers: ReturnType<typeof eieExpected>['layers'], k: number): { entries: number; padding: number } {
  let entries = 0,
    padding = 0;
  for (const l of layers)
    for (const j of l.nonzero)
      for (let e = l.pes[k]!.p[j]!; e < l.pes[k]!.p[j + 1]!; e++) {
        if (l.pes[k]!.v[e] === 0) padding++;
        else entries++;
      }
  return { entries, padding };
}

/** Each PE's counters from the access and cycle models. */
function modelPes(cfg: EieConfig, p: EieProblem, m: ReturnType<typeof eieExpected>) {
  return eieAccess(cfg, m.layers, layoutEie(cfg, p).entryBase).pes.map((a, k) => ({
    ...a,
    busy: m.cycles.busy[k]!,
    starved: m.cycles.starved[k]!,
    queueFull: m.cycles.queueFull[k]!,
    ...walked(m.layers, k),
  }));
}
