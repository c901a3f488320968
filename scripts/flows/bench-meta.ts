// Every benchmark result's common part: where and how it was measured.
import { z } from 'zod';
import { nums } from '../../golden/common/schema.js';

const { nonNeg, pos } = nums;

/** Where and how a result was measured. */
export const benchMeta = z.object({
  schema: z.string(),
  section: z.string(),
  /** The command that produced this file. */
  command: z.string(),
  measuredAt: z.string(),
  machine: z.object({
    cpus: pos,
    cpuModel: z.string(),
    node: z.string(),
    verilator: z.string(),
    loadAverage1m: nonNeg,
  }),
});
export type BenchMeta = z.infer<typeof benchMeta>;
export const bench = <T extends z.ZodRawShape>(shape: T) => benchMeta.extend(shape);
