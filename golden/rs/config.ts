import type { RsLimits } from './contract.js';
import { parseConfig, type ConfigOf, type ConfigRule, type ParamTable } from '../common/params.js';

export const rsParams = {
  peRows: { kind: 'int', min: 1, max: 32, default: 4, doc: 'PE array rows (filter rows of a PE set stack vertically)' },
  peCols: {
    kind: 'int',
    min: 1,
    max: 32,
    default: 4,
    doc: 'PE array columns (output rows of a PE set lie horizontally)',
  },
  dataWidth: { kind: 'int', min: 2, max: 16, default: 8, doc: 'bits of ifmap and filter values (signed)' },
  accWidth: {
    kind: 'int',
    min: 4,
    max: 48,
    default: 32,
    doc: 'bits of partial sums, bias and ofmap (at least 2 x dataWidth)',
  },
  ifmapSpad: {
    kind: 'int',
    min: 1,
    max: 256,
    default: 12,
    doc: 'ifmap scratchpad entries per PE (q channels x a ring of S or S + U taps, twice with ifAhead)',
  },
  filterSpad: {
    kind: 'int',
    min: 1,
    max: 1024,
    default: 224,
    doc: 'filter scratchpad entries per PE (p filters x q channels x S taps, twice with prefetch)',
  },
  psumSpad: { kind: 'int', min: 1, max: 256, default: 24, doc: 'psum scratchpad entries per PE (p filters)' },
  glbBytes: {
    kind: 'int',
    min: 256,
    max: 1 << 22,
    default: 32768,
    doc: 'global buffer bytes: half ifmap tile, half psum banks (one per PE column)',
  },
  requant: {
    kind: 'bool',
    default: false,
    doc: "output stage: write-back requantizes each ofmap value to int8 or uint8 (onnxruntime's arithmetic; descriptor flags bit 2, a float32 scale per filter above its bias)",
  },
} as const satisfies ParamTable;

export type RsConfig = ConfigOf<typeof rsParams>;

export const rsRules: ConfigRule<RsConfig>[] = [
  {
    keys: ['accWidth', 'dataWidth'],
    doc: '`accWidth` at least 2 x `dataWidth` (a full product fits)',
    check: (c) => c.accWidth >= 2 * c.dataWidth,
    message: (c) =>
      `key 'accWidth' has value ${c.accWidth}; allowed: an integer from ${2 * c.dataWidth} (2 x dataWidth ${c.dataWidth}) to 48`,
  },
  {
    // Half the buffer is psum: two banks per PE column, each must hold a word.
    keys: ['glbBytes', 'peCols', 'accWidth'],
    doc: '`glbBytes` holds at least the psum banks of every PE column (grows with `peCols` and `accWidth`)',
    check: (c) => c.glbBytes >= minGlbBytes(c),
    message: (c) =>
      `key 'glbBytes' has value ${c.glbBytes}; allowed: an integer from ${minGlbBytes(c)} to ${1 << 22} ` +
      `(half of it is psum: two banks of at least one ${c.accWidth}-bit word per PE column, ${c.peCols} columns)`,
  },
  {
    keys: ['requant', 'accWidth'],
    doc: 'the output stage (`requant`) needs `accWidth` at least 32 (the bias is the int32 offset it adds)',
    check: (c) => !c.requant || c.accWidth >= 32,
    message: (c) => `key 'accWidth' has value ${c.accWidth}; allowed with requant true: 32 to 48 (or requant false)`,
  },
];

/** The smallest global buffer whose psum half holds one word in both banks of every PE column. */
export function minGlbBytes(c: { peCols: number; accWidth: number }): number {
  return Math.max(256, 2 * 2 * c.peCols * Math.ceil(c.accWidth / 8));
}

const spads = { ifmapSpad: 12, filterSpad: 224, psumSpad: 24 };

export const rsPresets: Record<string, RsConfig> = {
  'rs-4x4': { peRows: 4, peCols: 4, dataWidth: 8, accWidth: 32, ...spads, glbBytes: 32 * 1024, requant: false },
  // int8 models with uint8 activations (9-bit values hold them as they are), requantized on chip.
  'rs-4x4-int8': { peRows: 4, peCols: 4, dataWidth: 9, accWidth: 32, ...spads, glbBytes: 32 * 1024, requant: true },
  eyeriss: { peRows: 12, peCols: 14, dataWidth: 16, accWidth: 32, ...spads, glbBytes: 108 * 1024, requant: false },
  // The dataflow comparison's equal-area point (docs/benchmarks.md): 256 PEs
  // with Eyeriss's spads (568 B each) and its 108 KB buffer: 256,000 B on chip.
  'rs-256': { peRows: 16, peCols: 16, dataWidth: 16, accWidth: 32, ...spads, glbBytes: 108 * 1024, requant: false },
};

export function parseRsConfig(raw: unknown, source = 'config'): RsConfig {
  return parseConfig('rs', rsParams, rsRules, raw, source);
}

/**
 * Global-buffer geometry: the ifmap tile (dataWidth values, held as lines of
 * four, one packed DRAM word each) and one psum bank per PE column.
 */
export function rsGlb(cfg: RsConfig) {
  const half = Math.floor(cfg.glbBytes / 2);
  const ifmapWords = Math.floor(half / Math.ceil(cfg.dataWidth / 8));
  return {
    ifmapWords,
    ifmapLines: Math.floor(ifmapWords / 4),
    psumWordsPerCol: Math.floor(half / (cfg.peCols * Math.ceil(cfg.accWidth / 8))),
  };
}

/** The sizes a descriptor is checked against (contract.ts rsDescriptorViolations). */
export function rsLimits(cfg: RsConfig): RsLimits {
  const glb = rsGlb(cfg);
  return {
    peRows: cfg.peRows,
    peCols: cfg.peCols,
    ifmapSpad: cfg.ifmapSpad,
    filterSpad: cfg.filterSpad,
    psumSpad: cfg.psumSpad,
    ifmapLines: glb.ifmapLines,
    psumHalf: Math.floor(glb.psumWordsPerCol / 2),
  };
}
