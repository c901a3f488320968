// rs functional coverage bins (testbenches/bins.ts): the layer's shape
// (stride, padding, stride past the filter width, batch, bias, ReLU) and the
// mapping the run used (folding in every dimension, each scratchpad filled
// to its last entry, prefetch and the ifmap running ahead), plus the RTL's
// own DRAM counters. From the problem, the mapper's choice and the counters.
import type { RsConfig } from '../../golden/rs/config.js';
import { rsLimits } from '../../golden/rs/config.js';
import { convShape, type ConvProblem } from '../../golden/rs/golden.js';
import { mapConv } from '../../golden/rs/mapper.js';
import type { RsMapping } from '../../golden/rs/contract.js';
import type { CoverageBin, CoverageBins } from '../common/bins.js';
import type { RsRunResult } from './sim.js';
import { mappingViolations } from './variant.js';

const bins: CoverageBin[] = [
  { name: 'stride > 1', doc: 'stride U > 1' },
  { name: 'stride past the filter', doc: 'stride U > S (columns of the ifmap no filter reads)' },
  { name: 'padding', doc: 'zero padding P > 0' },
  { name: 'batch', doc: 'N > 1 images' },
  { name: 'bias', doc: 'a layer with bias' },
  { name: 'ReLU', doc: 'a layer with ReLU' },
  { name: 'filter rows folded', doc: 'R over more than one fold of array rows (rFolds > 1)' },
  { name: 'ifmap strips', doc: 'the output rows in more than one strip (strips > 1)' },
  { name: 'channel groups', doc: 'C over more than one group (cGroups > 1)' },
  { name: 'filter groups', doc: 'M over more than one group (mGroups > 1)' },
  { name: 'channels per PE', doc: 'q > 1 channels in a PE' },
  { name: 'filters per PE', doc: 'p > 1 filters in a PE' },
  { name: 'filter spad full', doc: 'p q S (x 2 with prefetch) fills the filter scratchpad to its last entry' },
  { name: 'ifmap spad full', doc: 'q ring (x 2 running ahead) fills the ifmap scratchpad' },
  { name: 'psum spad full', doc: 'p fills the psum scratchpad' },
  { name: 'prefetch', doc: 'the next pass loads while this one computes' },
  { name: 'ifmap ahead', doc: "the next pass's ifmap goes into the other spad half early" },
  { name: 'mapping variant', doc: "a legal mapping other than the mapper's (testbenches/rs/variant.ts)" },
  { name: 'descriptor refused', doc: 'a mapping the descriptor contract forbids, refused by the RTL' },
];

function fromMapping(cfg: RsConfig, p: ConvProblem, m: RsMapping): string[] {
  const sh = convShape(p);
  const l = rsLimits(cfg);
  const halves = m.prefetch + 1;
  const hits: string[] = [];
  const when = (c: boolean, n: string) => c && hits.push(n);
  when(sh.U > 1, 'stride > 1');
  when(sh.U > sh.S, 'stride past the filter');
  when(sh.P > 0, 'padding');
  when(sh.N > 1, 'batch');
  when(!!p.bias, 'bias');
  when(!!p.relu, 'ReLU');
  when(m.rFolds > 1, 'filter rows folded');
  when(m.strips > 1, 'ifmap strips');
  when(m.cGroups > 1, 'channel groups');
  when(m.mGroups > 1, 'filter groups');
  when(m.q > 1, 'channels per PE');
  when(m.p > 1, 'filters per PE');
  when(m.p * m.q * sh.S * halves === l.filterSpad, 'filter spad full');
  when(m.q * m.ring * (m.ifAhead + 1) === l.ifmapSpad, 'ifmap spad full');
  when(m.p === l.psumSpad, 'psum spad full');
  when(m.prefetch === 1, 'prefetch');
  when(m.ifAhead === 1, 'ifmap ahead');
  return hits;
}

/** A case's bins under its mapping: the layer's and the mapping's, or only that it was refused. */
function caseHits(cfg: RsConfig, p: ConvProblem, m: RsMapping, refused: boolean): string[] {
  if (refused) return ['descriptor refused'];
  return [...fromMapping(cfg, p, m), ...(p.mapping ? ['mapping variant'] : [])];
}

export const rsBins: CoverageBins<RsConfig, ConvProblem, RsRunResult> = {
  list: () => bins,
  // The case's own mapping, else the mapper's for `verify` (objective cycles), as simulate chooses it.
  predict: (cfg, p) => {
    const m = p.mapping ?? mapConv(cfg, convShape(p), p.bias !== undefined, 'cycles');
    return caseHits(cfg, p, m, p.mapping !== undefined && mappingViolations(cfg, p, m).length > 0);
  },
  // The mapping the run used.
  hit: (cfg, p, r) => caseHits(cfg, p, r.mapping, r.refused !== undefined),
};
