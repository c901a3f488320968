// The int8 benchmark sections' result schemas (bench-schema.ts re-exports them).
import { z } from 'zod';
import { nums } from '../../golden/common/schema.js';
import { bench } from './bench-meta.js';

const { nonNeg, int, pos, frac } = nums;

/** The int8 conformance matrix: per cell, outputs checked and those differing from onnxruntime. */
export const int8ConformanceResult = bench({
  onnxruntime: z.string(),
  modelsPerCell: pos,
  cells: z.array(
    z.object({
      name: z.string(),
      op: z.string(),
      perChannel: z.boolean(),
      zeroPoints: z.boolean(),
      activations: z.string(),
      crafted: z.string().optional(),
      layers: pos,
      values: pos,
      goldenDiffers: int,
      rtlDiffers: int,
      ties: int,
      saturated: int,
    }),
  ),
});
export type Int8ConformanceResult = z.infer<typeof int8ConformanceResult>;

/** Standard int8 models on the RTL (`model FILE.onnx`) against onnxruntime: per run, time, accuracy, values that differ. */
export const int8ModelsResult = bench({
  images: pos,
  runs: z.array(
    z.object({
      model: z.string(),
      /** Test images of this run (rs runs LeNet-300-100 on fewer). */
      images: pos,
      design: z.string(),
      config: z.string(),
      format: z.string(),
      weights: z.string(),
      activations: z.string(),
      cycles: int,
      simSeconds: nonNeg,
      wallSeconds: nonNeg,
      accuracy: frac,
      onnxruntimeAccuracy: frac,
      floatAccuracy: frac,
      values: int,
      differFromOnnxruntime: int,
      layers: z.array(z.object({ name: z.string(), cycles: int, utilization: frac, differFromOnnxruntime: int })),
    }),
  ),
});
export type Int8ModelsResult = z.infer<typeof int8ModelsResult>;
