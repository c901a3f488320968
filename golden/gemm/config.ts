// The systolic family's configuration: one parameter table for the ws and os
// designs, which differ in the dataflow their array runs (weight or output
// stationary) and in their presets. `dataflow: both` builds an array that
// runs either, chosen per problem through the CTRL register (as Gemmini's
// runtime dataflow).
import { parseConfig, type ConfigRule, type ParamTable } from '../common/params.js';

/** The dataflow of one run. */
export type Dataflow = 'ws' | 'os';
/** What an array can run. */
export type ArrayDataflow = Dataflow | 'both';

const tables = {
  ws: {
    rows: 'PE rows R (ws: the K side of the GEMM; os: the M side)',
    dataflow: "'ws' (weight stationary) or 'both' (either, chosen per run by CTRL bit 3)",
  },
  os: {
    rows: 'PE rows R (os: the M side of the GEMM, a tile holds R rows of C; ws: the K side)',
    dataflow: "'os' (output stationary) or 'both' (either, chosen per run by CTRL bit 3)",
  },
};

function gemmParams<D extends Dataflow>(design: D) {
  return {
    rows: { kind: 'int', min: 1, max: 256, default: 4, doc: tables[design].rows },
    cols: { kind: 'int', min: 1, max: 256, default: 4, doc: 'PE columns C (the N side of the GEMM)' },
    dataWidth: { kind: 'int', min: 2, max: 16, default: 8, doc: 'bits of A and B entries' },
    accWidth: {
      kind: 'int',
      min: 4,
      max: 48,
      default: 32,
      doc: 'bits of partial sums, D and C (at least 2 x dataWidth)',
    },
    signed: { kind: 'bool', default: true, doc: "two's complement data (false: unsigned)" },
    aDepth: {
      kind: 'int',
      min: 1,
      max: 1 << 20,
      default: 16384,
      doc: 'input (A) buffer rows of rows x dataWidth bits',
    },
    bDepth: {
      kind: 'int',
      min: 1,
      max: 1 << 20,
      default: 16384,
      doc: 'weight (B) buffer rows of cols x dataWidth bits',
    },
    accDepth: {
      kind: 'int',
      min: 1,
      max: 1 << 20,
      default: 16384,
      doc: 'accumulator buffer rows of cols x accWidth bits',
    },
    dataflow: { kind: 'enum', values: [design, 'both'] as const, default: design, doc: tables[design].dataflow },
    quantDepth: {
      kind: 'int',
      min: 0,
      max: 65536,
      default: 0,
      doc: "output stage: requantizes C to int8 or uint8 outputs in hardware (onnxruntime's arithmetic) for runs of up to quantDepth columns, one scale and offset per column (0: no output stage)",
    },
  } as const satisfies ParamTable;
}

export const wsParams = gemmParams('ws');
export const osParams = gemmParams('os');

/** A configuration of either design. */
export interface GemmConfig {
  rows: number;
  cols: number;
  dataWidth: number;
  accWidth: number;
  signed: boolean;
  aDepth: number;
  bDepth: number;
  accDepth: number;
  dataflow: ArrayDataflow;
  /** Output-stage table entries (0: no output stage). */
  quantDepth: number;
}
export type WsConfig = GemmConfig & { dataflow: 'ws' | 'both' };
export type OsConfig = GemmConfig & { dataflow: 'os' | 'both' };

/** Whether the array can run a dataflow. */
export const runs = (cfg: Pick<GemmConfig, 'dataflow'>, df: Dataflow) => cfg.dataflow === df || cfg.dataflow === 'both';

export const gemmRules: ConfigRule<GemmConfig>[] = [
  {
    keys: ['accWidth', 'dataWidth'],
    doc: '`accWidth` at least 2 x `dataWidth` (a full product fits)',
    check: (c) => c.accWidth >= 2 * c.dataWidth,
    message: (c) =>
      `key 'accWidth' has value ${c.accWidth}; allowed: an integer from ${2 * c.dataWidth} (2 x dataWidth ${c.dataWidth}) to 48`,
  },
  {
    keys: ['bDepth', 'rows', 'dataflow'],
    doc: '`bDepth` at least `rows` when the array runs ws (one weight tile)',
    check: (c) => !runs(c, 'ws') || c.bDepth >= c.rows,
    message: (c) =>
      `key 'bDepth' has value ${c.bDepth}; allowed: an integer from ${c.rows} (rows: one weight tile) to ${1 << 20}`,
  },
  {
    keys: ['quantDepth', 'cols'],
    doc: '`quantDepth` 0 or a multiple of `cols` (the output stage loads a whole tile column of entries)',
    check: (c) => c.quantDepth % c.cols === 0,
    message: (c) =>
      `key 'quantDepth' has value ${c.quantDepth}; allowed: 0 or a multiple of cols (${c.cols}) up to 65536`,
  },
  {
    keys: ['quantDepth', 'signed'],
    doc: 'an output stage (`quantDepth` > 0) needs `signed` (int32 accumulators, int8 weights)',
    check: (c) => c.quantDepth === 0 || c.signed,
    message: (c) =>
      `key 'quantDepth' has value ${c.quantDepth}; allowed with signed false: 0 (the output stage requantizes signed int32 accumulators)`,
  },
  {
    keys: ['quantDepth', 'accWidth'],
    doc: 'an output stage needs `accWidth` at least 9 (an 8-bit output, signed or not, is written into an accumulator)',
    check: (c) => c.quantDepth === 0 || c.accWidth >= 9,
    message: (c) =>
      `key 'accWidth' has value ${c.accWidth}; allowed with quantDepth ${c.quantDepth}: 9 to 48 (or quantDepth 0)`,
  },
];

const buffers = { aDepth: 16384, bDepth: 16384, accDepth: 16384 };
const base = { dataWidth: 8, accWidth: 32, signed: true, ...buffers, quantDepth: 0 };
// The presets that run int8 networks: an output stage for layers of up to 1024 outputs per pass.
const int8 = { ...base, quantDepth: 1024 };

export const wsPresets: Record<string, WsConfig> = {
  'ws-4x4': { rows: 4, cols: 4, ...base, dataflow: 'ws' },
  'ws-16x16': { rows: 16, cols: 16, ...int8, dataflow: 'ws' },
  // The dataflow comparison's equal-area point (docs/benchmarks.md): 256 PEs,
  // 16-bit data, two 16-bit weight registers per PE (1 KB) and 249 KB of
  // buffers (A 64 KB, B 64 KB, accumulators 121 KB): 256,000 B on chip, as rs-256.
  'ws-256': {
    rows: 16,
    cols: 16,
    dataWidth: 16,
    accWidth: 32,
    signed: true,
    aDepth: 2048,
    bDepth: 2048,
    accDepth: 1936,
    dataflow: 'ws',
    quantDepth: 0,
  },
  // Either dataflow per run: the area cost of both against ws-16x16 (docs/benchmarks.md).
  'ws-16x16-both': { rows: 16, cols: 16, ...int8, dataflow: 'both' },
  // Standard int8 models with uint8 activations (onnxruntime's default): 9-bit
  // operands hold a uint8 activation (0 .. 255) and an int8 weight less a
  // non-zero zero point as they are; the output stage requantizes.
  'ws-16x16-int8': { rows: 16, cols: 16, ...int8, dataWidth: 9, dataflow: 'ws' },
  // TPU v1's matrix unit (Jouppi et al., ISCA 2017): 256 x 256 8-bit MACs, 32-bit
  // accumulators; buffers for a 1024 x 1024 x 1024 GEMM in one pass (A and B
  // 1 MiB each, accumulators 4 MiB as TPU v1's).
  'tpu-v1': { rows: 256, cols: 256, ...base, aDepth: 4096, bDepth: 4096, accDepth: 4096, dataflow: 'ws' },
};

export const osPresets: Record<string, OsConfig> = {
  'os-4x4': { rows: 4, cols: 4, ...base, dataflow: 'os' },
  'os-16x16': { rows: 16, cols: 16, ...int8, dataflow: 'os' },
  'os-16x16-int8': { rows: 16, cols: 16, ...int8, dataWidth: 9, dataflow: 'os' },
  // The equal-area point: a 32-bit sum and a 32-bit result slot per PE (2 KB)
  // and 248 KB of buffers (A 64 KB, B 64 KB, accumulators 120 KB): 256,000 B.
  'os-256': {
    rows: 16,
    cols: 16,
    dataWidth: 16,
    accWidth: 32,
    signed: true,
    aDepth: 2048,
    bDepth: 2048,
    accDepth: 1920,
    dataflow: 'os',
    quantDepth: 0,
  },
  // tpu-v1's size in output-stationary form: a 1024 x 1024 x 1024 GEMM in one pass.
  'os-256x256': { rows: 256, cols: 256, ...base, aDepth: 4096, bDepth: 4096, accDepth: 4096, dataflow: 'os' },
};

export function parseWsConfig(raw: unknown, source = 'config'): WsConfig {
  return parseConfig('ws', wsParams, gemmRules, raw, source) as WsConfig;
}

export function parseOsConfig(raw: unknown, source = 'config'): OsConfig {
  return parseConfig('os', osParams, gemmRules, raw, source) as OsConfig;
}
