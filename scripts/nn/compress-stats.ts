// The statistics of a compression (stats.json, schema accelforge.compress/2):
// every byte count is a part of the container accelforge writes
// (golden/nn/container.ts), so the parts sum to the file's size and the
// headline ratio is dense float32 weights and biases over that size.
import { z } from 'zod';
import { encodeContainer, type ContainerSize } from '../../golden/nn/container.js';
import { encodeCsc } from '../../golden/nn/eie-format.js';
import { parameterCount } from '../../golden/nn/graph.js';
import type { CompressLog, CompressRecipe } from '../../golden/nn/compress.js';
import { parseWith } from '../../golden/common/schema.js';
import type { CompressResult } from './compressed.js';

export const statsSchema = 'accelforge.compress/2';

export interface LayerStats {
  name: string;
  op: 'fc' | 'conv';
  rows: number;
  cols: number;
  weights: number;
  kept: number;
  density: number;
  /** Stored entries (kept + padding). */
  entries: number;
  padding: number;
  /** Bytes of each part of the layer in the container, and their sum. */
  bytes: Omit<ContainerSize['layers'][0], 'name'> & { total: number };
}

export interface CompressStats {
  schema: typeof statsSchema;
  model: string;
  recipe: CompressRecipe;
  layers: LayerStats[];
  totals: {
    weights: number;
    kept: number;
    density: number;
    /** Every weight and bias as float32. */
    denseBytes: number;
    /** The size of model.afz. */
    containerBytes: number;
    headerBytes: number;
    networkBytes: number;
    /** The column entry counts of every layer (the column pointers). */
    pointerBytes: number;
    /** Computed, not written: the container with fixed-width codes and indices instead of Huffman streams. */
    fixedWidthBytes: number;
  };
  ratios: { container: number; withoutPointers: number; fixedWidth: number };
  /** Test split (2,000 images), scored once at the end. */
  accuracy: { float: number; compressed: number };
  /** Validation split (1,000 training images never trained on): every choice is made on these. */
  validation: { float: number; pruned: number; compressed: number };
  /** Validation accuracy per codebook width. */
  bitsTable: { bits: number; accuracy: number }[];
  seconds: number;
  notes: string[];
}

const ceil8 = (bits: number) => Math.ceil(bits / 8);

export function compressStats(cm: CompressResult, seconds = cm.log.seconds): CompressStats {
  const { size } = encodeContainer(cm);
  const layers: LayerStats[] = cm.layers.map((l, i) => {
    const csc = encodeCsc(l.codes, 1, cm.indexBits)[0]!;
    const padding = csc.v.filter((v) => v === 0).length;
    const kept = csc.v.length - padding;
    const { name: _, ...parts } = size.layers[i]!;
    const total = Object.values(parts).reduce((a, b) => a + b, 0);
    return {
      name: l.name,
      op: l.op,
      rows: l.rows,
      cols: l.cols,
      weights: l.rows * l.cols,
      kept,
      density: kept / (l.rows * l.cols),
      entries: csc.v.length,
      padding,
      bytes: { ...parts, total },
    };
  });
  const sum = (f: (l: LayerStats) => number) => layers.reduce((s, l) => s + f(l), 0);
  const weights = sum((l) => l.weights),
    kept = sum((l) => l.kept);
  const denseBytes = 4 * parameterCount(cm.graph);
  const pointerBytes = sum((l) => l.bytes.pointers);
  const fixedWidthBytes =
    size.total -
    sum((l) => l.bytes.tables + l.bytes.codes + l.bytes.index) +
    cm.layers.reduce(
      (s, l, i) => s + ceil8(layers[i]!.entries * l.codeBits) + ceil8(layers[i]!.entries * cm.indexBits),
      0,
    );
  const test = cm.log.test;
  if (!test) throw new Error('compressStats: the compression did not score the test split');
  const r = cm.recipe;
  return {
    schema: statsSchema,
    model: cm.model,
    recipe: r,
    layers,
    totals: {
      weights,
      kept,
      density: kept / weights,
      denseBytes,
      containerBytes: size.total,
      headerBytes: size.header,
      networkBytes: size.network,
      pointerBytes,
      fixedWidthBytes,
    },
    ratios: {
      container: denseBytes / size.total,
      withoutPointers: denseBytes / (size.total - pointerBytes),
      fixedWidth: denseBytes / fixedWidthBytes,
    },
    accuracy: { float: test.float, compressed: test.quantized },
    validation: {
      float: cm.log.validation.float,
      pruned: cm.log.validation.pruned,
      compressed: cm.log.validation.quantized,
    },
    bitsTable: cm.log.bitsTable,
    seconds,
    notes: [
      `dense: every weight and bias as float32 (${parameterCount(cm.graph)} parameters)`,
      `container: model.afz as written (docs/compression.md): ${r.bits}-bit weight codes and ${r.indexBits}-bit relative row indices of the stored entries (padding included), canonically Huffman coded, their code lengths, the column entry counts (Exp-Golomb), a float16 codebook and float16 biases per layer, the network's structure, a 16-byte header; the ratio is dense bytes over the file's size`,
      'withoutPointers: the same file less its column-count streams (secondary; Han et al. do not say whether their ratio includes pointers)',
      'fixedWidth: computed, not written: the same container with fixed-width codes and indices instead of the Huffman streams and their tables',
      'accuracy: the 2,000 test images, scored once after compression; validation: 1,000 training images never trained on (golden/nn/splits.ts), on which the recipe and the bit width were chosen',
    ],
  };
}

const frac = z.number().min(0).max(1);
const cachedStats = z.looseObject({
  schema: z.literal(statsSchema),
  layers: z.array(z.looseObject({ name: z.string(), weights: z.number(), kept: z.number(), density: frac })),
  accuracy: z.object({ float: frac, compressed: frac }),
  validation: z.object({ float: frac, pruned: frac, compressed: frac }),
  bitsTable: z.array(z.object({ bits: z.number().int(), accuracy: frac })),
  seconds: z.number().min(0),
});

/** The pipeline's log kept in a stats.json (a cached compression read back). */
export function statsLog(json: unknown): CompressLog {
  const s = parseWith(cachedStats, json, 'stats.json of the compression cache');
  return {
    densities: s.layers.map((l) => ({ name: l.name, weights: l.weights, kept: l.kept, density: l.density })),
    validation: { float: s.validation.float, pruned: s.validation.pruned, quantized: s.validation.compressed },
    test: { float: s.accuracy.float, quantized: s.accuracy.compressed },
    bitsTable: s.bitsTable,
    seconds: s.seconds,
  };
}
