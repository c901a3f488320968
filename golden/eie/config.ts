import { parseConfig, type ConfigOf, type ConfigRule, type ParamTable } from '../common/params.js';
import { memoryMessage, SIM_MEMORY_BUDGET, totalBufferBytes, type BufferShape } from '../common/sim-memory.js';

export const eieParams = {
  pes: { kind: 'int', min: 1, max: 256, default: 4, doc: 'processing elements N (row i belongs to PE i mod N)' },
  fifoDepth: { kind: 'int', min: 1, max: 64, default: 8, doc: 'activation queue entries per PE' },
  rowsPerPe: {
    kind: 'int',
    min: 1,
    max: 8192,
    default: 64,
    doc: 'source/destination register-file entries per PE (rows of a layer per PE)',
  },
  accWidth: { kind: 'int', min: 16, max: 48, default: 32, doc: 'accumulator bits' },
  indexBits: { kind: 'int', min: 1, max: 8, default: 4, doc: 'relative row index (z) bits' },
  codebookBits: { kind: 'int', min: 1, max: 8, default: 4, doc: 'codebook index (v) bits; 2^codebookBits entries' },
  entriesPerLine: {
    kind: 'int',
    min: 1,
    max: 16,
    default: 8,
    doc: '(v, z) entries per sparse-matrix line (a power of two)',
  },
  ptrDepth: { kind: 'int', min: 2, max: 1 << 20, default: 4096, doc: 'pointer words per bank (even and odd) per PE' },
  matDepth: { kind: 'int', min: 1, max: 1 << 20, default: 4096, doc: 'sparse-matrix lines per PE' },
  maxLayers: { kind: 'int', min: 1, max: 16, default: 4, doc: 'layers one run can chain on chip' },
} as const satisfies ParamTable;

export type EieConfig = ConfigOf<typeof eieParams>;

export const eieRules: ConfigRule<EieConfig>[] = [
  {
    keys: ['entriesPerLine'],
    doc: '`entriesPerLine` is a power of two',
    check: (c) => (c.entriesPerLine & (c.entriesPerLine - 1)) === 0,
    message: (c) => `key 'entriesPerLine' has value ${c.entriesPerLine}; allowed: 1, 2, 4, 8 or 16`,
  },
  {
    keys: ['matDepth', 'ptrDepth', 'pes', 'entriesPerLine'],
    doc: 'the PE memories fit the simulator memory budget (4 GiB; docs/benchmarks.md "Scale")',
    check: (c) => totalBufferBytes(eieBuffers(c)) <= SIM_MEMORY_BUDGET,
    message: (c) => memoryMessage(['matDepth', 'ptrDepth', 'pes'], eieBuffers(c)),
  },
];

/** The af_sram_1r1w memories of every PE (as generators/eie lists them for the datasheet). */
export function eieBuffers(c: EieConfig): BufferShape[] {
  const ptrWidth = Math.max(1, Math.ceil(Math.log2(c.matDepth * c.entriesPerLine + 1)));
  return [
    { what: 'the pointer banks', count: 2 * c.pes, width: ptrWidth, depth: c.ptrDepth },
    {
      what: 'the sparse-matrix memory',
      count: c.pes,
      width: c.entriesPerLine * (c.codebookBits + c.indexBits),
      depth: c.matDepth,
    },
    { what: 'the bias memory', count: c.pes, width: 16, depth: c.maxLayers * c.rowsPerPe },
  ];
}

const memories = { entriesPerLine: 8, ptrDepth: 4096, matDepth: 4096, maxLayers: 4 };

export const eiePresets: Record<string, EieConfig> = {
  'eie-4pe': { pes: 4, fifoDepth: 8, rowsPerPe: 64, accWidth: 32, indexBits: 4, codebookBits: 4, ...memories },
  'eie-64pe': { pes: 64, fifoDepth: 8, rowsPerPe: 64, accWidth: 32, indexBits: 4, codebookBits: 4, ...memories },
};

export function parseEieConfig(raw: unknown, source = 'config'): EieConfig {
  return parseConfig('eie', eieParams, eieRules, raw, source);
}
