// A mismatch of the array core alone (array-sim.ts) made into a failure
// report: its harness keeps no per-element cycle, so the trace covers the
// run; the column's PEs are checked as in the engine (failure.ts).
import type { GemmConfig } from '../../golden/gemm/config.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { caseFacts, writeFailureArtifacts, type FailureArtifacts, type FailureInput } from '../tools/failure/report.js';
import { localizeWsRow, peScope } from './failure.js';
import { runWs, type WsRunResult } from './array-sim.js';

/** For the array core, `stallPermille` is the harness's bubble rate. */
export type WsArrayFailureInput = FailureInput<GemmConfig, GemmProblem, WsRunResult>;

export async function wsArrayFailureArtifacts(
  i: WsArrayFailureInput,
  bad: { element: string; i: number; j: number; expected: bigint; actual: bigint },
): Promise<FailureArtifacts> {
  const column = bad.j % i.cfg.cols;
  const scope = (r: number) => peScope('TOP.ws_array', i.cfg, r, column);
  const scopes = Array.from({ length: i.cfg.rows }, (_, r) => scope(r));
  return writeFailureArtifacts(
    { ...caseFacts('ws (array core)', i, bad), pe: `PE column ${column} (output column ${bad.j})` },
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
    [Math.max(0, i.result.cycles - 4000), i.result.cycles + 8],
    { scopes, key: [`${scopes[0]}.a_valid_i`, `${scopes[0]}.a_i`, `${scopes[0]}.dn_o`, `${scopes.at(-1)}.dn_o`] },
    (trace) => {
      const row = localizeWsRow(i.cfg, scope, trace);
      return row
        ? [
            `trace: PE (${row.row}, ${column}) (scope ${scope(row.row).slice(4)}) computed psum_o != psum_i + a x w at cycle ${row.cycle}`,
          ]
        : ['trace: every PE of the column added a x w correctly inside the window'];
    },
  );
}
