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
//  - Each PE interleaves q channels and p filters (filter spad p q S, psum
//    spad p, ifmap spad q rings of `ring` taps: S + U when q (S + U) fits, so
//    the next column's taps arrive while the current column computes, else S).
//  - Folding: strips of w output rows; filter groups of Hs p; channel groups
//    of V q and filter-row folds of Rg are accumulated through the psum banks
//    of the global buffer (read back, added to, written again).
// Loop nest of the sequencer (outer to inner): image n, strip, filter group,
// channel group, row fold (a "pass"), output column f. Within a pass the
// columns are pipelined (rsColumnCycles).
import type { RsConfig } from './config.js';
import { rsGlb } from './config.js';
import { InputError } from '../../core/errors.js';
import type { ConvShape } from './golden.js';

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
const words = (n: number) => Math.ceil(n / rsLanes);

export const rsPhase = { desc: 2, cfg: 1, bias: 2, loadF: 3, loadI: 2, cols: 2, wb: 2 };

const cdiv = (a: number, b: number) => Math.ceil(a / b);

function check(what: string, ok: boolean, msg: string) {
  if (!ok) throw new InputError(`${what}: ${msg}`);
}

/** What the mapper minimizes: cycles (then energy), or normalized energy (then cycles). */
export type RsObjective = 'cycles' | 'energy';
export const rsObjectives: readonly RsObjective[] = ['cycles', 'energy'];

/**
 * All (w, V, q, p, prefetch) that fit the scratchpads and the buffer; the
 * best by the exact cycle model or by the Eyeriss energy of the exact access
 * model (rsEnergy of rsAccesses).
 */
export function mapConv(cfg: RsConfig, sh: ConvShape, hasBias = false, objective: RsObjective = 'cycles'): RsMapping {
  const glb = rsGlb(cfg);
  const layer = `layer R=${sh.R} S=${sh.S} U=${sh.U} E=${sh.E} F=${sh.F}`;
  check(layer, sh.U >= 1 && sh.U <= sh.S, `stride U=${sh.U} is out of range; allowed: 1..S (${sh.S})`);
  check(layer, sh.S <= cfg.ifmapSpad, `filter width S=${sh.S} needs an ifmap scratchpad of at least S entries; ifmapSpad is ${cfg.ifmapSpad}`);
  check(layer, sh.S <= cfg.filterSpad, `filter width S=${sh.S} needs a filter scratchpad of at least S entries; filterSpad is ${cfg.filterSpad}`);
  const psumHalf = Math.floor(glb.psumWordsPerCol / 2);
  check(layer, sh.F <= psumHalf, `${sh.F} output columns need ${sh.F} psum words in each of a PE column's two psum banks; glbBytes ${cfg.glbBytes} gives ${psumHalf}`);
  check(layer, sh.E >= 1 && sh.F >= 1, `the output is empty (E=${sh.E}, F=${sh.F}); the filter is larger than the padded ifmap`);
  const Rg = Math.min(sh.R, cfg.peRows);
  let best: { m: RsMapping; key: [number, number] } | undefined;
  const better = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  for (let w = Math.min(sh.E, cfg.peCols); w >= 1; w--) {
    const tileRows = (w - 1) * sh.U + Rg;
    for (let V = Math.floor(cfg.peRows / Rg); V >= 1; V--) {
      for (let q = Math.min(Math.floor(cfg.ifmapSpad / sh.S), sh.C); q >= 1; q--) {
        // prefetch 1 halves the filter spad and the buffer's ifmap tile.
        for (const prefetch of [0, 1]) {
          const halves = prefetch + 1;
          if (V * q * tileRows * words(sh.W) > Math.floor(glb.ifmapLines / halves)) continue;
          const pMax = Math.min(cfg.psumSpad, Math.floor(Math.floor(cfg.filterSpad / halves) / (q * sh.S)), Math.floor(psumHalf / sh.F), sh.M);
          for (let p = pMax; p >= 1; p--) {
            const Hs = Math.min(Math.floor(cfg.peCols / w), cdiv(sh.M, p));
            const m: RsMapping = {
              Rg, rFolds: cdiv(sh.R, Rg), w, strips: cdiv(sh.E, w), V, Hs, q, p,
              cGroups: cdiv(sh.C, V * q), mGroups: cdiv(sh.M, Hs * p), tileRows,
              ring: q * (sh.S + sh.U) <= cfg.ifmapSpad ? sh.S + sh.U : sh.S,
              prefetch,
              ifAhead: 0,
            };
            m.ifAhead = prefetch && 2 * q * m.ring <= cfg.ifmapSpad && sh.R % Rg === 0 && m.cGroups * m.rFolds > 1 ? 1 : 0;
            const cycles = rsCycles(cfg, m, sh, hasBias);
            // Energy only where it decides (the access model walks the whole loop nest).
            const key: [number, number] = objective === 'cycles' ? [cycles, 0] : [rsEnergy(rsAccesses(cfg, m, sh, hasBias)).total, cycles];
            if (!best || better(key, best.key)) best = { m, key };
          }
        }
      }
    }
  }
  check(layer, best !== undefined, `even one channel of ${Rg} ifmap rows x W=${sh.W} does not fit the ifmap half of the global buffer (${glb.ifmapLines} lines of ${rsLanes} values)`);
  return best!.m;
}

/**
 * Cycles of a pass's COLS phase: the three column engines of
 * designs/rs/templates/rs_engine.sv.hbs, each issuing one step per cycle
 * once its start rule holds (s = first step's cycle, e = s + steps):
 *   IFMAP f  after IFMAP f-1, and after MAC f-1 started (ring S + U) or issued
 *            ((q-1) S + U) p steps (ring S: then the slots it overwrites are read)
 *   MAC f    after IFMAP f and MAC f-1, and max(1, V Rg - 1) cycles after CHAIN f-1 started
 *   CHAIN f  after CHAIN f-1 and one cycle after MAC f's last sweep started
 */
export function rsColumnCycles(m: RsMapping, sh: Pick<ConvShape, 'S' | 'U' | 'F'>, if0Done?: number): { cols: number; ifDone: number } {
  const L = m.V * m.Rg;
  const macSteps = m.q * sh.S * m.p;
  const overlap = m.ring >= sh.S + sh.U;
  // With a ring of S, the MAC steps after which the U oldest taps of every channel are read.
  const room = ((m.q - 1) * sh.S + sh.U) * m.p;
  let ifE = 0, macS = 0, macE = 0, chS = 0, chE = 0;
  for (let f = 0; f < sh.F; f++) {
    const steps = m.V * m.q * m.tileRows * (f === 0 ? sh.S : sh.U);
    if (f === 0 && if0Done !== undefined) ifE = Math.max(if0Done, 0);
    else ifE = (f === 0 ? 0 : Math.max(ifE, overlap ? macS + 1 : macS + room)) + steps;
    const s = Math.max(ifE, macE, f === 0 ? 0 : chS + Math.max(1, L - 1));
    macS = s;
    macE = s + macSteps;
    chS = Math.max(macE - m.p + 1, chE);  // the last sweep is p steps
    chE = chS + m.p;
  }
  return { cols: chE + L + rsPhase.cols, ifDone: ifE };
}

/** The loader: from its start to its done flag (LOADF then LOADI), a packed DRAM word per cycle. */
export function rsLoadCycles(m: RsMapping, sh: Pick<ConvShape, 'S' | 'W'>): number {
  return m.Hs * m.p * m.V * m.q * m.Rg * words(sh.S) + rsPhase.loadF + m.V * m.q * m.tileRows * words(sh.W) + rsPhase.loadI;
}

/** Cycles from start to the last ofmap write: the sequencer's loop nest, phase by phase. */
export function rsCycles(cfg: Pick<RsConfig, 'peRows' | 'peCols'>, m: RsMapping, sh: ConvShape, hasBias: boolean): number {
  return rsSchedule(cfg, m, sh, hasBias).cycles;
}

/**
 * rsCycles, and the cycles filter groups spent waiting in WB for the previous
 * group's write-back (0 when every write-back hides under the next group).
 */
export function rsSchedule(cfg: Pick<RsConfig, 'peRows' | 'peCols'>, m: RsMapping, sh: ConvShape, hasBias: boolean): { cycles: number; wbWait: number } {
  const load = rsLoadCycles(m, sh);
  const passes = m.cGroups * m.rFolds;
  // LOAD lasts until the loader is done, plus the cycle that sees it. With
  // prefetch only the group's first pass waits for a whole load; each later
  // pass starts when both its load and the previous COLS are over. With
  // ifAhead, IFMAP starts the next pass's column 0 (n0 steps) in the cycle
  // after both the pass's taps are out and the load is done, if COLS is
  // still running then.
  const n0 = m.V * m.q * m.tileRows * sh.S;
  const bias = hasBias ? m.Hs * m.p + rsPhase.bias : 0;
  // One filter group from its first cycle: when its last pass's COLS starts
  // and when its WB phase starts. `pre`: the first pass was loaded during
  // the previous group (prefetch), so LOAD takes one cycle.
  const group = (pre: boolean) => {
    let tt = bias + (pre ? 1 : load + 1), last = 0;
    let if0: number | undefined;
    for (let k = 0; k < passes; k++) {
      const { cols, ifDone } = rsColumnCycles(m, sh, if0);
      if (k === passes - 1) {
        last = tt;
        tt += cols;
      } else if (!m.prefetch) tt += cols + load + 1;
      else {
        const step = Math.max(cols, load) + 1;
        const a = Math.max(ifDone, load);
        if0 = m.ifAhead && a <= cols - 1 ? a + 1 + n0 - step : undefined;
        tt += step;
      }
    }
    return { last, wb: tt };
  };
  const cold = group(false), warm = m.prefetch ? group(true) : cold;
  const setup = rsDescriptorFields.length + rsPhase.desc + Math.max(cfg.peRows, cfg.peCols) + rsPhase.cfg;
  // Write-back of a group runs while the next group computes (the other psum
  // half); a group's WB phase waits until the previous write-back is over
  // and (prefetch) until the loader has the next group's first pass, which
  // it started with the group's last pass; then it starts its own write-back
  // and lets the next group begin a cycle later. The last one is drained
  // before STATS.
  const wb = m.Hs * m.w * m.p * sh.F + rsPhase.wb;
  const groups = sh.N * m.strips * m.mGroups;
  let t = setup, free = 0, wbWait = 0;
  for (let g = 0; g < groups; g++) {
    const o = g > 0 ? warm : cold;
    const ready = m.prefetch && g < groups - 1 ? t + o.last + load : 0;
    const start = Math.max(t + o.wb, free, ready);
    wbWait += Math.max(0, free - Math.max(t + o.wb, ready));
    t = start + 1;
    free = start + wb;
  }
  return { cycles: free + 1, wbWait };
}

/**
 * The counters the engine reports (rsCounterNames), from the loop nest: what
 * each phase moves and which PEs take part (a PE works in a pass when its
 * set v < V, filter row r < the pass's rows, slot h < Hs, output row x < the
 * strip's width).
 */
export function rsAccesses(cfg: Pick<RsConfig, 'peRows' | 'peCols'>, m: RsMapping, sh: ConvShape, hasBias: boolean): RsCounters {
  const c = Object.fromEntries(rsCounterNames.map((k) => [k, 0])) as RsCounters;
  const L = m.V * m.Rg;
  const count = (n: number, ok: (i: number) => boolean) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (ok(i)) k++;
    return k;
  };
  // The column loop of a pass, summed once: taps delivered per channel row,
  // and those inside the ifmap (buffer reads; padding taps are zeros).
  const tapsSum = sh.S + (sh.F - 1) * sh.U;
  let colsSum = 0;
  for (let f = 0; f < sh.F; f++) {
    colsSum += count(f === 0 ? sh.S : sh.U, (j) => {
      const x = sh.U * f + (f === 0 ? j : sh.S - sh.U + j) - sh.P;
      return x >= 0 && x < sh.W;
    });
  }
  const filtersOf = (mg: number) => Math.max(0, Math.min(m.Hs * m.p, sh.M - mg * m.Hs * m.p));
  const chansOf = (cg: number) => Math.max(0, Math.min(m.V * m.q, sh.C - cg * m.V * m.q));
  // One image; every image repeats it (the peak is the same).
  for (let st = 0; st < m.strips; st++) {
    const e0 = st * m.w, wc = Math.min(m.w, sh.E - e0);
    for (let mg = 0; mg < m.mGroups; mg++) {
      const filters = filtersOf(mg);
      if (hasBias) {
        c.dramReads += filters;
        c.dramReadWords += filters;
      }
      c.glbPsumReads += filters * wc * sh.F;
      c.dramWrites += filters * wc * sh.F;
    }
    for (let rf = 0; rf < m.rFolds; rf++) {
      const r0 = rf * m.Rg, rc = Math.min(m.Rg, sh.R - r0);
      const active = m.V * rc * m.Hs * wc;
      c.activePesPeak = Math.max(c.activePesPeak, active);
      const rowsIn = count(m.tileRows, (i) => {
        const h = sh.U * e0 + r0 + i - sh.P;
        return h >= 0 && h < sh.H;
      });
      const macs = active * m.q * sh.S * m.p * sh.F;
      const psumWords = m.Hs * wc * m.p * sh.F;
      for (let mg = 0; mg < m.mGroups; mg++) {
        const filters = filtersOf(mg);
        for (let cg = 0; cg < m.cGroups; cg++) {
          const chans = chansOf(cg);
          const validF = filters * chans * rc * sh.S;
          c.dramReads += validF + chans * rowsIn * sh.W;
          c.dramReadWords += filters * chans * rc * words(sh.S) + chans * rowsIn * words(sh.W);
          c.filterSpadWrites += validF * wc;
          c.glbIfmapWrites += chans * rowsIn * sh.W;
          c.glbIfmapReads += chans * rowsIn * colsSum;
          c.ifmapSpadWrites += active * m.q * tapsSum;
          c.macs += macs;
          c.filterSpadReads += macs;
          c.ifmapSpadReads += macs;
          c.psumSpadWrites += macs;
          // MAC steps read the psum except the first of each k (c = 0, s = 0: p per
          // active PE); the chain reads each of the p once more: macs in all.
          c.psumSpadReads += macs;
          c.interPe += (L - 1) * psumWords;
          if (cg !== 0 || rf !== 0) c.glbPsumReads += psumWords;
          c.glbPsumWrites += psumWords;
        }
      }
    }
  }
  for (const k of rsCounterNames) if (k !== 'activePesPeak') c[k] *= sh.N;
  c.cycles = rsCycles(cfg, m, sh, hasBias);
  return c;
}

/** Accesses per level of the Eyeriss energy model. */
export function rsAccessLevels(c: RsCounters) {
  return {
    dram: c.dramReads + c.dramWrites,
    glb: c.glbIfmapReads + c.glbIfmapWrites + c.glbPsumReads + c.glbPsumWrites,
    array: c.interPe,
    rf: c.filterSpadReads + c.filterSpadWrites + c.ifmapSpadReads + c.ifmapSpadWrites + c.psumSpadReads + c.psumSpadWrites,
  };
}

/** Normalized energy of the Eyeriss model (ISCA 2016 Table IV): DRAM 200, buffer 6, array 2, RF 1, MAC 1. */
export function rsEnergy(c: RsCounters) {
  const a = rsAccessLevels(c);
  const dram = 200 * a.dram, glb = 6 * a.glb, array = 2 * a.array, rf = a.rf;
  return { dram, glb, array, rf, mac: c.macs, total: dram + glb + array + rf + c.macs };
}
