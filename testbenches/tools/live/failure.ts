// A failed expectation in a live test: the same report and waveform window
// as a failed verify case (tools/failure/report.ts), cut from the test's own
// trace (a live test cannot be re-run by us, so the trace must be on).
import { MismatchError } from '../../../golden/common/errors.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';
import { writeFailureArtifacts } from '../failure/report.js';

export interface LiveFailureContext {
  design: GeneratedDesign;
  cycle: number;
  name?: string;
  reproduce?: string;
  artifacts: string;
  /** Signals the test touched: the waveform's key signals. */
  watched: string[];
  /** Copies the trace so far to a path; absent when waves are off. */
  waves?: (dest: string) => void;
}

/** The error a failed expectation throws; `report` is the report text (and its folder when waves were on). */
export class LiveExpectationError extends MismatchError {
  constructor(
    detail: { element: string; expected: bigint; actual: bigint; cycle: number },
    context: string,
    readonly report: string,
    readonly artifacts?: string,
  ) {
    super(detail, context);
    this.message = `${this.message}\n${report}`;
  }
}

export async function expectationFailure(
  ctx: LiveFailureContext,
  sig: { name: string },
  expected: bigint,
  actual: bigint,
  what?: string,
): Promise<LiveExpectationError> {
  const d = ctx.design;
  const element = what ? `${sig.name} (${what})` : sig.name;
  const detail = { element, expected, actual, cycle: ctx.cycle };
  const context = `${d.design} ${d.configHash} live test${ctx.name ? ` '${ctx.name}'` : ''}`;
  const reproduce = ctx.reproduce ?? (ctx.name ? `npx vitest run -t '${ctx.name}'` : 're-run the test');
  if (!ctx.waves) {
    const report = `  at cycle ${ctx.cycle}; open the simulation with { waves: true } for a report and waveform window`;
    return new LiveExpectationError(detail, context, report);
  }
  const copy = ctx.waves;
  const window: [number, number] = [Math.max(0, ctx.cycle - 200), ctx.cycle + 1];
  const top = `TOP.${d.top}`;
  const a = await writeFailureArtifacts(
    {
      design: `${d.design} live`,
      configArg: ctx.name ?? d.top,
      configHash: d.configHash,
      fault: undefined,
      element,
      expected,
      actual,
      cycle: ctx.cycle,
      cycleNote: 'the cycle of the expectation',
      reproduce,
    },
    ctx.artifacts,
    (_format, path) => Promise.resolve(copy(path)),
    window,
    {
      scopes: [],
      key: ['TOP.clk_i', ...ctx.watched.filter((n) => !/[[\]]/.test(n)).map((n) => `${top}.${n}`)].slice(0, 16),
    },
    undefined,
    { fst: false },
  );
  return new LiveExpectationError(detail, context, a.report, a.dir);
}
