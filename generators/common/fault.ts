// Deliberate faults for proving that the checks catch bugs: one PE's
// product gets a flipped bit on every multiply. `--inject-fault 'pe[1][2]'`
// (ws: PE row, column; rs: array row, column; eie: 'pe[k]').
import { InputError } from '../../golden/common/errors.js';
import { configHash } from './render.js';

export interface FaultSpec {
  /** PE coordinates: [row, col] for ws and rs, [k] for eie. */
  pe: number[];
  /** Product bit that flips (default 0). */
  bit: number;
}

/** The PE grid of a design: dimension sizes and their names. */
export interface PeGrid {
  dims: number[];
  names: string[];
  productBits: number;
}

export function parseFault(text: string, grid: PeGrid): FaultSpec {
  const m = /^pe((?:\[\d+\])+)(?::bit(\d+))?$/.exec(text.trim());
  const form = grid.dims.length === 2 ? "'pe[r][c]' or 'pe[r][c]:bitN'" : "'pe[k]' or 'pe[k]:bitN'";
  if (!m) throw new InputError(`--inject-fault '${text}' is not a PE; allowed: ${form}`);
  const pe = [...m[1]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
  if (pe.length !== grid.dims.length)
    throw new InputError(`--inject-fault '${text}' has ${pe.length} coordinates; allowed: ${form}`);
  pe.forEach((v, i) => {
    if (v >= grid.dims[i]!)
      throw new InputError(
        `--inject-fault '${text}': ${grid.names[i]} ${v} is out of range; allowed: 0..${grid.dims[i]! - 1}`,
      );
  });
  const bit = m[2] === undefined ? 0 : Number(m[2]);
  if (bit >= grid.productBits)
    throw new InputError(`--inject-fault '${text}': bit ${bit} is out of range; allowed: 0..${grid.productBits - 1}`);
  return { pe, bit };
}

export function faultName(f: FaultSpec): string {
  return `pe${f.pe.map((v) => `[${v}]`).join('')}:bit${f.bit}`;
}

/** Template context: whether the RTL has fault hooks, coordinates of the faulty PE (-1: none) and its bit. */
export function faultContext(f: FaultSpec | undefined, hooks = false) {
  return {
    faultHooks: Boolean(f) || hooks,
    faultRow: f?.pe[0] ?? -1,
    faultCol: f?.pe[1] ?? -1,
    faultBit: f?.bit ?? 0,
    faultNote: f ? `// FAULT INJECTED: ${faultName(f)} (product bit flipped on every multiply)\n` : '',
  };
}

export interface GenerateOptions {
  fault?: FaultSpec;
  /**
   * Keep the fault-injection parameters (FaultEnable, FaultBit, ...) in the RTL
   * with no fault injected (`generate --with-fault-hooks`); without it, and
   * without a fault, the RTL carries no trace of them.
   */
  faultHooks?: boolean;
}

/** The config hash, with the fault folded in so a faulty design never shares a name or build with the good one. */
export function designHash(design: string, cfg: object, fault?: FaultSpec): string {
  return configHash(design, fault ? { ...cfg, fault: faultName(fault) } : cfg);
}
