// The rs design plugin: a row-stationary convolution engine (Eyeriss-style).
import { rsBins } from './bins.js';
import { parseRsLayer, rsMapFiles } from './map.js';
import { rsDatasheet } from '../../generators/rs/datasheet.js';
import type { Design } from '../plugin.js';
import { bindings } from '../../generators/rs/bindings.js';
import { rsNetwork } from './network.js';
import { parseRsConfig, rsParams, rsPresets, rsRules, type RsConfig } from '../../golden/rs/config.js';
import { generateRs } from '../../generators/rs/generate.js';
import { conv, convShape, type ConvProblem } from '../../golden/rs/golden.js';
import { rsObjectives, type RsObjective } from '../../golden/rs/mapper.js';
import { rsCycles } from '../../golden/rs/cycles.js';
import { rsAccesses, rsEnergy } from '../../golden/rs/access.js';
import { firstCounterDiff } from '../common/counters.js';
import { parseRsProblem } from '../../golden/rs/problem.js';
import { buildRsEngine, runRs, type RsRunResult } from './sim.js';
import { rsCase } from './check.js';
import {
  checkUserMapping,
  descriptorFailure,
  forbiddenDescriptors,
  mappingOf,
  mappingVariant,
  mappingViolations,
  refusalMismatch,
} from './variant.js';
import { rsInt8 } from './int8.js';
import { rsImage } from './host.js';
import { firstRsMismatch, rsFailureArtifacts, type RsMismatch } from './failure.js';
import { openRsLive, type RsLive } from './live.js';

type RsDesignMismatch = RsMismatch & { pe: string };

// The golden ofmap of a problem, computed once per problem object.
const goldenOf = new WeakMap<ConvProblem, bigint[][][][]>();
function golden(cfg: RsConfig, p: ConvProblem) {
  let g = goldenOf.get(p);
  if (!g) goldenOf.set(p, (g = conv(cfg.accWidth, p)));
  return g;
}

const objective = (flags?: Record<string, unknown>) => (flags?.objective as RsObjective | undefined) ?? 'cycles';

export const rs: Design<RsConfig, ConvProblem, RsRunResult, RsDesignMismatch, RsLive> = {
  name: 'rs',
  order: 2,
  title: 'row-stationary convolution engine (Eyeriss-style)',
  caseNoun: 'convolution layers',
  params: rsParams,
  rules: rsRules,
  presets: rsPresets,
  parseConfig: parseRsConfig,
  generate: generateRs,
  bindings,
  datasheet: (c) => rsDatasheet(c),
  map: (cfg, raw, source, flags) => rsMapFiles(cfg, parseRsLayer(raw, source), objective(flags)),
  grid: (c) => ({ dims: [c.peRows, c.peCols], names: ['row', 'column'], productBits: 2 * c.dataWidth }),
  parseProblem: (raw, cfg, source) => checkUserMapping(cfg, parseRsProblem(raw, cfg, source), source),
  bins: rsBins,
  randomCase(cfg, seed) {
    const c = rsCase(cfg, seed);
    const v = mappingVariant(cfg, c.problem, seed);
    if (!v) return { seed, problem: c.problem, describe: c.describe };
    return { seed, problem: { ...c.problem, mapping: v.mapping }, describe: `${c.describe} ${v.what}` };
  },
  golden: (cfg, p) => ({ ofmap: golden(cfg, p) }),
  model(cfg, p, flags) {
    const sh = convShape(p),
      bias = p.bias !== undefined;
    const mapping = mappingOf(cfg, p, objective(flags));
    return { cycles: rsCycles(cfg, mapping, sh, bias), counters: rsAccesses(cfg, mapping, sh, bias) };
  },
  build: (cfg, o = {}) => buildRsEngine(cfg, o.design, o.traceFormat, o.xprop, o.sim),
  open: (cfg, o) => openRsLive(cfg, o),
  simulate(cfg, p, o) {
    const mapping = mappingOf(cfg, p, objective(o.flags));
    // A variant the contract forbids must be refused: the run answers that instead of computing.
    const refusalExpected = p.mapping !== undefined && mappingViolations(cfg, p, mapping).length > 0;
    // The DRAM compares each result as it is written and stops at the first wrong one.
    const expect = o.expectInline && !refusalExpected ? golden(cfg, p) : undefined;
    // A checked run first starts forbidden descriptors that must be refused.
    const refusals = o.expectInline ? forbiddenDescriptors(rsImage(cfg, p, mapping).desc, cfg) : undefined;
    return runRs(cfg, p, { ...o, mapping, expect, refusalExpected, refusals });
  },
  firstMismatch(cfg, p, r) {
    const refusal = refusalMismatch(cfg, p, r);
    if (refusal !== 'none') return refusal;
    const bad = firstRsMismatch(cfg, p, r, golden(cfg, p));
    return bad && { ...bad, pe: `column ${bad.column}` };
  },
  cycleCheck: (cfg, p, r) =>
    r.stopped || r.refused || r.preludeFailure
      ? undefined
      : {
          measured: r.cycles,
          model: rsCycles(cfg, r.mapping, convShape(p), p.bias !== undefined),
          modelName: 'golden/rs/cycles.ts',
        },
  counterCheck: (cfg, p, r) =>
    r.stopped || r.refused || r.preludeFailure
      ? undefined
      : firstCounterDiff(
          [r.counters],
          [rsAccesses(cfg, r.mapping, convShape(p), p.bias !== undefined)],
          () => 'engine',
          'golden/rs/access.ts',
        ),
  summary(cfg, p, r, design) {
    const sh = convShape(p);
    const macs = sh.N * sh.M * sh.E * sh.F * sh.C * sh.R * sh.S;
    return {
      ofmap: r.ofmap,
      cycles: r.cycles,
      counters: r.counters,
      mapping: r.mapping,
      macs,
      utilization: macs / (r.cycles * cfg.peRows * cfg.peCols),
      energy: rsEnergy(r.counters),
      design: 'rs',
      configHash: design.configHash,
    };
  },
  failure: (cfg, problem, result, bad, x) =>
    bad.element === 'descriptor'
      ? descriptorFailure(bad, x.dir, x.reproduce)
      : rsFailureArtifacts({ cfg, problem, result, ...x }, bad),
  runFlags: [
    {
      flag: '--objective <what>',
      key: 'objective',
      doc: 'rs: what the mapper minimizes (cycles, then energy; or Eyeriss-model energy, then cycles)',
      choices: rsObjectives,
    },
  ],
  network: rsNetwork,
  int8: rsInt8,
  pes: (c) => c.peRows * c.peCols,
  stalls: false,
  simulators: ['verilator', 'icarus'],
  simCaps: { peRows: 6, peCols: 6, ifmapSpad: 48, filterSpad: 256, psumSpad: 32, glbBytes: 65536 },
  example: {
    preset: 'rs-4x4',
    problem: {
      ifmap: [
        [
          [
            [1, 2, 3, 4],
            [5, 6, 7, 8],
            [1, 2, 3, 4],
            [5, 6, 7, 8],
          ],
        ],
      ],
      filters: [
        [
          [
            [1, 0, -1],
            [2, 0, -2],
            [1, 0, -1],
          ],
        ],
      ],
      bias: [3],
      stride: 1,
      padding: 0,
      relu: false,
    },
  },
};
