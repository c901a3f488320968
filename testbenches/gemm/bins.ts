// ws and os functional coverage bins (testbenches/bins.ts): shapes against the
// array (partial tiles, K folding across passes), D, ReLU, operands at the
// ends of their range, accumulators that can wrap, host stalls, each
// dataflow of an array of both, native convolutions in either dataflow
// (padding, stride, channel tiles or row tiles, passes), and the output stage (types, per-column
// scales, both limits). From the problem and the RTL's result only.
import { runs, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import type { CoverageBin, CoverageBins } from '../common/bins.js';
import type { SystolicProblem } from './dataflow.js';
import { convGeometry, isConvProblem, type GemmConvProblem } from '../../golden/gemm/conv.js';
import { convPassList } from '../../golden/gemm/conv-models.js';
import type { ConvPass } from '../../golden/gemm/conv-passes.js';
import type { OsConvPass } from '../../golden/gemm/os-conv.js';
import type { GemmEngineResult } from './sim.js';
import { bases } from './host.js';
import { planPasses } from '../../golden/gemm/mapper.js';

/** The random generator's largest K (golden/gemm/problem.ts: 3 x 2 rows + 2, at most 64). */
const maxK = (cfg: GemmConfig) => Math.min(6 * cfg.rows + 2, 64);

function gemmBins(cfg: GemmConfig): CoverageBin[] {
  const R = cfg.rows,
    C = cfg.cols;
  const b = (name: string, doc: string, when = true) => (when ? [{ name, doc }] : []);
  const lim = (w: number) => 2 ** (cfg.signed ? w - 1 : w);
  return [
    ...b('M < rows', 'fewer rows of A than the array has rows', R > 1),
    ...b('M partial tile', 'M not a multiple of rows', R > 1),
    ...b('K folds', 'K over more than one pass of rows (K > rows)'),
    ...b('K partial pass', 'K not a multiple of rows', R > 1),
    ...b('N partial tile', 'N not a multiple of cols', C > 1),
    ...b('N several tiles', 'N > cols: more than one column tile'),
    // Remainders of one: the last tile or pass a single row or column wide.
    ...b('M last tile one row', 'M = tiles x rows + 1 (M > rows)', R > 1),
    ...b('K last pass one row', 'K = passes x rows + 1 (K > rows)', R > 1),
    ...b('K three passes', 'K > 2 rows: a middle pass, neither first nor last'),
    // Exact fits: the last tile or pass full.
    ...b('M whole tiles', 'M a multiple of rows'),
    ...b('K whole passes', 'K a multiple of rows'),
    ...b('N whole tiles', 'N a multiple of cols'),
    ...b('N last tile one column', 'N = tiles x cols + 1 (N > cols)', C > 1),
    // A tile base one off shows only where a middle tile's end is taken for the last one.
    ...b('N third tile one column', 'N = tiles x cols + 1 with three or more tiles (N > 2 cols)', C > 1),
    ...b('K third pass one row', 'K = passes x rows + 1 with three or more passes (K > 2 rows)', R > 1),
    ...b('D', 'an accumulator input D'),
    ...b('ReLU', 'ReLU on the output', cfg.signed),
    ...b('A extreme', `A holds ${cfg.signed ? 'the most negative' : 'the largest'} value of dataWidth`),
    ...b('B extreme', `B holds ${cfg.signed ? 'the most negative' : 'the largest'} value of dataWidth`),
    // Reachable only when K x |a| x |b| can pass the accumulator's range within the generator's K.
    ...b(
      'accumulator can wrap',
      'K x max|A| x max|B| reaches the accumulator range (the sum can wrap)',
      maxK(cfg) * lim(cfg.dataWidth) ** 2 >= lim(cfg.accWidth),
    ),
    ...b('host stalls', 'the host throttled its requests'),
    ...b('buffers placed high', "the host placed the rows away from row 0 of the buffers (the base CSRs' bits)"),
    ...b('A in upper half', "A's rows placed in the upper half of the A buffer (its top address bit)", cfg.aDepth > 1),
    ...b('B in upper half', "B's rows placed in the upper half of the B buffer (its top address bit)", cfg.bDepth > 1),
    ...b(
      'acc in upper half',
      'C placed in the upper half of the accumulator buffer (its top address bit)',
      cfg.accDepth > 1,
    ),
    ...b('dataflow ws', 'a run in the weight-stationary dataflow', cfg.dataflow === 'both'),
    ...b('dataflow os', 'a run in the output-stationary dataflow', cfg.dataflow === 'both'),
  ];
}

function convBins(cfg: GemmConfig): CoverageBin[] {
  const ws = runs(cfg, 'ws'),
    os = runs(cfg, 'os');
  const only = (on: boolean, name: string, doc: string) => (on ? [{ name, doc }] : []);
  return [
    { name: 'conv', doc: 'a native convolution' },
    { name: 'conv padding', doc: 'a convolution with zero padding generated on chip' },
    { name: 'conv padding right', doc: "a window that reaches past the ifmap's last column" },
    { name: 'conv padding bottom', doc: "a window that reaches past the ifmap's last row" },
    { name: 'conv stride', doc: 'a convolution with stride > 1' },
    ...only(ws, 'conv channel tiles', 'ws: C > rows, more than one channel tile'),
    // Reachable on any buffers: half of verify's convolutions plan within a budget of rows (input key buffers).
    { name: 'conv passes', doc: 'a convolution over more than one pass (bands, image groups, filter tiles or K)' },
    {
      name: 'conv K passes',
      doc: 'a column of filters over more than one K pass (ws: from the tap in CSR convTap; os: channel groups)',
    },
    { name: 'conv column tiles', doc: 'a pass over more than one column tile of filters' },
    { name: 'conv bands', doc: 'an image in bands of output rows or columns (CSRs convBand, convBandW)' },
    { name: 'conv bias', doc: 'a convolution with bias' },
    ...only(os, 'conv row tiles', 'os: an output row over more than one tile of rows pixels'),
    ...only(os, 'conv second row', 'os: steps that read two A rows (their positions start past lane 0)'),
    ...only(os, 'conv wide filter', 'os: a filter row wider than rows x stride (a step starts past a whole A row)'),
    ...only(os, 'conv padding past a tile', 'os: left padding of at least rows x stride (a later tile starts in it)'),
  ];
}

/** A native convolution's bins in the dataflow that runs it. */
function convHits(cfg: GemmConfig, df: Dataflow, p: GemmConvProblem): string[] {
  const g = convGeometry(cfg, p);
  const hits = ['conv'];
  if (p.padding > 0) hits.push('conv padding');
  if ((g.F - 1) * g.U + g.S - 1 - g.P >= g.W) hits.push('conv padding right');
  if ((g.E - 1) * g.U + g.R - 1 - g.P >= g.H) hits.push('conv padding bottom');
  if (p.stride > 1) hits.push('conv stride');
  if (p.bias) hits.push('conv bias');
  if (df === 'os') {
    const passes = convPassList(cfg, 'os', g) as OsConvPass[];
    if (passes.length > 1) hits.push('conv passes');
    if (passes.some((ps) => ps.cN < g.C)) hits.push('conv K passes');
    if (passes.some((ps) => ps.mM > cfg.cols)) hits.push('conv column tiles');
    if (passes.some((ps) => ps.eN < g.E)) hits.push('conv bands');
    if (g.F > cfg.rows) hits.push('conv row tiles');
    if (Math.floor((g.S - 1) / g.U) % cfg.rows !== 0) hits.push('conv second row');
    if (Math.floor((g.S - 1) / g.U) >= cfg.rows) hits.push('conv wide filter');
    if (Math.floor(g.P / g.U) >= cfg.rows && g.F > cfg.rows) hits.push('conv padding past a tile');
    return hits;
  }
  const passes = convPassList(cfg, 'ws', g) as ConvPass[];
  if (g.CT > 1) hits.push('conv channel tiles');
  if (passes.length > 1) hits.push('conv passes');
  if (passes.some((ps) => ps.kN < g.R * g.S * g.CT)) hits.push('conv K passes');
  if (passes.some((ps) => ps.mM > cfg.cols)) hits.push('conv column tiles');
  if (passes.some((ps) => ps.eN < g.E || ps.fN < g.F)) hits.push('conv bands');
  return hits;
}

const extreme = (cfg: GemmConfig, m: bigint[][]) => {
  const e = cfg.signed ? -(2n ** BigInt(cfg.dataWidth - 1)) : 2n ** BigInt(cfg.dataWidth) - 1n;
  return m.some((r) => r.includes(e));
};
const maxAbs = (m: bigint[][]) =>
  m.reduce((s, r) => r.reduce((t, v) => (v < 0n ? (-v > t ? -v : t) : v > t ? v : t), s), 0n);

function gemmHits(cfg: GemmConfig, p: SystolicProblem, r: GemmEngineResult | undefined, stall: number): string[] {
  if (isConvProblem(p)) {
    const df = r?.dataflow ?? (p.dataflow === 'os' || p.dataflow === 'ws' ? p.dataflow : runs(cfg, 'ws') ? 'ws' : 'os');
    const hits = convHits(cfg, df, p);
    if (stall > 0) hits.push('host stalls');
    return hits;
  }
  const M = p.a.length,
    K = p.b.length,
    N = p.b[0]?.length ?? 0;
  const R = cfg.rows,
    C = cfg.cols;
  const hits: string[] = [];
  const when = (c: boolean, n: string) => c && hits.push(n);
  when(M < R, 'M < rows');
  when(M % R !== 0, 'M partial tile');
  when(K > R, 'K folds');
  when(K % R !== 0, 'K partial pass');
  when(N % C !== 0, 'N partial tile');
  when(N > C, 'N several tiles');
  when(M > R && M % R === 1, 'M last tile one row');
  when(K > R && K % R === 1, 'K last pass one row');
  when(K > 2 * R, 'K three passes');
  when(M % R === 0, 'M whole tiles');
  when(K % R === 0, 'K whole passes');
  when(N % C === 0, 'N whole tiles');
  when(N > C && N % C === 1, 'N last tile one column');
  when(N > 2 * C && N % C === 1, 'N third tile one column');
  when(K > 2 * R && K % R === 1, 'K third pass one row');
  when(!!p.d, 'D');
  when(!!p.relu, 'ReLU');
  when(extreme(cfg, p.a), 'A extreme');
  when(extreme(cfg, p.b), 'B extreme');
  const reach = BigInt(K) * maxAbs(p.a) * maxAbs(p.b);
  when(reach >= 2n ** BigInt(cfg.signed ? cfg.accWidth - 1 : cfg.accWidth), 'accumulator can wrap');
  when(stall > 0, 'host stalls');
  const df = cfg.dataflow === 'both' ? (r?.dataflow ?? 'ws') : cfg.dataflow;
  const base = bases(cfg, df, p, planPasses(cfg, df, M, K, N, p.requant !== undefined));
  when(base.a > 0 || base.b > 0 || base.acc > 0, 'buffers placed high');
  const upper = (b: number, depth: number) => depth > 1 && b >= 2 ** (Math.ceil(Math.log2(depth)) - 1);
  when(upper(base.a, cfg.aDepth), 'A in upper half');
  when(upper(base.b, cfg.bDepth), 'B in upper half');
  when(upper(base.acc, cfg.accDepth), 'acc in upper half');
  // The dataflow the run used.
  when(cfg.dataflow === 'both' && r?.dataflow === 'ws', 'dataflow ws');
  when(cfg.dataflow === 'both' && r?.dataflow === 'os', 'dataflow os');
  return hits;
}

/** The output stage (quantDepth > 0): each output type, per-column scales, both limits reached, passes in N. */
function requantBins(cfg: GemmConfig): CoverageBin[] {
  if (cfg.quantDepth === 0) return [];
  return [
    { name: 'requant int8', doc: 'a run requantized to int8 outputs' },
    { name: 'requant uint8', doc: 'a run requantized to uint8 outputs' },
    { name: 'requant per column', doc: 'different scales per output column' },
    { name: 'requant low limit', doc: "an output clamped at its type's lowest value (or the zero point under ReLU)" },
    { name: 'requant high limit', doc: "an output clamped at its type's highest value" },
  ];
}

/** Output-stage bins of a run: from the problem, and the limits from the RTL's result. */
function requantHits(p: SystolicProblem, r: GemmEngineResult | undefined): string[] {
  if (isConvProblem(p) || !p.requant) return [];
  const q = p.requant;
  const hits = [q.output === 'int8' ? 'requant int8' : 'requant uint8'];
  if (new Set(q.scale).size > 1) hits.push('requant per column');
  const [lo, hi] = q.output === 'int8' ? [-128n, 127n] : [0n, 255n];
  const low = p.relu ? BigInt(Math.max(Number(lo), q.zeroPoint)) : lo;
  const n = q.scale.length;
  const values = (r?.c ?? []).flatMap((row) => row.slice(0, n));
  if (values.includes(low)) hits.push('requant low limit');
  if (values.includes(hi)) hits.push('requant high limit');
  return hits;
}

export const systolicBins: CoverageBins<GemmConfig, SystolicProblem, GemmEngineResult> = {
  list: (cfg) => [...gemmBins(cfg), ...convBins(cfg), ...requantBins(cfg)],
  hit: (cfg, p, r, c) => [...gemmHits(cfg, p, r, c.stallPermille ?? 0), ...requantHits(p, r)],
  // Everything but the dataflow of the run is known from the problem.
  predict: (cfg, p, c) => [...gemmHits(cfg, p, undefined, c.stallPermille ?? 0), ...requantHits(p, undefined)],
};
