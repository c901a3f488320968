// An ONNX model from a file: read errors named, then decodeOnnx (golden/nn/onnx.ts).
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../golden/common/errors.js';
import { decodeOnnx } from '../../golden/nn/onnx.js';
import type { Graph } from '../../golden/nn/graph.js';

/** Decodes and validates an ONNX model file into a Graph. */
export function readOnnx(path: string, what = 'model'): Graph {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${what} '${path}' is a folder; give an .onnx file`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${what} '${path}' cannot be read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  return decodeOnnx(bytes, path);
}
