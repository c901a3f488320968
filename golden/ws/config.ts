import { parseConfig, type ConfigOf, type ConfigRule, type ParamTable } from '../common/params.js';

export const wsParams = {
  rows: { kind: 'int', min: 1, max: 256, default: 4, doc: 'PE rows R (the K side of the GEMM)' },
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
  aDepth: { kind: 'int', min: 1, max: 1 << 20, default: 16384, doc: 'input (A) buffer rows of rows x dataWidth bits' },
  bDepth: {
    kind: 'int',
    min: 1,
    max: 1 << 20,
    default: 16384,
    doc: 'weight (B) buffer rows of cols x dataWidth bits (at least rows)',
  },
  accDepth: {
    kind: 'int',
    min: 1,
    max: 1 << 20,
    default: 16384,
    doc: 'accumulator buffer rows of cols x accWidth bits',
  },
} as const satisfies ParamTable;

export type WsConfig = ConfigOf<typeof wsParams>;

export const wsRules: ConfigRule<WsConfig>[] = [
  {
    keys: ['accWidth', 'dataWidth'],
    doc: '`accWidth` at least 2 x `dataWidth` (a full product fits)',
    check: (c) => c.accWidth >= 2 * c.dataWidth,
    message: (c) =>
      `key 'accWidth' has value ${c.accWidth}; allowed: an integer from ${2 * c.dataWidth} ` +
      `(2 x dataWidth ${c.dataWidth}) to 48`,
  },
  {
    keys: ['bDepth', 'rows'],
    doc: '`bDepth` at least `rows` (one weight tile)',
    check: (c) => c.bDepth >= c.rows,
    message: (c) =>
      `key 'bDepth' has value ${c.bDepth}; allowed: an integer from ${c.rows} (rows: one weight tile) to ${1 << 20}`,
  },
];

const buffers = { aDepth: 16384, bDepth: 16384, accDepth: 16384 };

export const wsPresets: Record<string, WsConfig> = {
  'ws-4x4': { rows: 4, cols: 4, dataWidth: 8, accWidth: 32, signed: true, ...buffers },
  'ws-16x16': { rows: 16, cols: 16, dataWidth: 8, accWidth: 32, signed: true, ...buffers },
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
  },
};

export function parseWsConfig(raw: unknown, source = 'config'): WsConfig {
  return parseConfig('ws', wsParams, wsRules, raw, source);
}
