// Semantic checks of an imported graph, before any tensor is computed: the
// shape of every value is inferred node by node (one image, the batch
// dimension left out) and every attribute is checked against the rule the
// operator needs. A refusal names the node, the tensor or attribute, the
// value and the rule. Gemm's alpha and beta are folded into the constant
// weight and bias here, so every later path (float, integer, RTL) honours them.
import { InputError } from '../common/errors.js';
import { attrInt, attrInts, size, type Graph, type Node, type Tensor } from './graph.js';
import { imageSize } from './mnist.js';

/** Elements of one tensor (an initializer, or one image's activations): 2^26 float32 = 256 MiB. */
export const maxTensorElements = 2 ** 26;

/** The dims of an initializer as stored: each a positive safe integer, their product within the limit. */
export function checkDims(dims: number[], what: string): void {
  for (const [i, d] of dims.entries()) {
    if (!Number.isSafeInteger(d) || d < 1)
      throw new InputError(`${what} has dims [${dims}]: dim ${i} = ${d}; every dim must be a positive integer`);
  }
  const n = dims.reduce((a, b) => a * b, 1);
  if (n > maxTensorElements)
    throw new InputError(`${what} has dims [${dims}] (${n} elements); at most ${maxTensorElements} elements`);
}

/** Every value finite (NaN or infinite weights would run as garbage). */
export function checkFinite(t: Tensor, what: string): void {
  const i = t.data.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) throw new InputError(`${what} holds ${t.data[i]} at element ${i}; every weight must be a finite number`);
}

type Shape = number[];

const show = (s: Shape) => `[${s.join(', ')}]`;

/** Per-image shapes (without the batch) of every value, and the output's. */
export function checkGraph(g: Graph, where: string): { shapes: Map<string, Shape>; output: Shape } {
  const shapes = new Map<string, Shape>();
  const input = g.input.dims.slice(1);
  checkDims(input, `'${where}': input '${g.input.name}' (per image)`);
  shapes.set(g.input.name, input);
  for (const n of g.nodes) {
    const fail = (what: string): never => {
      throw new InputError(`'${where}': node '${n.name}' (${n.op}) ${what}`);
    };
    const init = (i: number) => g.initializers.get(n.inputs[i] ?? '');
    const shapeOf = (i: number): Shape => {
      const x = n.inputs[i];
      if (x === undefined) return fail(`has no input ${i}`);
      const t = g.initializers.get(x);
      if (t) return t.dims;
      const s = shapes.get(x);
      return s ? [1, ...s] : fail(`reads '${x}', which no earlier node computes`);
    };
    const out = inferNode(n, g, shapeOf, init, fail);
    const per = out.slice(1);
    if (size(per) > maxTensorElements)
      fail(`computes ${show(out)} (${size(per)} values per image); at most ${maxTensorElements}`);
    shapes.set(n.outputs[0]!, per);
  }
  const output = shapes.get(g.output);
  if (!output) throw new InputError(`'${where}': the graph output '${g.output}' is not produced by any node`);
  return { shapes, output };
}

/** The output shape of one node (with the batch of 1 first) from its inputs' shapes. */
function inferNode(
  n: Node,
  g: Graph,
  shapeOf: (i: number) => Shape,
  init: (i: number) => Tensor | undefined,
  fail: (what: string) => never,
): Shape {
  const x = shapeOf(0);
  const weight = (i: number, rank: number, what: string): Tensor => {
    const w = init(i);
    if (!w) return fail(`has its ${what} '${n.inputs[i]}' computed at run time; accelforge needs a constant ${what}`);
    if (w.dims.length !== rank)
      fail(`has ${what} '${n.inputs[i]}' of shape ${show(w.dims)}; a ${rank}-D ${what} is needed`);
    return w;
  };
  switch (n.op) {
    case 'Gemm': {
      if (x.length !== 2) fail(`reads a ${x.length}-D input ${show(x)}; Gemm needs a 2-D input (Flatten first)`);
      if (attrInt(n, 'transA', 0) !== 0) fail(`has transA = ${n.attrs.transA}; supported: 0`);
      const w = weight(1, 2, 'weight');
      const transB = attrInt(n, 'transB', 0);
      if (transB !== 0 && transB !== 1) fail(`has transB = ${transB}; allowed: 0, 1`);
      const [k, nOut] = transB ? [w.dims[1]!, w.dims[0]!] : [w.dims[0]!, w.dims[1]!];
      if (k !== x[1])
        fail(
          `multiplies an input of ${x[1]} features by weight '${n.inputs[1]}' ${show(w.dims)}${transB ? ' (transB = 1)' : ''}, which expects ${k}`,
        );
      foldAlphaBeta(n, g, w, nOut, fail);
      return [1, nOut];
    }
    case 'MatMul': {
      const w = weight(1, 2, 'weight');
      if (x.length < 2) fail(`reads a ${x.length}-D input; MatMul needs at least 2-D`);
      if (x.at(-1) !== w.dims[0])
        fail(
          `multiplies an input of ${x.at(-1)} features by weight '${n.inputs[1]}' ${show(w.dims)}, which expects ${w.dims[0]}`,
        );
      return [...x.slice(0, -1), w.dims[1]!];
    }
    case 'Add': {
      const b = shapeOf(1);
      const nb = size(b);
      if (!(nb === 1 || nb === x.at(-1) || (size(b) === size(x) && b.length === x.length)))
        fail(
          `adds '${n.inputs[1]}' of shape ${show(b)} to ${show(x)}; allowed: one value, one per feature (${x.at(-1)}) or the same shape`,
        );
      if (init(1)) checkBiasRank(b, fail, n.inputs[1]!);
      return x;
    }
    case 'Conv':
      return convShape(n, x, weight(1, 4, 'weight'), init(2), fail);
    case 'MaxPool':
    case 'AveragePool':
      return poolShape(n, x, fail);
    case 'Relu':
      return x;
    case 'Flatten': {
      const axis = attrInt(n, 'axis', 1);
      if (!Number.isInteger(axis) || axis < -x.length || axis > x.length)
        fail(`has axis = ${axis}; allowed: ${-x.length}..${x.length} for its ${x.length}-D input`);
      const a = axis < 0 ? x.length + axis : axis;
      return [size(x.slice(0, a)), size(x.slice(a))];
    }
    case 'Reshape':
      return reshapeShape(x, weight(1, 1, 'shape'), fail);
  }
}

function checkBiasRank(b: Shape, fail: (w: string) => never, name: string): void {
  if (b.filter((d) => d !== 1).length > 1)
    fail(`has bias '${name}' of shape ${show(b)}; a bias is one value per output`);
}

/** alpha * A B + beta * C, with B and C constant: the scales move into new initializers. */
function foldAlphaBeta(n: Node, g: Graph, w: Tensor, nOut: number, fail: (w: string) => never): void {
  const alpha = n.attrs.alpha ?? 1,
    beta = n.attrs.beta ?? 1;
  for (const [k, v] of [
    ['alpha', alpha],
    ['beta', beta],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`has ${k} = ${String(v)}; it must be a finite number`);
  const c = n.inputs[2] ? g.initializers.get(n.inputs[2]) : undefined;
  if (n.inputs[2] && !c) fail(`has its bias '${n.inputs[2]}' computed at run time; accelforge needs a constant bias`);
  if (c) {
    const nc = size(c.dims);
    if (nc !== 1 && nc !== nOut)
      fail(`has bias '${n.inputs[2]}' of shape ${show(c.dims)} (${nc} values); it needs 1 or ${nOut} (one per output)`);
    checkBiasRank(c.dims, fail, n.inputs[2]!);
  }
  if (alpha !== 1) {
    const name = `${n.name}::alpha*${n.inputs[1]}`;
    g.initializers.set(name, { dims: [...w.dims], data: w.data.map((v) => Math.fround((alpha as number) * v)) });
    n.inputs[1] = name;
  }
  if (c && beta !== 1) {
    const name = `${n.name}::beta*${n.inputs[2]}`;
    g.initializers.set(name, { dims: [...c.dims], data: c.data.map((v) => Math.fround((beta as number) * v)) });
    n.inputs[2] = name;
  }
  delete n.attrs.alpha;
  delete n.attrs.beta;
}

/** Two spatial ints of an attribute (kernel_shape, strides, dilations), each at least `min`. */
function pair(n: Node, key: string, dflt: number[] | undefined, min: number, fail: (w: string) => never): number[] {
  if (dflt === undefined && !(key in n.attrs)) fail(`has no ${key}; it is required`);
  const v = attrInts(n, key, dflt ?? []);
  if (v.length !== 2 || v.some((d) => !Number.isSafeInteger(d) || d < min))
    fail(`has ${key} = [${v}]; it needs two integers of at least ${min}`);
  return v;
}

/** pads [top, left, bottom, right], each 0..kernel-1 (a larger pad gives outputs that see only padding). */
function pads(n: Node, k: number[], fail: (w: string) => never): number[] {
  const p = attrInts(n, 'pads', [0, 0, 0, 0]);
  if (p.length !== 4) fail(`has pads = [${p}]; it needs four integers (top, left, bottom, right)`);
  p.forEach((v, i) => {
    const kk = k[i % 2]!;
    if (!Number.isSafeInteger(v) || v < 0 || v >= kk)
      fail(
        `has pads = [${p}]; pad ${i} = ${v} must be 0..${kk - 1} (below the kernel's ${i % 2 ? 'width' : 'height'} ${kk})`,
      );
  });
  return p;
}

function window(x: Shape, k: number[], s: number[], p: number[], fail: (w: string) => never): [number, number] {
  const [H, W] = [x[2]!, x[3]!];
  if (k[0]! > H + p[0]! + p[2]! || k[1]! > W + p[1]! + p[3]!)
    fail(`has a ${k[0]} x ${k[1]} kernel, larger than its ${H} x ${W} input with pads [${p}]`);
  return [Math.floor((H + p[0]! + p[2]! - k[0]!) / s[0]!) + 1, Math.floor((W + p[1]! + p[3]! - k[1]!) / s[1]!) + 1];
}

function convShape(n: Node, x: Shape, w: Tensor, b: Tensor | undefined, fail: (w: string) => never): Shape {
  if (x.length !== 4) fail(`reads a ${x.length}-D input ${show(x)}; Conv needs N x C x H x W`);
  const [M, C, R, S] = w.dims as [number, number, number, number];
  if (C !== x[1]) fail(`has weight '${n.inputs[1]}' ${show(w.dims)} for ${C} input channels; its input has ${x[1]}`);
  const k = 'kernel_shape' in n.attrs ? pair(n, 'kernel_shape', undefined, 1, fail) : [R, S];
  if (k[0] !== R || k[1] !== S) fail(`has kernel_shape [${k}] but weight '${n.inputs[1]}' is ${R} x ${S}`);
  const s = pair(n, 'strides', [1, 1], 1, fail);
  pair(n, 'dilations', [1, 1], 1, fail);
  const p = pads(n, k, fail);
  if (n.inputs[2] && !b) fail(`has its bias '${n.inputs[2]}' computed at run time; accelforge needs a constant bias`);
  if (b && (b.dims.length !== 1 || b.dims[0] !== M))
    fail(`has bias '${n.inputs[2]}' of shape ${show(b.dims)}; it needs [${M}] (one per output channel)`);
  const [E, F] = window(x, k, s, p, fail);
  return [1, M, E, F];
}

function poolShape(n: Node, x: Shape, fail: (w: string) => never): Shape {
  if (x.length !== 4) fail(`reads a ${x.length}-D input ${show(x)}; pooling needs N x C x H x W`);
  const k = pair(n, 'kernel_shape', undefined, 1, fail);
  const s = pair(n, 'strides', [1, 1], 1, fail);
  if (n.op === 'MaxPool') pair(n, 'dilations', [1, 1], 1, fail);
  const p = pads(n, k, fail);
  const [E, F] = window(x, k, s, p, fail);
  return [1, x[1]!, E, F];
}

function reshapeShape(x: Shape, shape: Tensor, fail: (w: string) => never): Shape {
  const want = Array.from(shape.data);
  if (want.some((v) => !Number.isSafeInteger(v) || v < -1) || want.filter((v) => v === -1).length > 1)
    fail(`has shape [${want}]; allowed: positive sizes, 0 (copy) and at most one -1`);
  const dims = want.map((v, i) => (v === 0 ? (x[i] ?? fail(`has shape [${want}]: 0 at ${i} copies no input dim`)) : v));
  const known = size(dims.filter((v) => v !== -1));
  const total = size(x);
  const out = dims.map((v) => (v === -1 ? total / known : v));
  if (size(out) !== total || out.some((v) => !Number.isInteger(v)))
    fail(`cannot reshape ${show(x)} (${total} values with a batch of 1) to [${want}]`);
  if (out[0] !== 1) fail(`has shape [${want}]; its first dim must stay the batch (-1 or 0)`);
  return out;
}

/** The input of `model` and `compress`: one 1 x 28 x 28 (784-value) MNIST image per batch entry. */
export function checkMnistInput(g: Graph, where: string): void {
  const input = g.input.dims.slice(1);
  if (size(input) !== imageSize)
    throw new InputError(
      `'${where}': input '${g.input.name}' has shape [${g.input.dims.map((v) => (v < 0 ? 'N' : v))}] (${size(input)} values per image); the MNIST images are 1 x 28 x 28 (784 values)`,
    );
}

/** The task of `model` and `compress`: a 784-value image in, ten class scores out. */
export function checkMnistClassifier(g: Graph, where: string): void {
  checkMnistInput(g, where);
  const out = checkGraph(g, where).output;
  if (size(out) !== 10)
    throw new InputError(
      `'${where}': output '${g.output}' has shape [N, ${out.join(', ')}] (${size(out)} values per image); an MNIST classifier has 10 (one score per digit)`,
    );
}
