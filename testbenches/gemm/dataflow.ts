// Which dataflow a run uses: the array's own when it runs one; on an array of
// both, the one asked for (a run flag or the problem's `dataflow`), or
// 'auto': the one the exact cycle models say finishes first.
import { InputError } from '../../golden/common/errors.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import { runs, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import { passCycles } from '../../golden/gemm/cycles.js';
import { planPasses } from '../../golden/gemm/mapper.js';
import { convGeometry, isConvProblem, type GemmConvProblem } from '../../golden/gemm/conv.js';
import { convFitIn, convModel } from '../../golden/gemm/conv-models.js';

export type DataflowChoice = Dataflow | 'auto';
export const dataflowChoices = ['ws', 'os', 'auto'] as const;

/** A GEMM problem as the family runs it: optionally with the dataflow asked for. */
export type GemmRunProblem = GemmProblem & { dataflow?: DataflowChoice };
/** A convolution either dataflow runs natively (golden/gemm/conv.ts, os-conv.ts). */
export type GemmConvRunProblem = GemmConvProblem & { dataflow?: DataflowChoice };
/** What `run` and `verify` give the family: a GEMM or a convolution. */
export type SystolicProblem = GemmRunProblem | GemmConvRunProblem;

/** Busy cycles of the whole problem in a dataflow (every pass), from the exact models. */
export function modelCycles(cfg: GemmConfig, df: Dataflow, m: number, k: number, n: number): number {
  return planPasses(cfg, df, m, k, n).reduce((s, ps) => s + passCycles(cfg, df, { m: ps.mp, k: ps.kp, n: ps.np }), 0);
}

/** The dataflow of a run: `asked` (a flag, else the problem's), the design's own by default. */
export function resolveDataflow(
  design: Dataflow,
  cfg: GemmConfig,
  p: SystolicProblem,
  asked?: DataflowChoice,
): Dataflow {
  const want = asked ?? p.dataflow;
  if (isConvProblem(p)) {
    // Both dataflows form the windows on chip; on an array of both 'auto' takes the faster that fits.
    if (cfg.dataflow === 'both' && want === 'auto') {
      const g = convGeometry(cfg, p),
        bias = p.bias !== undefined;
      const fits = (['ws', 'os'] as const).filter((d) => convFitIn(cfg, d, g) === undefined);
      if (fits.length < 2) return fits[0] ?? 'ws';
      return convModel(cfg, 'os', g, bias).cycles < convModel(cfg, 'ws', g, bias).cycles ? 'os' : 'ws';
    }
  }
  if (cfg.dataflow !== 'both') {
    if (want !== undefined && want !== 'auto' && want !== cfg.dataflow) {
      throw new InputError(
        `dataflow '${want}': this ${design} configuration's array runs ${cfg.dataflow} only (dataflow '${cfg.dataflow}'); a configuration with dataflow 'both' runs either`,
      );
    }
    return cfg.dataflow;
  }
  if (want === undefined) return design;
  if (want !== 'auto') return want;
  if (isConvProblem(p)) return design;
  const m = p.a.length,
    k = p.b.length,
    n = p.b[0]!.length;
  return modelCycles(cfg, 'os', m, k, n) < modelCycles(cfg, 'ws', m, k, n) ? 'os' : 'ws';
}

export { runs };
