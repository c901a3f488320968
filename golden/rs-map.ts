// The row-stationary mapper and the engine's cycle and access model.
//
// Mapping (an equivalent of the ISCA 2016 m, n, e, p, q, r, t set):
//  - A PE set is Rg filter rows (array rows) x w output rows (array columns):
//    PE (r, x) convolves filter row r0 + r with ifmap row U (e0 + x) + r0 + r - P
//    into psum row e0 + x. Filter rows travel horizontally, ifmap rows
//    diagonally (one ifmap row feeds every PE with U x + r equal), psums
//    vertically down the column.
//  - V sets stack vertically; they take different channel groups and their
//    psum chains join, so one column adds V * Rg * q channel-rows before the
//    global buffer sees the sum (Eyeriss's vertical channel accumulation).
//  - Hs = floor(peCols / w) sets lie side by side; they take different filter
//    groups and share the ifmap by multicast.
//  - Each PE interleaves q channels and p filters (filter spad p q S, ifmap
//    spad q S, psum spad p).
//  - Folding: strips of w output rows; filter groups of Hs p; channel groups
//    of V q and filter-row folds of Rg are accumulated through the psum banks
//    of the global buffer (read back, added to, written again).
// Loop nest of the sequencer (outer to inner): image n, strip, filter group,
// channel group, row fold (a "pass"), output column f.
import type { RsConfig } from '../generators/config/rs.js';
import { rsGlb } from '../generators/config/rs.js';
import { InputError } from '../generators/errors.js';
import type { ConvShape } from './rs.js';

export interface RsMapping {
  Rg: number; rFolds: number; w: number; strips: number; V: number; Hs: number; q: number; p: number;
  cGroups: number; mGroups: number; tileRows: number;
}

/** Descriptor words the sequencer reads from DRAM address 0 (one list for TS and the RTL). */
export const rsDescriptorFields = [
  'N', 'C', 'H', 'W', 'M', 'R', 'S', 'U', 'P', 'E', 'F',
  'Rg', 'rFolds', 'w', 'strips', 'V', 'Hs', 'q', 'p', 'cGroups', 'mGroups', 'tileRows',
  'flags', 'ifmapBase', 'filterBase', 'biasBase', 'ofmapBase', 'statsBase',
] as const;
export type RsDescriptorField = (typeof rsDescriptorFields)[number];

/** Counters the engine writes to statsBase at the end, in this order. */
export const rsCounterNames = [
  'cycles', 'macs', 'filterSpadReads', 'filterSpadWrites', 'ifmapSpadReads', 'ifmapSpadWrites',
  'psumSpadReads', 'psumSpadWrites', 'interPe', 'glbIfmapReads', 'glbIfmapWrites', 'glbPsumReads',
  'glbPsumWrites', 'dramReads', 'dramWrites', 'activePesPeak',
] as const;
export type RsCounters = Record<(typeof rsCounterNames)[number], number>;

// Fixed cycle costs of the sequencer's phases beyond one cycle per loop
// iteration (the RTL of generators/rs/templates/rs_engine.sv.hbs).
export const rsPhase = {
  desc: 3, // descriptor: 28 reads + response latency + decode
  cfg: 1,
  bias: 2,
  loadF: 2, // filter spads cleared in the first cycle
  loadI: 2,
  ifmap: 2,
  mac: 1,
  psum: 3, // + chain length
  wb: 2,
  end: 1,
};

const cdiv = (a: number, b: number) => Math.ceil(a / b);

function check(what: string, ok: boolean, msg: string) {
  if (!ok) throw new InputError(`${what}: ${msg}`);
}

/** All (w, V, q, p) that fit the scratchpads and the buffer; the fastest by the cycle model. */
export function mapConv(cfg: RsConfig, sh: ConvShape, hasBias = false): RsMapping {
  const glb = rsGlb(cfg);
  const layer = `layer R=${sh.R} S=${sh.S} U=${sh.U} E=${sh.E} F=${sh.F}`;
  check(layer, sh.U >= 1 && sh.U <= sh.S, `stride U=${sh.U} is out of range; allowed: 1..S (${sh.S})`);
  check(layer, sh.S <= cfg.ifmapSpad, `filter width S=${sh.S} needs an ifmap scratchpad of at least S entries; ifmapSpad is ${cfg.ifmapSpad}`);
  check(layer, sh.S <= cfg.filterSpad, `filter width S=${sh.S} needs a filter scratchpad of at least S entries; filterSpad is ${cfg.filterSpad}`);
  check(layer, sh.F <= glb.psumWordsPerCol, `${sh.F} output columns need ${sh.F} psum words per PE column; glbBytes ${cfg.glbBytes} gives ${glb.psumWordsPerCol}`);
  check(layer, sh.E >= 1 && sh.F >= 1, `the output is empty (E=${sh.E}, F=${sh.F}); the filter is larger than the padded ifmap`);
  const Rg = Math.min(sh.R, cfg.peRows);
  let best: { m: RsMapping; cycles: number } | undefined;
  for (let w = Math.min(sh.E, cfg.peCols); w >= 1; w--) {
    const tileRows = (w - 1) * sh.U + Rg;
    for (let V = Math.floor(cfg.peRows / Rg); V >= 1; V--) {
      for (let q = Math.min(Math.floor(cfg.ifmapSpad / sh.S), sh.C); q >= 1; q--) {
        if (V * q * tileRows * sh.W > glb.ifmapWords) continue;
        const pMax = Math.min(cfg.psumSpad, Math.floor(cfg.filterSpad / (q * sh.S)), Math.floor(glb.psumWordsPerCol / sh.F), sh.M);
        for (let p = pMax; p >= 1; p--) {
          const Hs = Math.min(Math.floor(cfg.peCols / w), cdiv(sh.M, p));
          const m: RsMapping = {
            Rg, rFolds: cdiv(sh.R, Rg), w, strips: cdiv(sh.E, w), V, Hs, q, p,
            cGroups: cdiv(sh.C, V * q), mGroups: cdiv(sh.M, Hs * p), tileRows,
          };
          const cycles = rsCycles(m, sh, hasBias);
          if (!best || cycles < best.cycles) best = { m, cycles };
        }
      }
    }
  }
  check(layer, best !== undefined, `even one channel of ${(sh.U * 0 + Rg)} ifmap rows x W=${sh.W} does not fit the ifmap half of the global buffer (${glb.ifmapWords} words)`);
  return best!.m;
}

/** Cycles from start to the last ofmap write: the sequencer's loop nest, phase by phase. */
export function rsCycles(m: RsMapping, sh: ConvShape, hasBias: boolean): number {
  const L = m.V * m.Rg;
  const loadF = m.Hs * m.p * m.V * m.q * m.Rg * sh.S + rsPhase.loadF;
  const loadI = m.V * m.q * m.tileRows * sh.W + rsPhase.loadI;
  const perF = (nNew: number) => m.V * m.q * m.tileRows * nNew + rsPhase.ifmap + m.q * sh.S * m.p + rsPhase.mac + m.p + L + rsPhase.psum;
  const pass = loadF + loadI + perF(sh.S) + (sh.F - 1) * perF(sh.U);
  const group = (hasBias ? m.Hs * m.p + rsPhase.bias : 0) + m.cGroups * m.rFolds * pass + m.Hs * m.w * m.p * sh.F + rsPhase.wb;
  return rsDescriptorFields.length + rsPhase.desc + Math.max(0, 0) + rsPhase.cfg + sh.N * m.strips * m.mGroups * group + rsPhase.end;
}
