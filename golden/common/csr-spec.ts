// A host-port engine's register interface, written once: the targets of
// host_req_sel_i and the CSRs. From it come the TypeScript constants (the
// host programs), the SystemVerilog package (<design>_pkg, generators/common/csr.ts)
// and the datasheet's tables.

export interface TargetSpec {
  /** TypeScript key and, capitalized, the SV name Sel<Name>. */
  name: string;
  sel: number;
  doc: string;
}

export interface CsrSpec {
  /** TypeScript key and, capitalized, the SV name Csr<Name>. */
  name: string;
  addr: number;
  /** rw read/write, ro read-only, wo write-only (reads answer 0). */
  access: 'rw' | 'ro' | 'wo';
  doc: string;
}

/** { name: value } of a list (the TypeScript constants). */
export function byName<T extends { name: string }, K extends keyof T>(
  list: readonly T[],
  key: K,
): Record<string, T[K]> {
  const out: Record<string, T[K]> = {};
  for (const x of list) {
    if (x.name in out) throw new Error(`duplicate register interface name '${x.name}'`);
    out[x.name] = x[key];
  }
  return out;
}
