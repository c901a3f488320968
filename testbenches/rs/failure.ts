// An rs mismatch made into a failure report: the earliest wrong ofmap word
// (by the cycle the RTL wrote it), its PE column, and a trace analysis that
// finds the PE row: each PE's share of the psum passing down its column is
// recomputed from the problem and the mapping and compared with what the PE
// added in the trace.
import type { RsConfig } from '../../golden/rs/config.js';
import { conv, convShape, type ConvProblem } from '../../golden/rs/golden.js';
import { rsLoadCycles } from '../../golden/rs/cycles.js';
import { wrap } from '../../golden/common/numerics.js';
import { caseFacts, writeFailureArtifacts, type FailureArtifacts, type FailureInput } from '../tools/failure/report.js';
import { clockLowTimes, sampler, type VcdTrace, cycleOfTime } from '../tools/failure/vcd.js';
import { runRs, type RsRunResult } from './sim.js';

export interface RsMismatch {
  element: string;
  n: number;
  m: number;
  e: number;
  f: number;
  /** A value, or (the descriptor check) what the contract says and what the RTL did. */
  expected: bigint | string;
  actual: bigint | string;
  cycle: number;
  column: number;
}

/** The wrong output the RTL wrote first, with its PE column. */
export function firstRsMismatch(
  cfg: RsConfig,
  p: ConvProblem,
  r: RsRunResult,
  want = conv(cfg.accWidth, p),
): RsMismatch | undefined {
  const mp = r.mapping;
  const columnOf = (m: number, e: number) => Math.floor((m % (mp.Hs * mp.p)) / mp.p) * mp.w + (e % mp.w);
  if (r.stopped) {
    const { n, m, e, f, actual, cycle } = r.stopped;
    return {
      element: `ofmap[${n}][${m}][${e}][${f}]`,
      n,
      m,
      e,
      f,
      expected: want[n]![m]![e]![f]!,
      actual,
      cycle,
      column: columnOf(m, e),
    };
  }
  let best: RsMismatch | undefined;
  want.forEach((a, n) =>
    a.forEach((b, m) =>
      b.forEach((c, e) =>
        c.forEach((x, f) => {
          const y = r.ofmap[n]![m]![e]![f]!;
          if (x === y) return;
          const cycle = r.ofmapCycle(n, m, e, f);
          if (best && best.cycle <= cycle) return;
          const column = columnOf(m, e);
          best = { element: `ofmap[${n}][${m}][${e}][${f}]`, n, m, e, f, expected: x, actual: y, cycle, column };
        }),
      ),
    ),
  );
  return best;
}

/** Finds the PE of `column` whose additions to the psum chain disagree with the problem. */
export function localizeRsRow(
  cfg: RsConfig,
  p: ConvProblem,
  r: RsRunResult,
  column: number,
  trace: VcdTrace,
): { row: number; cycle: number } | undefined {
  const sh = convShape(p);
  const mp = r.mapping;
  const at = sampler(trace);
  const top = 'TOP.rs_engine';
  const arr = `${top}.u_array`;
  const L = mp.V * mp.Rg;
  const h = Math.floor(column / mp.w),
    x = column % mp.w;
  const times = clockLowTimes(trace);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    // Row a holds the psum the chain issued a + 1 cycles ago; the chain's
    // column (ch_f_q) is read at that issue (columns are pipelined).
    for (let a = 0; a < L && i - 1 - a >= 0; a++) {
      const pe = `${arr}.gen_row[${a}].gen_col[${column}].u_pe`;
      if (at(`${pe}.ps_valid_i`, t) !== 1n || at(`${pe}.active_i`, t) !== 1n) continue;
      const k = Number(at(`${pe}.ps_k_i`, t) ?? 0n);
      const din = at(`${pe}.ps_data_i`, t),
        dout = at(`${pe}.ps_data_o`, t + 2n);
      if (din === undefined || dout === undefined) continue;
      const [n, st, mg, cg, rf] = ['n_q', 'st_q', 'mg_q', 'cg_q', 'rf_q'].map((q) =>
        Number(at(`${top}.u_seq.${q}`, t) ?? 0n),
      );
      const f = Number(at(`${top}.u_cols.ch_f_q`, times[i - 1 - a]!) ?? 0n);
      const v = Math.floor(a / mp.Rg),
        rr = rf! * mp.Rg + (a % mp.Rg);
      const m = mg! * mp.Hs * mp.p + h * mp.p + k,
        e = st! * mp.w + x;
      let want = 0;
      if (m < sh.M && rr < sh.R && e < sh.E) {
        for (let c = 0; c < mp.q; c++) {
          const ch = cg! * mp.V * mp.q + v * mp.q + c;
          if (ch >= sh.C) continue;
          const row = sh.U * e + rr - sh.P;
          if (row < 0 || row >= sh.H) continue;
          for (let s = 0; s < sh.S; s++) {
            const col = sh.U * f + s - sh.P;
            if (col >= 0 && col < sh.W) want += p.filters[m]![ch]![rr]![s]! * p.ifmap[n!]![ch]![row]![col]!;
          }
        }
      }
      const got = wrap(dout - din, cfg.accWidth, false);
      if (got !== wrap(BigInt(want), cfg.accWidth, false)) return { row: a, cycle: cycleOfTime(t) };
    }
  }
  return undefined;
}

export type RsFailureInput = FailureInput<RsConfig, ConvProblem, RsRunResult>;

export async function rsFailureArtifacts(i: RsFailureInput, bad: RsMismatch): Promise<FailureArtifacts> {
  const mp = i.result.mapping;
  const sh = convShape(i.problem);
  const L = mp.V * mp.Rg;
  // Back from the write to before the last two column chains of the pass
  // that made it: the group's write-back may have waited for the previous
  // one (up to a write-back) and for the loader (up to a load) first.
  const wb = mp.Hs * mp.w * mp.p * sh.F + 2,
    ps = mp.p + L + 2;
  const back = 2 * wb + rsLoadCycles(mp, sh) + 2 * ps + 8;
  const window: [number, number] = [Math.max(0, bad.cycle - back), bad.cycle + 8];
  const scopes = Array.from({ length: L }, (_, a) => `TOP.rs_engine.u_array.gen_row[${a}].gen_col[${bad.column}].u_pe`);
  // The sequencer's loop indices and the column engines' columns: localizeRsRow reads them.
  const control = ['TOP.rs_engine.u_seq', 'TOP.rs_engine.u_cols'];
  let row: { row: number; cycle: number } | undefined;
  return writeFailureArtifacts(
    {
      ...caseFacts('rs', i, { element: bad.element, expected: BigInt(bad.expected), actual: BigInt(bad.actual) }),
      pe: `PE column ${bad.column} (output row ${bad.e} of filter ${bad.m})`,
      cycle: bad.cycle,
      cycleNote: 'DRAM write of the element',
    },
    i.dir,
    async (format, trace, w) => {
      await runRs(i.cfg, i.problem, {
        design: i.design,
        traceFormat: format,
        trace,
        traceWindow: w,
        mapping: mp,
        // The checked run's refusals first: the same cycles as the failing run.
        refusals: i.result.prelude,
      });
    },
    window,
    {
      scopes: [...scopes, ...control],
      key: [
        'TOP.dram_wr_valid_o',
        'TOP.dram_wr_addr_o',
        'TOP.dram_wr_data_o',
        `${scopes[0]}.ps_valid_o`,
        `${scopes[0]}.ps_data_o`,
        `${scopes.at(-1)}.ps_data_o`,
      ],
    },
    (trace) => {
      row = localizeRsRow(i.cfg, i.problem, i.result, bad.column, trace);
      return row
        ? [
            `trace: PE (${row.row}, ${bad.column}) (scope rs_engine.u_array.gen_row[${row.row}].gen_col[${bad.column}].u_pe) first added a wrong psum at cycle ${row.cycle}`,
          ]
        : ['trace: no PE in the column disagreed inside the window'];
    },
    { fst: i.fst },
  );
}
