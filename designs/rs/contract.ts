// The rs engine's hardware/software contract: the mapping fields, the
// descriptor the sequencer reads from DRAM, the counters it writes back, the
// DRAM row packing and the phase costs the cycle model uses.
export interface RsMapping {
  Rg: number; rFolds: number; w: number; strips: number; V: number; Hs: number; q: number; p: number;
  cGroups: number; mGroups: number; tileRows: number; ring: number;
  /** 1: pass k+1 loads into the other spad and buffer halves while pass k computes. */
  prefetch: number;
  /**
   * 1: once a pass's ifmap taps are out and the next pass is loaded, column 0
   * of the next pass goes into the other half of the ifmap spads (needs
   * prefetch, 2 q ring <= ifmapSpad and R a multiple of Rg, so every pass
   * has the same active PEs).
   */
  ifAhead: number;
}

/** Descriptor words the sequencer reads from DRAM address 0 (one list for TS and the RTL). */
export const rsDescriptorFields = [
  'N', 'C', 'H', 'W', 'M', 'R', 'S', 'U', 'P', 'E', 'F',
  'Rg', 'rFolds', 'w', 'strips', 'V', 'Hs', 'q', 'p', 'cGroups', 'mGroups', 'tileRows', 'ring', 'prefetch', 'ifAhead',
  'flags', 'ifmapBase', 'filterBase', 'biasBase', 'ofmapBase', 'statsBase',
] as const;
export type RsDescriptorField = (typeof rsDescriptorFields)[number];

/**
 * Counters the engine writes to statsBase at the end, in this order. DRAM
 * reads and writes count values (the energy model's accesses); dramReadWords
 * counts the 64-bit read transfers (a packed row word holds up to four values).
 */
export const rsCounterNames = [
  'cycles', 'macs', 'filterSpadReads', 'filterSpadWrites', 'ifmapSpadReads', 'ifmapSpadWrites',
  'psumSpadReads', 'psumSpadWrites', 'interPe', 'glbIfmapReads', 'glbIfmapWrites', 'glbPsumReads',
  'glbPsumWrites', 'dramReads', 'dramWrites', 'activePesPeak', 'dramReadWords',
] as const;
export type RsCounters = Record<(typeof rsCounterNames)[number], number>;

// Fixed cycle costs of the sequencer's phases beyond one cycle per loop
// iteration (designs/rs/templates/rs_engine.sv.hbs, DRAM latency 1): a
// DRAM phase waits for its last response; LOADF's bus word lands a cycle
// later; WB reads the buffer a cycle ahead; COLS drains the chain (the last
// psum leaves the bottom PE V Rg + 1 cycles after its issue, then the phase
// ends).
/** Values per 64-bit DRAM word of an ifmap or filter row (16-bit lanes). */
export const rsLanes = 4;
export const rsWords = (n: number) => Math.ceil(n / rsLanes);

/** Largest stride the engine takes (the column IDs hold U x in 16 bits). */
export const rsMaxStride = 64;

/**
 * New ifmap taps per output column: U, or all S when the stride skips past
 * the window (U > S, e.g. a 1 x 1 filter with stride 2); the ring slides by it.
 */
export const rsAdvance = (sh: { S: number; U: number }) => Math.min(sh.U, sh.S);

export const rsPhase = { desc: 2, cfg: 1, bias: 2, loadF: 3, loadI: 2, cols: 2, wb: 2 };


