// The rs engine's exact access model (every counter it reports) and the
// Eyeriss normalized energy of those accesses.
import { normalizedEnergy } from '../common/energy.js';
import type { RsConfig } from './config.js';
import type { ConvShape } from './golden.js';
import { rsAdvance, rsCounterNames, rsWords as words, type RsCounters, type RsMapping } from './contract.js';
import { rsCycles } from './cycles.js';

/**
 * The counters the engine reports (rsCounterNames), from the loop nest: what
 * each phase moves and which PEs take part (a PE works in a pass when its
 * set v < V, filter row r < the pass's rows, slot h < Hs, output row x < the
 * strip's width).
 */
export function rsAccesses(
  cfg: Pick<RsConfig, 'peRows' | 'peCols'>,
  m: RsMapping,
  sh: ConvShape,
  hasBias: boolean,
): RsCounters {
  const c = Object.fromEntries(rsCounterNames.map((k) => [k, 0])) as RsCounters;
  const L = m.V * m.Rg;
  const count = (n: number, ok: (i: number) => boolean) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (ok(i)) k++;
    return k;
  };
  // The column loop of a pass, summed once: taps delivered per channel row,
  // and those inside the ifmap (buffer reads; padding taps are zeros).
  const adv = rsAdvance(sh);
  const tapsSum = sh.S + (sh.F - 1) * adv;
  let colsSum = 0;
  for (let f = 0; f < sh.F; f++) {
    colsSum += count(f === 0 ? sh.S : adv, (j) => {
      const x = sh.U * f + (f === 0 ? j : sh.S - adv + j) - sh.P;
      return x >= 0 && x < sh.W;
    });
  }
  const filtersOf = (mg: number) => Math.max(0, Math.min(m.Hs * m.p, sh.M - mg * m.Hs * m.p));
  const chansOf = (cg: number) => Math.max(0, Math.min(m.V * m.q, sh.C - cg * m.V * m.q));
  // One image; every image repeats it (the peak is the same).
  for (let st = 0; st < m.strips; st++) {
    const e0 = st * m.w,
      wc = Math.min(m.w, sh.E - e0);
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
      const r0 = rf * m.Rg,
        rc = Math.min(m.Rg, sh.R - r0);
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
    rf:
      c.filterSpadReads +
      c.filterSpadWrites +
      c.ifmapSpadReads +
      c.ifmapSpadWrites +
      c.psumSpadReads +
      c.psumSpadWrites,
  };
}

/** Normalized energy of the Eyeriss model (core/energy.ts: DRAM 200, buffer 6, array 2, RF 1, MAC 1). */
export function rsEnergy(c: RsCounters) {
  const a = rsAccessLevels(c);
  return normalizedEnergy({ dram: a.dram, buffer: a.glb, array: a.array, rf: a.rf, mac: c.macs });
}
