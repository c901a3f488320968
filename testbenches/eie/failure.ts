// An eie mismatch made into a failure report: output b[i] is row i, held by
// PE i mod N, so the PE is known from the element. The trace checks that PE's
// multiplier: the X2 product must equal the X1 weight x activation.
import type { EieConfig } from '../../golden/eie/config.js';
import { caseFacts, writeFailureArtifacts, type FailureArtifacts, type FailureInput } from '../tools/failure/report.js';
import { clockLowTimes, sampler, type VcdTrace, cycleOfTime } from '../tools/failure/vcd.js';
import { runEie, type EieRunResult } from './sim.js';
import type { EieProblem } from '../../golden/eie/problem.js';

const pePath = (k: number) => `TOP.eie_engine.gen_pe[${k}].u_pe`;
/** The PE's multiplier pipeline (eie_arith). */
const arithPath = (k: number) => `${pePath(k)}.u_arith`;

export function checkEieMultiplier(pe: number, trace: VcdTrace): number | undefined {
  const at = sampler(trace);
  const p = arithPath(pe);
  for (const t of clockLowTimes(trace)) {
    if (at(`${p}.x1_valid_q`, t) !== 1n) continue;
    const w = at(`${p}.x1_w_q`, t),
      a = at(`${p}.x1_a_q`, t),
      prod = at(`${p}.x2_prod_q`, t + 2n);
    if (w === undefined || a === undefined || prod === undefined) continue;
    if (BigInt.asUintN(32, BigInt.asIntN(16, w) * BigInt.asIntN(16, a)) !== BigInt.asUintN(32, prod))
      return cycleOfTime(t);
  }
  return undefined;
}

export type EieFailureInput = FailureInput<EieConfig, EieProblem, EieRunResult>;

export async function eieFailureArtifacts(
  i: EieFailureInput,
  bad: { element: string; i: number; expected: bigint; actual: bigint; cycle?: number },
): Promise<FailureArtifacts> {
  const pe = bad.i % i.cfg.pes;
  const done = i.result.marks.done ?? i.result.hostCycles;
  const start = i.result.marks.start ?? 0;
  const left = bad.cycle ?? i.result.bCycle[bad.i] ?? done;
  const window: [number, number] = [Math.max(start, done - i.result.cycles - 2), Math.max(done, left) + 4];
  const scope = pePath(pe);
  return writeFailureArtifacts(
    {
      ...caseFacts('eie', i, bad),
      pe: `PE ${pe} (row ${bad.i} is its local row ${Math.floor(bad.i / i.cfg.pes)})`,
      cycle: left,
      cycleNote: `host read of the row; the last layer ended at cycle ${done}`,
    },
    i.dir,
    async (format, trace, w) => {
      await runEie(i.cfg, i.problem, {
        design: i.design,
        traceFormat: format,
        trace,
        traceWindow: w,
        stallPermille: i.stallPermille,
        seed: i.seed,
        // The same program as the failing run (with the checked-run prelude when it had one): the same cycles.
        expectInline: i.result.checked,
      });
    },
    window,
    {
      scopes: [scope],
      key: [
        'TOP.host_rsp_valid_o',
        'TOP.host_rsp_rdata_o',
        ...['x1_valid_q', 'x1_w_q', 'x1_a_q', 'x2_prod_q'].map((n) => `${arithPath(pe)}.${n}`),
      ],
    },
    (trace) => {
      const c = checkEieMultiplier(pe, trace);
      return c !== undefined
        ? [
            `trace: PE ${pe} (scope eie_engine.gen_pe[${pe}].u_pe.u_arith) multiplied wrongly at cycle ${c} (X2 product != X1 weight x activation)`,
          ]
        : [`trace: PE ${pe}'s multiplier agreed inside the window`];
    },
    { fst: i.fst },
  );
}
