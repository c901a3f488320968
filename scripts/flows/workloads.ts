// Workloads as other tools write them (issue 27, part 4): SCALE-Sim's
// topology CSV and Timeloop's convolution problem YAML, read into the layer
// shapes compare and map take. Refusals name the row or key, the value and
// what is allowed (exit 2).
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../golden/common/errors.js';
import { readBoundedFile } from '../../testbenches/common/read-file.js';
import type { LayerSpec } from './compare.js';

/** A workload file holds a few hundred layers at most; 1 MiB is far beyond any real one. */
const maxWorkloadBytes = 2 ** 20;
/** Larger sizes are no layer any design here could hold (and keep products exact in doubles). */
const maxDim = 2 ** 20;

/** A convolution layer of a workload, with its batch (Timeloop's N; 1 for SCALE-Sim, which has none). */
export interface WorkloadLayer extends LayerSpec {
  op: 'conv';
  C: number;
  H: number;
  W: number;
  R: number;
  S: number;
  U: number;
  P: number;
  N: number;
}

export interface Workload {
  /** The file's name without folders, for reports. */
  name: string;
  layers: WorkloadLayer[];
}

const topologyColumns = [
  'IFMAP height',
  'IFMAP width',
  'Filter height',
  'Filter width',
  'Channels',
  'Num filter',
  'Stride height',
  'Stride width',
] as const;

function int(v: string, where: string, what: string, min: number): number {
  const t = v.trim();
  if (!/^[0-9]+$/.test(t) || Number(t) < min || Number(t) > maxDim)
    throw new InputError(`${where}: ${what} is '${t}'; allowed: an integer from ${min} to ${maxDim}`);
  return Number(t);
}

/**
 * SCALE-Sim's convolution topology: a header row, then per layer
 * `name, IFMAP height, IFMAP width, filter height, filter width, channels,
 * filters, stride height[, stride width],` (the trailing comma optional; a
 * missing stride width is the stride height, as SCALE-Sim reads it). No
 * padding: SCALE-Sim's output is floor((IFMAP - filter) / stride) + 1. A
 * layer whose name contains "DP" (SCALE-Sim's depthwise convention) becomes
 * one single-channel layer per channel, as SCALE-Sim expands it.
 */
export function parseTopologyCsv(text: string, source: string): WorkloadLayer[] {
  const rows = text.split(/\r?\n/);
  const layers: WorkloadLayer[] = [];
  let header = true;
  rows.forEach((line, i) => {
    const where = `${source} row ${i + 1}`;
    if (line.trim() === '') return;
    const cells = line.split(',');
    if (cells.length > 1 && cells[cells.length - 1]!.trim() === '') cells.pop();
    if (header) {
      header = false;
      // SCALE-Sim skips the first row unread: a layer there would be lost without a word.
      if (cells.slice(1).length >= 7 && cells.slice(1).every((c) => /^\s*[0-9]+\s*$/.test(c)))
        throw new InputError(
          `${where}: the first row is a layer (${line.trim()}); a SCALE-Sim topology starts with a header row (Layer name, ${topologyColumns.join(', ')})`,
        );
      return;
    }
    if (cells.length !== 8 && cells.length !== 9)
      throw new InputError(
        `${where}: ${cells.length} fields; a layer has 8 or 9: Layer name, ${topologyColumns.join(', ')} (optional)`,
      );
    const name = cells[0]!.trim();
    if (name === '') throw new InputError(`${where}: the layer name is empty`);
    const [H, W, R, S, C, M, Uh] = cells.slice(1, 8).map((c, j) => int(c, where, topologyColumns[j]!, 1)) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const Uw = cells.length === 9 ? int(cells[8]!, where, 'Stride width', 1) : Uh;
    if (Uh !== Uw)
      throw new InputError(
        `${where}: Stride height ${Uh} and Stride width ${Uw} differ; allowed: one stride for both directions`,
      );
    if (R > H) throw new InputError(`${where}: Filter height ${R} is larger than IFMAP height ${H}`);
    if (S > W) throw new InputError(`${where}: Filter width ${S} is larger than IFMAP width ${W}`);
    const layer = (n: string, channels: number): WorkloadLayer => ({
      name: n,
      op: 'conv',
      C: channels,
      H,
      W,
      M,
      R,
      S,
      U: Uh,
      P: 0,
      N: 1,
    });
    if (name.includes('DP')) for (let c = 0; c < C; c++) layers.push(layer(`${name}Channel_${c}`, 1));
    else layers.push(layer(name, C));
  });
  if (!layers.length) throw new InputError(`${source}: no layer rows after the header`);
  return layers;
}

const instanceKeys = ['C', 'M', 'K', 'R', 'S', 'N', 'P', 'Q', 'Wstride', 'Hstride', 'Wdilation', 'Hdilation'];

/**
 * Timeloop's convolution problem: `problem: { instance: { C, M, R, S, N, P,
 * Q, Wstride, Hstride, Wdilation, Hdilation }, shape: ... }` (v0.4), or the
 * older flat form `problem: { C, K, R, S, N, P, Q, ..., shape: cnn-layer }`
 * (K the filters). Timeloop's R and P run along the width (with Wstride),
 * S and Q along the height: here R x S is height x width, so R = Timeloop's
 * S. No padding: the input is (Q - 1) Hstride + S high and (P - 1) Wstride
 * + R wide. Dilation other than 1 and different strides are refused.
 */
export function parseTimeloopProblem(text: string, source: string): WorkloadLayer {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new InputError(`${source} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const problem = (raw as { problem?: unknown } | null)?.problem;
  if (!problem || typeof problem !== 'object' || Array.isArray(problem))
    throw new InputError(`${source}: no 'problem' mapping; a Timeloop problem file has problem: { instance: {...} }`);
  const p = problem as Record<string, unknown>;
  const inst = (p.instance ?? p) as Record<string, unknown>;
  const at = p.instance ? 'problem.instance' : 'problem';
  if (!inst || typeof inst !== 'object' || Array.isArray(inst))
    throw new InputError(`${source}: '${at}' is not a mapping of the dimensions`);
  const get = (k: string, dflt?: number): number => {
    const v = inst[k];
    if (v === undefined) {
      if (dflt !== undefined) return dflt;
      throw new InputError(`${source}: key '${at}.${k}' is missing; a convolution needs C, M (or K), R, S, P, Q`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > maxDim)
      throw new InputError(
        `${source}: key '${at}.${k}' is ${JSON.stringify(v)}; allowed: an integer from 1 to ${maxDim}`,
      );
    return v;
  };
  for (const k of Object.keys(inst)) {
    if (k === 'shape' || k === 'version' || k === 'bitwidths' || k === 'densities') continue;
    if (!instanceKeys.includes(k))
      throw new InputError(
        `${source}: key '${at}.${k}' is not a convolution dimension; allowed: ${instanceKeys.join(', ')}`,
      );
  }
  if (inst.M !== undefined && inst.K !== undefined)
    throw new InputError(`${source}: both '${at}.M' and '${at}.K' are given; the filters are one of them`);
  const M = inst.M !== undefined ? get('M') : get('K');
  for (const k of ['Wdilation', 'Hdilation'])
    if (get(k, 1) !== 1) throw new InputError(`${source}: key '${at}.${k}' is ${get(k)}; allowed: 1 (no dilation)`);
  const Uw = get('Wstride', 1),
    Uh = get('Hstride', 1);
  if (Uw !== Uh)
    throw new InputError(
      `${source}: keys '${at}.Wstride' ${Uw} and '${at}.Hstride' ${Uh} differ; allowed: one stride for both directions`,
    );
  const [Rw, Sh, P, Q] = [get('R'), get('S'), get('P'), get('Q')];
  return {
    name: basename(source).replace(/\.ya?ml$/i, ''),
    op: 'conv',
    C: get('C'),
    M,
    R: Sh,
    S: Rw,
    H: (Q - 1) * Uh + Sh,
    W: (P - 1) * Uw + Rw,
    U: Uh,
    P: 0,
    N: get('N', 1),
  };
}

/** Reads a --topology (.csv) or --problem (.yaml) file. */
export function readWorkload(path: string, kind: 'topology' | 'problem'): Workload {
  const what = kind === 'topology' ? 'a SCALE-Sim topology CSV' : 'a Timeloop problem YAML';
  const text = readBoundedFile(path, `--${kind}`, what, maxWorkloadBytes).toString('utf8');
  const layers = kind === 'topology' ? parseTopologyCsv(text, path) : [parseTimeloopProblem(text, path)];
  return { name: basename(path), layers };
}
