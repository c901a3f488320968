// A network as accelforge holds it: the ONNX graph reduced to what the
// supported operators need. Tensors are float32, NCHW, row-major.

export interface Tensor {
  dims: number[];
  data: Float32Array;
}

/** The operators accelforge reads, runs and compiles (anything else is refused by name). */
export const supportedOps = [
  'Gemm',
  'MatMul',
  'Add',
  'Conv',
  'Relu',
  'MaxPool',
  'AveragePool',
  'Flatten',
  'Reshape',
] as const;
export type OpType = (typeof supportedOps)[number];

export type AttrValue = number | number[] | string;

export interface Node {
  op: OpType;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface Graph {
  /** Model name (built-in name or the file's graph name). */
  name: string;
  input: { name: string; dims: number[] };
  output: string;
  nodes: Node[];
  /** Weights, biases and shapes (Reshape's target is int64 in ONNX; held as float here). */
  initializers: Map<string, Tensor>;
}

export const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

export function tensor(dims: number[], data?: ArrayLike<number>): Tensor {
  const t = { dims: [...dims], data: new Float32Array(size(dims)) };
  if (data) t.data.set(data);
  return t;
}

export function attrInts(n: Node, key: string, dflt: number[]): number[] {
  const v = n.attrs[key];
  return Array.isArray(v) ? v : typeof v === 'number' ? [v] : dflt;
}

export function attrInt(n: Node, key: string, dflt: number): number {
  const v = n.attrs[key];
  return typeof v === 'number' ? v : dflt;
}

/** Parameter count (every initializer except integer shapes). */
export function parameterCount(g: Graph): number {
  let n = 0;
  for (const [name, t] of g.initializers)
    if (!g.nodes.some((x) => x.op === 'Reshape' && x.inputs[1] === name)) n += t.data.length;
  return n;
}
