// An ONNX model from a file: a bounded read with errors named, then
// decodeOnnx (golden/nn/onnx.ts), which checks the graph semantically.
import { isQuantizedModel } from '../../golden/nn/qonnx.js';
import { InputError } from '../../golden/common/errors.js';
import { decodeOnnx } from '../../golden/nn/onnx.js';
import type { Graph } from '../../golden/nn/graph.js';
import { readBoundedFile } from '../../testbenches/common/read-file.js';

/** Larger than any model accelforge runs (one tensor is at most 2^26 floats, 256 MiB). */
export const maxOnnxBytes = 256 * 2 ** 20;

/** Decodes and validates an ONNX model file into a Graph. */
export function readOnnx(path: string, what = 'model', task?: (g: Graph) => void): Graph {
  const bytes = readBoundedFile(path, what, 'an .onnx file', maxOnnxBytes);
  if (isQuantizedModel(bytes))
    throw new InputError(
      `'${path}' is an int8 model (QOperator or QDQ): \`model\` runs it on ws or os with an output stage (e.g. --config ws-16x16-int8); this use needs the float .onnx`,
    );
  return decodeOnnx(bytes, path, task);
}
