// The rs engine's exact cycle model: the sequencer's loop nest phase by
// phase, the loader and the pipelined column engines (with 1-cycle DRAM reads).
import type { RsConfig } from './config.js';
import type { ConvShape } from './golden.js';
import { rsAdvance, rsDescriptorFields, rsPhase, rsWords as words, type RsMapping } from './contract.js';

/**
 * Cycles of a pass's COLS phase: the three column engines of
 * rtl/rs/rs_engine.sv.hbs, each issuing one step per cycle
 * once its start rule holds (s = first step's cycle, e = s + steps):
 *   IFMAP f  after IFMAP f-1, and after MAC f-1 started (ring S + A) or issued
 *            ((q-1) S + A) p steps (ring S: then the slots it overwrites are read),
 *            where A = min(U, S) new taps per column
 *   MAC f    after IFMAP f and MAC f-1, and max(1, V Rg - 1) cycles after CHAIN f-1 started
 *   CHAIN f  after CHAIN f-1 and one cycle after MAC f's last sweep started
 */
export function rsColumnCycles(
  m: RsMapping,
  sh: Pick<ConvShape, 'S' | 'U' | 'F'>,
  if0Done?: number,
): { cols: number; ifDone: number } {
  const L = m.V * m.Rg;
  const macSteps = m.q * sh.S * m.p;
  const adv = rsAdvance(sh);
  const overlap = m.ring >= sh.S + adv;
  // With a ring of S, the MAC steps after which the U oldest taps of every channel are read.
  const room = ((m.q - 1) * sh.S + adv) * m.p;
  let ifE = 0,
    macS = 0,
    macE = 0,
    chS = 0,
    chE = 0;
  for (let f = 0; f < sh.F; f++) {
    const steps = m.V * m.q * m.tileRows * (f === 0 ? sh.S : adv);
    if (f === 0 && if0Done !== undefined) ifE = Math.max(if0Done, 0);
    else ifE = (f === 0 ? 0 : Math.max(ifE, overlap ? macS + 1 : macS + room)) + steps;
    const s = Math.max(ifE, macE, f === 0 ? 0 : chS + Math.max(1, L - 1));
    macS = s;
    macE = s + macSteps;
    chS = Math.max(macE - m.p + 1, chE); // the last sweep is p steps
    chE = chS + m.p;
  }
  return { cols: chE + L + rsPhase.cols, ifDone: ifE };
}

/** The loader: from its start to its done flag (LOADF then LOADI), a packed DRAM word per cycle. */
export function rsLoadCycles(m: RsMapping, sh: Pick<ConvShape, 'S' | 'W'>): number {
  return (
    m.Hs * m.p * m.V * m.q * m.Rg * words(sh.S) + rsPhase.loadF + m.V * m.q * m.tileRows * words(sh.W) + rsPhase.loadI
  );
}

/** Cycles from start to the last ofmap write: the sequencer's loop nest, phase by phase. */
export function rsCycles(
  cfg: Pick<RsConfig, 'peRows' | 'peCols'>,
  m: RsMapping,
  sh: ConvShape,
  hasBias: boolean,
): number {
  return rsSchedule(cfg, m, sh, hasBias).cycles;
}

/**
 * rsCycles, and the cycles filter groups spent waiting in WB for the previous
 * group's write-back (0 when every write-back hides under the next group).
 */
export function rsSchedule(
  cfg: Pick<RsConfig, 'peRows' | 'peCols'>,
  m: RsMapping,
  sh: ConvShape,
  hasBias: boolean,
): { cycles: number; wbWait: number } {
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
    let tt = bias + (pre ? 1 : load + 1),
      last = 0;
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
  const cold = group(false),
    warm = m.prefetch ? group(true) : cold;
  const setup = rsDescriptorFields.length + rsPhase.desc + Math.max(cfg.peRows, cfg.peCols) + rsPhase.cfg;
  // Write-back of a group runs while the next group computes (the other psum
  // half); a group's WB phase waits until the previous write-back is over
  // and (prefetch) until the loader has the next group's first pass, which
  // it started with the group's last pass; then it starts its own write-back
  // and lets the next group begin a cycle later. The last one is drained
  // before STATS.
  const wb = m.Hs * m.w * m.p * sh.F + rsPhase.wb;
  const groups = sh.N * m.strips * m.mGroups;
  let t = setup,
    free = 0,
    wbWait = 0;
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
