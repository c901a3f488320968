// The os configuration: the same keys as ws (an output-stationary array of
// the same numerics and buffers), its own presets.
import { parseConfig, type ConfigOf, type ConfigRule, type ParamTable } from '../common/params.js';

export const osParams = {
  rows: {
    kind: 'int',
    min: 1,
    max: 256,
    default: 4,
    doc: 'PE rows R (the M side of the GEMM: a tile holds R rows of C)',
  },
  cols: { kind: 'int', min: 1, max: 256, default: 4, doc: 'PE columns C (the N side of the GEMM)' },
  dataWidth: { kind: 'int', min: 2, max: 16, default: 8, doc: 'bits of A and B entries' },
  accWidth: { kind: 'int', min: 4, max: 48, default: 32, doc: 'bits of the PE sums, D and C (at least 2 x dataWidth)' },
  signed: { kind: 'bool', default: true, doc: "two's complement data (false: unsigned)" },
  aDepth: {
    kind: 'int',
    min: 1,
    max: 1 << 20,
    default: 16384,
    doc: 'A buffer rows of rows x dataWidth bits (one per tile row group and k)',
  },
  bDepth: {
    kind: 'int',
    min: 1,
    max: 1 << 20,
    default: 16384,
    doc: 'B buffer rows of cols x dataWidth bits (one per tile column group and k)',
  },
  accDepth: {
    kind: 'int',
    min: 1,
    max: 1 << 20,
    default: 16384,
    doc: 'accumulator buffer rows of cols x accWidth bits',
  },
} as const satisfies ParamTable;

export type OsConfig = ConfigOf<typeof osParams>;

export const osRules: ConfigRule<OsConfig>[] = [
  {
    keys: ['accWidth', 'dataWidth'],
    doc: '`accWidth` at least 2 x `dataWidth` (a full product fits)',
    check: (c) => c.accWidth >= 2 * c.dataWidth,
    message: (c) =>
      `key 'accWidth' has value ${c.accWidth}; allowed: an integer from ${2 * c.dataWidth} (2 x dataWidth ${c.dataWidth}) to 48`,
  },
];

const buffers = { aDepth: 16384, bDepth: 16384, accDepth: 16384 };

export const osPresets: Record<string, OsConfig> = {
  'os-4x4': { rows: 4, cols: 4, dataWidth: 8, accWidth: 32, signed: true, ...buffers },
  'os-16x16': { rows: 16, cols: 16, dataWidth: 8, accWidth: 32, signed: true, ...buffers },
  // The dataflow comparison's equal-area point (docs/benchmarks.md): 256 PEs,
  // 16-bit data, a 32-bit sum and a 32-bit result slot per PE (2 KB) and
  // 248 KB of buffers (A 64 KB, B 64 KB, accumulators 120 KB): 256,000 B on chip.
  'os-256': {
    rows: 16,
    cols: 16,
    dataWidth: 16,
    accWidth: 32,
    signed: true,
    aDepth: 2048,
    bDepth: 2048,
    accDepth: 1920,
  },
};

export function parseOsConfig(raw: unknown, source = 'config'): OsConfig {
  return parseConfig('os', osParams, osRules, raw, source);
}
