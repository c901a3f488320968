// The row-stationary mapper: the best legal mapping of a layer.
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
import { rsGlb, type RsConfig } from './config.js';
import { InputError } from '../common/errors.js';
import type { ConvShape } from './golden.js';
import { rsAdvance, rsLanes, rsMaxStride, rsWords as words, type RsMapping } from './contract.js';
import { rsCycles } from './cycles.js';
import { rsAccesses, rsEnergy } from './access.js';

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
  check(layer, sh.U >= 1 && sh.U <= rsMaxStride, `stride U=${sh.U} is out of range; allowed: 1..${rsMaxStride}`);
  check(
    layer,
    sh.S <= cfg.ifmapSpad,
    `filter width S=${sh.S} needs an ifmap scratchpad of at least S entries; ifmapSpad is ${cfg.ifmapSpad}`,
  );
  check(
    layer,
    sh.S <= cfg.filterSpad,
    `filter width S=${sh.S} needs a filter scratchpad of at least S entries; filterSpad is ${cfg.filterSpad}`,
  );
  const psumHalf = Math.floor(glb.psumWordsPerCol / 2);
  check(
    layer,
    sh.F <= psumHalf,
    `${sh.F} output columns need ${sh.F} psum words in each of a PE column's two psum banks; glbBytes ${cfg.glbBytes} gives ${psumHalf}`,
  );
  check(
    layer,
    sh.E >= 1 && sh.F >= 1,
    `the output is empty (E=${sh.E}, F=${sh.F}); the filter is larger than the padded ifmap`,
  );
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
          const pMax = Math.min(
            cfg.psumSpad,
            Math.floor(Math.floor(cfg.filterSpad / halves) / (q * sh.S)),
            Math.floor(psumHalf / sh.F),
            sh.M,
          );
          for (let p = pMax; p >= 1; p--) {
            const Hs = Math.min(Math.floor(cfg.peCols / w), cdiv(sh.M, p));
            const m: RsMapping = {
              Rg,
              rFolds: cdiv(sh.R, Rg),
              w,
              strips: cdiv(sh.E, w),
              V,
              Hs,
              q,
              p,
              cGroups: cdiv(sh.C, V * q),
              mGroups: cdiv(sh.M, Hs * p),
              tileRows,
              ring: q * (sh.S + rsAdvance(sh)) <= cfg.ifmapSpad ? sh.S + rsAdvance(sh) : sh.S,
              prefetch,
              ifAhead: 0,
            };
            m.ifAhead =
              prefetch && 2 * q * m.ring <= cfg.ifmapSpad && sh.R % Rg === 0 && m.cGroups * m.rFolds > 1 ? 1 : 0;
            const cycles = rsCycles(cfg, m, sh, hasBias);
            // Energy only where it decides (the access model walks the whole loop nest).
            const key: [number, number] =
              objective === 'cycles' ? [cycles, 0] : [rsEnergy(rsAccesses(cfg, m, sh, hasBias)).total, cycles];
            if (!best || better(key, best.key)) best = { m, key };
          }
        }
      }
    }
  }
  check(
    layer,
    best !== undefined,
    `even one channel of ${Rg} ifmap rows x W=${sh.W} does not fit the ifmap half of the global buffer (${glb.ifmapLines} lines of ${rsLanes} values)`,
  );
  return best!.m;
}
