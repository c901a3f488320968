// The schema of a compressed folder's compressed.json (accelforge.compressed/1)
// and the consistency of its layers with the folder's model.onnx: a damaged
// or hand-edited folder is refused by field, before the RTL runs.
import { z } from 'zod';
import { InputError } from '../../golden/common/errors.js';
import { count, finite } from '../../golden/common/schema.js';
import type { Graph } from '../../golden/nn/graph.js';

const density = z.number().min(0).max(1);
const accuracy = z.number().min(0).max(1);

const recipe = z.object({
  densities: z.record(z.string(), density),
  defaultConvDensity: density,
  defaultFcDensity: density,
  steps: count(1000),
  epochsPerStep: z.number().int().min(0).max(1000),
  lr: finite(),
  finalEpochs: z.number().int().min(0).max(1000),
  bits: z.number().int().min(1).max(8),
  finetuneEpochs: z.number().int().min(0).max(1000),
  finetuneLr: finite(),
  tableEpochs: z.number().int().min(0).max(1000),
  indexBits: z.number().int().min(1).max(8),
  seed: z.number().int(),
});

const log = z.object({
  densities: z.array(
    z.object({ name: z.string(), weights: z.number().int().min(0), kept: z.number().int().min(0), density }),
  ),
  floatAccuracy: accuracy,
  prunedAccuracy: accuracy,
  quantizedAccuracy: accuracy,
  bitsTable: z.array(z.object({ bits: z.number().int().min(1).max(8), accuracy })),
  seconds: z.number().min(0),
});

/** Rows and columns of one stored layer (a 64 Mi-weight matrix at most, as the ONNX reader allows). */
const side = count(2 ** 26);

const layer = z
  .object({
    name: z.string().min(1),
    op: z.enum(['fc', 'conv']),
    rows: side,
    cols: side,
    codeBits: z.number().int().min(1).max(8),
    centroids: z.array(finite()),
    bias: z.array(finite()),
    // A file of the folder itself: no folder part, so a damaged entry cannot read elsewhere.
    huffman: z.string().regex(/^[A-Za-z0-9_.-]+\.huff$/, 'expected a file name of this folder ending in .huff'),
    eie: z.string().optional(),
  })
  .refine((l) => l.rows * l.cols <= 2 ** 26, { message: 'rows x cols is above 2^26 weights', path: ['rows'] })
  .refine((l) => l.centroids.length === 2 ** l.codeBits, {
    message: 'expected 2^codeBits codebook entries',
    path: ['centroids'],
  })
  .refine((l) => l.bias.length === l.rows, { message: 'expected one bias per row', path: ['bias'] });

export const compressedJson = z.object({
  schema: z.literal('accelforge.compressed/1'),
  model: z.string(),
  recipe,
  log,
  layers: z.array(layer).min(1),
});
export type CompressedJson = z.output<typeof compressedJson>;

/** Each stored layer is a weight node of model.onnx with that name and shape (rows = outputs), and the reverse. */
export function checkLayersMatchGraph(meta: CompressedJson, g: Graph, where: string): void {
  const weights = g.nodes.filter((n) => n.op === 'Gemm' || n.op === 'Conv' || n.op === 'MatMul');
  const names = new Set(meta.layers.map((l) => l.name));
  const missing = weights.filter((n) => !names.has(n.name)).map((n) => n.name);
  if (missing.length)
    throw new InputError(
      `${where}: model.onnx has weight node(s) ${missing.join(', ')} that compressed.json does not store`,
    );
  for (const l of meta.layers) {
    const n = weights.find((x) => x.name === l.name);
    if (!n) throw new InputError(`${where}: layer '${l.name}' of compressed.json is not a weight node of model.onnx`);
    const w = g.initializers.get(n.inputs[1] ?? '')!;
    const outputs = n.op === 'Conv' || (n.op === 'Gemm' && n.attrs.transB === 1) ? w.dims[0]! : w.dims.at(-1)!;
    if (l.op !== (n.op === 'Conv' ? 'conv' : 'fc') || outputs !== l.rows || w.data.length !== l.rows * l.cols)
      throw new InputError(
        `${where}: layer '${l.name}' is a ${l.op} of ${l.rows} x ${l.cols} in compressed.json; model.onnx's ${n.op} weight is [${w.dims}]`,
      );
  }
}
