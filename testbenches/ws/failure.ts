// A ws mismatch made into a failure report: the wrong element, its PE column
// (output column j comes out of array column j mod C), and a trace check of
// every PE of that column: psum_o must become psum_i + a x w one cycle after
// a valid activation. The first PE that breaks it is named.
import type { WsConfig } from '../../golden/ws/config.js';
import { wrap } from '../../golden/common/numerics.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { caseFacts, writeFailureArtifacts, type FailureArtifacts, type FailureInput } from '../tools/failure/report.js';
import { clockLowTimes, sampler, type VcdTrace, cycleOfTime } from '../tools/failure/vcd.js';
import { runWsEngine, type WsEngineResult } from './sim.js';
import { runWs, type WsRunResult } from './array-sim.js';

const pePath = (r: number, c: number, top = 'TOP.ws_engine.u_array') => `${top}.gen_row[${r}].gen_col[${c}].u_pe`;

export function localizeWsRow(
  cfg: WsConfig,
  column: number,
  trace: VcdTrace,
  top?: string,
): { row: number; cycle: number } | undefined {
  const at = sampler(trace);
  const ext = (v: bigint) => (cfg.signed ? BigInt.asIntN(cfg.dataWidth, v) : v);
  for (const t of clockLowTimes(trace)) {
    for (let r = 0; r < cfg.rows; r++) {
      const pe = pePath(r, column, top);
      if (at(`${pe}.a_valid_i`, t) !== 1n) continue;
      const a = at(`${pe}.a_i`, t),
        w = at(`${pe}.w_sel`, t),
        pin = at(`${pe}.psum_i`, t),
        pout = at(`${pe}.psum_o`, t + 2n);
      if (a === undefined || w === undefined || pin === undefined || pout === undefined) continue;
      if (wrap(pin + ext(a) * ext(w), cfg.accWidth, false) !== wrap(pout, cfg.accWidth, false))
        return { row: r, cycle: cycleOfTime(t) };
    }
  }
  return undefined;
}

export type WsFailureInput = FailureInput<WsConfig, GemmProblem, WsEngineResult>;

export async function wsFailureArtifacts(
  i: WsFailureInput,
  bad: { element: string; i: number; j: number; expected: bigint; actual: bigint; cycle?: number },
): Promise<FailureArtifacts> {
  const column = bad.j % i.cfg.cols;
  // The pass that wrote row i, column j last: its done mark.
  let pass = 0;
  i.result.passes.forEach((ps, idx) => {
    if (ps.lastK && bad.i >= ps.m0 && bad.i < ps.m0 + ps.mp && bad.j >= ps.n0 && bad.j < ps.n0 + ps.np) pass = idx;
  });
  const done = i.result.marks[`done${pass}`] ?? i.result.totalCycles;
  const start = i.result.marks[`start${pass}`] ?? 0;
  const left = bad.cycle ?? i.result.cCycle[bad.i]?.[bad.j] ?? done;
  const window: [number, number] = [Math.max(start, done - 160), Math.max(done, left) + 4];
  const scopes = Array.from({ length: i.cfg.rows }, (_, r) => pePath(r, column));
  let row: { row: number; cycle: number } | undefined;
  return writeFailureArtifacts(
    {
      ...caseFacts('ws', i, bad),
      pe: `PE column ${column} (output column ${bad.j})`,
      cycle: left,
      cycleNote: `host read of its accumulator row; the pass that computed it ended at cycle ${done}`,
    },
    i.dir,
    async (format, trace, w) => {
      await runWsEngine(i.cfg, i.problem, {
        design: i.design,
        traceFormat: format,
        trace,
        traceWindow: w,
        stallPermille: i.stallPermille,
        seed: i.seed,
      });
    },
    window,
    {
      scopes,
      key: [
        'TOP.busy_o',
        'TOP.host_rsp_valid_o',
        'TOP.host_rsp_rdata_o',
        `${scopes[0]}.a_valid_i`,
        `${scopes[0]}.psum_o`,
        `${scopes.at(-1)}.psum_o`,
      ],
    },
    (trace) => {
      row = localizeWsRow(i.cfg, column, trace);
      return row
        ? [
            `trace: PE (${row.row}, ${column}) (scope ws_engine.u_array.gen_row[${row.row}].gen_col[${column}].u_pe) computed psum_o != psum_i + a x w at cycle ${row.cycle}`,
          ]
        : ['trace: every PE of the column added a x w correctly inside the window'];
    },
    { fst: i.fst },
  );
}

/** For the array core, `stallPermille` is the harness's bubble rate. */
export type WsArrayFailureInput = FailureInput<WsConfig, GemmProblem, WsRunResult>;

/** The array core alone (designs/ws/array-sim.ts): its harness keeps no per-element cycle, so the trace covers the run. */
export async function wsArrayFailureArtifacts(
  i: WsArrayFailureInput,
  bad: { element: string; i: number; j: number; expected: bigint; actual: bigint },
): Promise<FailureArtifacts> {
  const column = bad.j % i.cfg.cols;
  const window: [number, number] = [Math.max(0, i.result.cycles - 4000), i.result.cycles + 8];
  const top = 'TOP.ws_array';
  const scopes = Array.from({ length: i.cfg.rows }, (_, r) => pePath(r, column, top));
  return writeFailureArtifacts(
    {
      ...caseFacts('ws (array core)', i, bad),
      pe: `PE column ${column} (output column ${bad.j})`,
    },
    i.dir,
    async (format, trace, w) => {
      await runWs(i.cfg, i.problem, {
        design: i.design,
        traceFormat: format,
        trace,
        traceWindow: w,
        bubblePermille: i.stallPermille,
        seed: i.seed,
      });
    },
    window,
    { scopes, key: [`${scopes[0]}.a_valid_i`, `${scopes[0]}.a_i`, `${scopes[0]}.psum_o`, `${scopes.at(-1)}.psum_o`] },
    (trace) => {
      const row = localizeWsRow(i.cfg, column, trace, top);
      return row
        ? [
            `trace: PE (${row.row}, ${column}) (scope ws_array.gen_row[${row.row}].gen_col[${column}].u_pe) computed psum_o != psum_i + a x w at cycle ${row.cycle}`,
          ]
        : ['trace: every PE of the column added a x w correctly inside the window'];
    },
  );
}
