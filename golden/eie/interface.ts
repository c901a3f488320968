// The eie engine's hardware/software contract, written once: host-port
// targets, CSRs (fixed ones and a block per layer) and the per-PE counters.
// eie_pkg (the RTL's decode), the host program's constants and the
// datasheet's tables are generated from these lists.
import { byName, type CsrSpec, type TargetSpec } from '../common/csr-spec.js';

export const eieTargets = [
  { name: 'csr', sel: 0, doc: 'CSR' },
  { name: 'ptr', sel: 1, doc: 'pointer word' },
  { name: 'mat', sel: 2, doc: 'sparse-matrix line' },
  { name: 'bias', sel: 3, doc: 'bias' },
  { name: 'cb', sel: 4, doc: 'codebook (every PE)' },
  { name: 'act', sel: 5, doc: 'activation' },
  { name: 'cnt', sel: 6, doc: 'per-PE counter' },
] as const satisfies readonly TargetSpec[];

export const eieCsrs = [
  {
    name: 'ctrl',
    addr: 0,
    access: 'rw',
    doc: 'write: bit 0 start, bit 1 clear every activation (a new input then needs only its nonzero entries written); reads 0',
  },
  { name: 'status', addr: 1, access: 'ro', doc: 'bit 0 busy, bit 1 done' },
  { name: 'numLayers', addr: 2, access: 'rw', doc: 'layers to run (1..maxLayers)' },
  { name: 'cycles', addr: 3, access: 'ro', doc: 'busy cycles of the last run' },
  { name: 'broadcasts', addr: 4, access: 'ro', doc: 'activations broadcast in the last run' },
  { name: 'fullStalls', addr: 5, access: 'ro', doc: 'cycles the broadcast waited for a full queue' },
] as const satisfies readonly CsrSpec[];

/** Layer l's CSRs are at layerBase + layerStride l + offset. */
export const layerBase = 8;
export const layerStride = 4;
export const eieLayerCsrs = [
  { name: 'rows', addr: 0, access: 'rw', doc: 'output rows of the layer' },
  { name: 'ptrBase', addr: 1, access: 'rw', doc: 'pointer word of column 0 (the same in both banks and every PE)' },
  { name: 'flags', addr: 2, access: 'rw', doc: 'bits 3:0 the shift, bit 4 ReLU, bit 5 has bias' },
  { name: 'cycles', addr: 3, access: 'ro', doc: 'busy cycles of the layer in the last run' },
] as const satisfies readonly CsrSpec[];

export const peCounterNames = [
  'busy',
  'starved',
  'entries',
  'padding',
  'queueFull',
  'ptrReads',
  'matReads',
  'biasReads',
  'rfReads',
  'rfWrites',
  'cbReads',
] as const;
export type PeCounters = Record<(typeof peCounterNames)[number], number>;

export const EieSel = byName(eieTargets, 'sel') as { [K in (typeof eieTargets)[number]['name']]: number };
export const EieCsr = byName(eieCsrs, 'addr') as { [K in (typeof eieCsrs)[number]['name']]: number };
const layerOffset = byName(eieLayerCsrs, 'addr') as { [K in (typeof eieLayerCsrs)[number]['name']]: number };
/** The CSR number of layer l's register. */
export const layerCsr = (l: number, name: keyof typeof layerOffset) => layerBase + layerStride * l + layerOffset[name];
