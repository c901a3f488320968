// An os mismatch made into a failure report: C[i][j] of a pass is the sum of
// PE (i mod R, j mod C) in its tile, so the PE is known from the element;
// the trace checks that PE's steps (acc becomes (first ? 0 : acc) + a x b
// one cycle after each valid step) inside the tile's window.
import type { OsConfig } from '../../golden/os/config.js';
import { wrap } from '../../golden/common/numerics.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { caseFacts, writeFailureArtifacts, type FailureArtifacts, type FailureInput } from '../tools/failure/report.js';
import { clockLowTimes, sampler, type VcdTrace, cycleOfTime } from '../tools/failure/vcd.js';
import { runOsEngine, type OsEngineResult } from './sim.js';
import { osPeriod } from '../../golden/os/cycles.js';

const pePath = (r: number, c: number) => `TOP.os_engine.u_array.gen_row[${r}].gen_col[${c}].u_pe`;

/** The first cycle at which PE (r, c)'s sum did not become (first ? 0 : acc) + a x b, or undefined. */
export function checkOsPe(cfg: OsConfig, r: number, c: number, trace: VcdTrace): number | undefined {
  const at = sampler(trace);
  const pe = pePath(r, c);
  const ext = (v: bigint) => (cfg.signed ? BigInt.asIntN(cfg.dataWidth, v) : v);
  for (const t of clockLowTimes(trace)) {
    if (at(`${pe}.a_valid_i`, t) !== 1n) continue;
    const a = at(`${pe}.a_i`, t),
      b = at(`${pe}.b_i`, t),
      first = at(`${pe}.a_first_i`, t),
      acc = at(`${pe}.acc_q`, t),
      next = at(`${pe}.acc_q`, t + 2n);
    if (a === undefined || b === undefined || acc === undefined || next === undefined) continue;
    const want = (first === 1n ? 0n : acc) + ext(a) * ext(b);
    if (wrap(want, cfg.accWidth, false) !== wrap(next, cfg.accWidth, false)) return cycleOfTime(t);
  }
  return undefined;
}

export type OsFailureInput = FailureInput<OsConfig, GemmProblem, OsEngineResult>;

export async function osFailureArtifacts(
  i: OsFailureInput,
  bad: { element: string; i: number; j: number; expected: bigint; actual: bigint; cycle?: number },
): Promise<FailureArtifacts> {
  const R = i.cfg.rows,
    C = i.cfg.cols;
  // The last K pass that wrote C[i][j], and its tile.
  let pass = 0;
  i.result.passes.forEach((ps, idx) => {
    if (ps.lastK && bad.i >= ps.m0 && bad.i < ps.m0 + ps.mp && bad.j >= ps.n0 && bad.j < ps.n0 + ps.np) pass = idx;
  });
  const ps = i.result.passes[pass]!;
  const r = (bad.i - ps.m0) % R,
    c = (bad.j - ps.n0) % C;
  const tile = Math.floor((bad.j - ps.n0) / C) * Math.ceil(ps.mp / R) + Math.floor((bad.i - ps.m0) / R);
  const P = osPeriod(i.cfg, { m: ps.mp, k: ps.kp, n: ps.np });
  const start = (i.result.marks[`start${pass}`] ?? 0) + tile * P;
  const left = bad.cycle ?? i.result.cCycle[bad.i]?.[bad.j] ?? start;
  // From the tile's first step to the host read that carried the element.
  const window: [number, number] = [start, Math.max(start + P + 2 * R + C + 40, left + 4)];
  const scope = pePath(r, c);
  return writeFailureArtifacts(
    {
      ...caseFacts('os', i, bad),
      pe: `PE (${r}, ${c}) (tile ${tile} of pass ${pass})`,
      cycle: left,
      cycleNote: `host read of its accumulator row; the tile ran from about cycle ${start}`,
    },
    i.dir,
    async (format, trace, w) => {
      await runOsEngine(i.cfg, i.problem, {
        design: i.design,
        traceFormat: format,
        trace,
        traceWindow: w,
        stallPermille: i.stallPermille,
        seed: i.seed,
      });
    },
    window,
    { scopes: [scope], key: ['TOP.busy_o', `${scope}.a_valid_i`, `${scope}.a_i`, `${scope}.b_i`, `${scope}.acc_q`] },
    (trace) => {
      const cyc = checkOsPe(i.cfg, r, c, trace);
      return cyc !== undefined
        ? [
            `trace: PE (${r}, ${c}) (scope os_engine.u_array.gen_row[${r}].gen_col[${c}].u_pe) summed wrongly at cycle ${cyc} (acc != acc + a x b)`,
          ]
        : [`trace: PE (${r}, ${c}) summed correctly inside the window`];
    },
    { fst: i.fst },
  );
}
