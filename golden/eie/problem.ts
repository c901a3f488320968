// The eie problem: validation of cli.md's eie input JSON against a config,
// and random layers for verification.
import { show } from '../common/show.js';
import { InputError } from '../common/errors.js';
import type { EieConfig } from './config.js';
import type { EieLayer } from './golden.js';
import { Random } from '../common/random.js';

export interface EieProblem {
  activations: bigint[];
  layers: EieLayer[];
  /** Where the host places the pointer words and matrix lines: a fraction in [0, 1) of the rows each memory leaves free (default 0). */
  placement?: { ptr: number; mat: number };
}

const int16 = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= -32768 && v <= 32767;

/** Validates and converts the eie input JSON; every error names the field. */
export function parseEieProblem(raw: unknown, cfg: EieConfig, source = 'input'): EieProblem {
  const fail = (m: string): never => {
    throw new InputError(`${source}: ${m}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('eie input must be a JSON object with keys activations, layers, placement?');
  const o = raw as Record<string, unknown>;
  const bad = Object.keys(o).find((k) => !['activations', 'layers', 'placement'].includes(k));
  if (bad !== undefined) fail(`unknown key '${bad}'; allowed: activations, layers, placement`);
  if (!Array.isArray(o.activations) || o.activations.length === 0)
    fail("'activations' must be a non-empty array of integers");
  const acts = o.activations as unknown[];
  acts.forEach((v, j) => {
    if (!int16(v))
      fail(`'activations'[${j}] = ${show(v)} is out of range; allowed: signed 16-bit integers -32768..32767`);
  });
  const cap = cfg.pes * cfg.rowsPerPe;
  if (acts.length > cap)
    fail(`'activations' has ${acts.length} entries; this config holds at most pes x rowsPerPe = ${cap}`);
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail("'layers' must be a non-empty array");
  const rawLayers = o.layers as unknown[];
  if (rawLayers.length > cfg.maxLayers)
    fail(`'layers' has ${rawLayers.length} layers; this config chains at most maxLayers = ${cfg.maxLayers}`);
  let cols = acts.length;
  const cbSize = 1 << cfg.codebookBits;
  const layers = rawLayers.map((rl, l): EieLayer => {
    const at = `'layers'[${l}]`;
    if (typeof rl !== 'object' || rl === null || Array.isArray(rl))
      fail(`${at} must be an object with codebook, index, bias?, shift, relu?`);
    const L = rl as Record<string, unknown>;
    for (const k of Object.keys(L))
      if (!['codebook', 'index', 'bias', 'shift', 'relu'].includes(k))
        fail(`${at}: unknown key '${k}'; allowed: codebook, index, bias, shift, relu`);
    if (!Array.isArray(L.codebook) || L.codebook.length !== cbSize)
      fail(`${at}.codebook must have ${cbSize} entries (2^codebookBits)`);
    (L.codebook as unknown[]).forEach((v, i) => {
      if (!int16(v)) fail(`${at}.codebook[${i}] = ${show(v)} is out of range; allowed: signed 16-bit integers`);
    });
    if ((L.codebook as number[])[0] !== 0) fail(`${at}.codebook[0] must be 0 (pruned weights)`);
    if (!Array.isArray(L.index) || L.index.length === 0) fail(`${at}.index must be a non-empty array of rows`);
    const index = L.index as unknown[];
    if (index.length > cap)
      fail(
        `${at}.index has ${index.length} rows; this config holds at most pes x rowsPerPe = ${cap} (split the layer or use more PEs)`,
      );
    index.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== cols)
        fail(
          `${at}.index[${i}] has ${Array.isArray(row) ? row.length : 'no'} entries; expected ${cols} (the ${l === 0 ? 'activations' : "previous layer's rows"})`,
        );
      (row as unknown[]).forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= cbSize)
          fail(`${at}.index[${i}][${j}] = ${show(v)} is out of range; allowed: 0..${cbSize - 1}`);
      });
    });
    if (L.shift === undefined) fail(`${at}.shift is missing; allowed: an integer 0..15 (the codebook's fraction bits)`);
    if (typeof L.shift !== 'number' || !Number.isInteger(L.shift) || L.shift < 0 || L.shift > 15)
      fail(`${at}.shift = ${show(L.shift)} is out of range; allowed: 0..15`);
    let bias: bigint[] | undefined;
    if (L.bias !== undefined) {
      if (!Array.isArray(L.bias) || L.bias.length !== index.length)
        fail(`${at}.bias must have ${index.length} entries (one per row)`);
      (L.bias as unknown[]).forEach((v, i) => {
        if (!int16(v)) fail(`${at}.bias[${i}] = ${show(v)} is out of range; allowed: signed 16-bit integers`);
      });
      bias = (L.bias as number[]).map(BigInt);
    }
    if (L.relu !== undefined && typeof L.relu !== 'boolean') fail(`${at}.relu must be true or false`);
    cols = index.length;
    return {
      codebook: (L.codebook as number[]).map(BigInt),
      index: index as number[][],
      bias,
      shift: L.shift as number,
      relu: L.relu === true,
    };
  });
  const placement = o.placement === undefined ? {} : { placement: parsePlacement(o.placement, fail) };
  return { activations: (acts as number[]).map(BigInt), layers, ...placement };
}

/** `placement`: { ptr, mat }, each a fraction in [0, 1) of the rows its memory leaves free. */
function parsePlacement(v: unknown, fail: (m: string) => never): { ptr: number; mat: number } {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(`'placement' is ${show(v)}; expected an object { ptr, mat } of fractions in [0, 1)`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'ptr' && k !== 'mat') fail(`unknown key 'placement.${k}'; allowed: ptr, mat`);
  const frac = (k: 'ptr' | 'mat') => {
    const x = o[k] ?? 0;
    if (typeof x !== 'number' || !(x >= 0 && x < 1))
      fail(`'placement.${k}' is ${show(x)}; expected a number in [0, 1)`);
    return x;
  };
  return { ptr: frac('ptr'), mat: frac('mat') };
}

export interface RandomLayerSpec {
  rows: number;
  weightDensity: number;
  bias?: boolean;
  relu?: boolean;
  shift?: number;
}

/** Random chain: activations of the given density, layers of the given shapes. */
export function randomEieProblem(
  cfg: EieConfig,
  cols: number,
  specs: RandomLayerSpec[],
  actDensity: number,
  rng: Random,
): EieProblem {
  const cbSize = 1 << cfg.codebookBits;
  const activations = Array.from({ length: cols }, () => (rng.bool(actDensity) ? rng.bigintIn(-32768n, 32767n) : 0n));
  let c = cols;
  const layers = specs.map((s): EieLayer => {
    const codebook = [0n, ...Array.from({ length: cbSize - 1 }, () => rng.bigintIn(-32768n, 32767n))];
    const index = Array.from({ length: s.rows }, () =>
      Array.from({ length: c }, () => (rng.bool(s.weightDensity) ? rng.int(1, cbSize - 1) : 0)),
    );
    c = s.rows;
    return {
      codebook,
      index,
      bias: s.bias ? Array.from({ length: s.rows }, () => rng.bigintIn(-32768n, 32767n)) : undefined,
      shift: s.shift ?? rng.int(0, 15),
      relu: s.relu ?? false,
    };
  });
  return { activations, layers };
}

/**
 * A large random layer without touching every element's random draw: the
 * gaps between nonzeros are geometric, so the cost is per nonzero. Rows are
 * Uint8Arrays (a 4096 x 25088 layer is 100 MB, not 800).
 */
export function randomSparseLayer(
  cfg: EieConfig,
  rows: number,
  cols: number,
  density: number,
  rng: Random,
  opts: { bias?: boolean; shift?: number } = {},
): EieLayer {
  const cbSize = 1 << cfg.codebookBits;
  const index = Array.from({ length: rows }, () => new Uint8Array(cols));
  const logq = Math.log1p(-Math.min(density, 1 - 1e-12));
  for (const row of index) {
    for (let j = -1; ;) {
      j += 1 + (density >= 1 ? 0 : Math.floor(Math.log1p(-rng.float()) / logq));
      if (j >= cols) break;
      row[j] = 1 + Math.floor(rng.float() * (cbSize - 1));
    }
  }
  return {
    codebook: [0n, ...Array.from({ length: cbSize - 1 }, () => rng.bigintIn(-32768n, 32767n))],
    index,
    bias: opts.bias ? Array.from({ length: rows }, () => rng.bigintIn(-32768n, 32767n)) : undefined,
    shift: opts.shift ?? 12,
  };
}

/** Activations of the given density (uniform signed 16-bit nonzeros). */
export function randomActivations(cols: number, density: number, rng: Random): bigint[] {
  return Array.from({ length: cols }, () => (rng.bool(density) ? rng.bigintIn(-32768n, 32767n) : 0n));
}
