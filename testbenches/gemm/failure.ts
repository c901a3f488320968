// A systolic engine's mismatch made into a failure report: the wrong element,
// the PE that made it and a trace check of that PE's arithmetic.
//  - ws: output column j comes out of array column j mod C; every PE of the
//    column must turn the partial sum from above into psum + a x w a cycle
//    after a valid activation; the first that does not is named.
//  - os: C[i][j] of a pass is the sum of PE (i mod R, j mod C) of its tile;
//    its sum must become (first ? 0 : acc) + a x b a cycle after each step.
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import type { GemmConvProblem } from '../../golden/gemm/conv.js';
import { wrap } from '../../golden/common/numerics.js';
import { osPeriod } from '../../golden/gemm/cycles.js';
import { caseFacts, writeFailureArtifacts, type FailureArtifacts, type FailureInput } from '../tools/failure/report.js';
import { clockLowTimes, cycleOfTime, sampler, type VcdTrace } from '../tools/failure/vcd.js';
import { runGemmEngine, type GemmEngineResult } from './sim.js';
import { gemmTile } from '../../generators/gemm/generate.js';

/** PE (r, c)'s scope below `array` (e.g. TOP.ws_engine.u_array): its tile of the mesh, then its place in the tile. */
export function peScope(array: string, cfg: Pick<GemmConfig, 'rows' | 'cols'>, r: number, c: number): string {
  const t = gemmTile(cfg);
  return `${array}.gen_trow[${Math.floor(r / t.rows)}].gen_tcol[${Math.floor(c / t.cols)}].u_tile.gen_row[${r % t.rows}].gen_col[${c % t.cols}].u_pe`;
}
export const pePath = (top: string, cfg: Pick<GemmConfig, 'rows' | 'cols'>, r: number, c: number) =>
  peScope(`TOP.${top}.u_array`, cfg, r, c);

export interface GemmMismatch {
  element: string;
  i: number;
  j: number;
  expected: bigint;
  actual: bigint;
  cycle?: number;
}

const ext = (cfg: GemmConfig, v: bigint) =>
  cfg.signed ? BigInt.asIntN(cfg.dataWidth, v) : BigInt.asUintN(cfg.dataWidth, v);

/** ws: the first PE (row, cycle) of a column (`scope(r)`: its PE in row r) whose partial sum did not become psum + a x w. */
export function localizeWsRow(
  cfg: GemmConfig,
  scope: (r: number) => string,
  trace: VcdTrace,
): { row: number; cycle: number } | undefined {
  const at = sampler(trace);
  for (const t of clockLowTimes(trace)) {
    for (let r = 0; r < cfg.rows; r++) {
      const pe = scope(r);
      if (at(`${pe}.a_valid_i`, t) !== 1n) continue;
      const a = at(`${pe}.a_i`, t),
        w = at(`${pe}.w_sel`, t),
        pin = at(`${pe}.dn_i`, t),
        pout = at(`${pe}.dn_o`, t + 2n);
      if (a === undefined || w === undefined || pin === undefined || pout === undefined) continue;
      if (wrap(pin + ext(cfg, a) * ext(cfg, w), cfg.accWidth, false) !== wrap(pout, cfg.accWidth, false))
        return { row: r, cycle: cycleOfTime(t) };
    }
  }
  return undefined;
}

/** os: the first cycle at which PE (r, c)'s sum did not become (first ? 0 : acc) + a x b. */
export function checkOsPe(cfg: GemmConfig, top: string, r: number, c: number, trace: VcdTrace): number | undefined {
  const at = sampler(trace);
  const pe = pePath(top, cfg, r, c);
  for (const t of clockLowTimes(trace)) {
    if (at(`${pe}.a_valid_i`, t) !== 1n) continue;
    const a = at(`${pe}.a_i`, t),
      b = at(`${pe}.dn_i`, t),
      tag = at(`${pe}.a_tag_i`, t);
    const acc = at(`${pe}.gen_os.acc_q`, t),
      next = at(`${pe}.gen_os.acc_q`, t + 2n);
    if (a === undefined || b === undefined || tag === undefined || acc === undefined || next === undefined) continue;
    const want = ((tag & 1n) === 1n ? 0n : acc) + ext(cfg, a) * ext(cfg, b);
    if (wrap(want, cfg.accWidth, false) !== wrap(next, cfg.accWidth, false)) return cycleOfTime(t);
  }
  return undefined;
}

export type GemmFailureInput = FailureInput<GemmConfig, GemmProblem | GemmConvProblem, GemmEngineResult> & {
  name: Dataflow;
};

/** The last K pass that wrote C[i][j]. */
function passOf(r: GemmEngineResult, bad: GemmMismatch): number {
  let pass = 0;
  r.passes.forEach((ps, idx) => {
    if (ps.lastK && bad.i >= ps.m0 && bad.i < ps.m0 + ps.mp && bad.j >= ps.n0 && bad.j < ps.n0 + ps.np) pass = idx;
  });
  return pass;
}

const rerun = (i: GemmFailureInput) => async (format: 'fst' | 'vcd', trace: string, w: [number, number]) => {
  await runGemmEngine(i.name, i.cfg, i.result.dataflow, i.problem, {
    design: i.design,
    traceFormat: format,
    trace,
    traceWindow: w,
    stallPermille: i.stallPermille,
    seed: i.seed,
    // The same program as the failing run (with the checked-run prelude when it had one): the same cycles.
    expectInline: i.result.checked,
  });
};

async function wsFailure(i: GemmFailureInput, bad: GemmMismatch): Promise<FailureArtifacts> {
  const top = `${i.name}_engine`;
  const column = bad.j % i.cfg.cols;
  const pass = passOf(i.result, bad);
  const done = i.result.marks[`done${pass}`] ?? i.result.totalCycles;
  const start = i.result.marks[`start${pass}`] ?? 0;
  const left = bad.cycle ?? i.result.cCycle[bad.i]?.[bad.j] ?? done;
  const scopes = Array.from({ length: i.cfg.rows }, (_, r) => pePath(top, i.cfg, r, column));
  return writeFailureArtifacts(
    {
      ...caseFacts(i.name, i, bad),
      pe: `PE column ${column} (output column ${bad.j})`,
      cycle: left,
      cycleNote: `host read of its accumulator row; the pass that computed it ended at cycle ${done}`,
    },
    i.dir,
    rerun(i),
    [Math.max(start, done - 160), Math.max(done, left) + 4],
    {
      scopes,
      key: [
        'TOP.busy_o',
        'TOP.host_rsp_valid_o',
        'TOP.host_rsp_rdata_o',
        `${scopes[0]}.a_valid_i`,
        `${scopes[0]}.dn_o`,
        `${scopes.at(-1)}.dn_o`,
      ],
    },
    (trace) => {
      const row = localizeWsRow(i.cfg, (r) => pePath(top, i.cfg, r, column), trace);
      return row
        ? [
            `trace: PE (${row.row}, ${column}) (scope ${pePath(top, i.cfg, row.row, column).slice(4)}) computed psum_o != psum_i + a x w at cycle ${row.cycle}`,
          ]
        : ['trace: every PE of the column added a x w correctly inside the window'];
    },
    { fst: i.fst },
  );
}

async function osFailure(i: GemmFailureInput, bad: GemmMismatch): Promise<FailureArtifacts> {
  const top = `${i.name}_engine`;
  const R = i.cfg.rows,
    C = i.cfg.cols;
  const pass = passOf(i.result, bad);
  const ps = i.result.passes[pass]!;
  const c = (bad.j - ps.n0) % C;
  // A native convolution's tiles are R pixels of one output row (F columns): pixel f sits in row f mod R.
  const F = i.result.conv?.geometry.F;
  const local = bad.i - ps.m0;
  const rowTiles = F === undefined ? Math.ceil(ps.mp / R) : (ps.mp / F) * Math.ceil(F / R);
  const r = F === undefined ? local % R : (local % F) % R;
  const inColumn =
    F === undefined ? Math.floor(local / R) : Math.floor(local / F) * Math.ceil(F / R) + Math.floor((local % F) / R);
  const tile = Math.floor((bad.j - ps.n0) / C) * rowTiles + inColumn;
  const P = osPeriod(i.cfg, { m: ps.mp, k: ps.kp, n: ps.np });
  const start = (i.result.marks[`start${pass}`] ?? 0) + tile * P;
  const left = bad.cycle ?? i.result.cCycle[bad.i]?.[bad.j] ?? start;
  const scope = pePath(top, i.cfg, r, c);
  return writeFailureArtifacts(
    {
      ...caseFacts(i.name, i, bad),
      pe: `PE (${r}, ${c}) (tile ${tile} of pass ${pass})`,
      cycle: left,
      cycleNote: `host read of its accumulator row; the tile ran from about cycle ${start}`,
    },
    i.dir,
    rerun(i),
    [start, Math.max(start + P + 2 * R + C + 40, left + 4)],
    {
      scopes: [scope],
      key: ['TOP.busy_o', `${scope}.a_valid_i`, `${scope}.a_i`, `${scope}.dn_i`, `${scope}.gen_os.acc_q`],
    },
    (trace) => {
      const cyc = checkOsPe(i.cfg, top, r, c, trace);
      return cyc !== undefined
        ? [`trace: PE (${r}, ${c}) (scope ${scope.slice(4)}) summed wrongly at cycle ${cyc} (acc != acc + a x b)`]
        : [`trace: PE (${r}, ${c}) summed correctly inside the window`];
    },
    { fst: i.fst },
  );
}

/** The failure report of a mismatch, by the dataflow the run used. */
export const gemmFailureArtifacts = (i: GemmFailureInput, bad: GemmMismatch) =>
  i.result.dataflow === 'ws' ? wsFailure(i, bad) : osFailure(i, bad);
