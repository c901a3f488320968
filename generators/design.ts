// What every generator returns: module texts in dependency order plus the
// facts the manifest, the binding and the testbenches need.

export interface PortSpec {
  name: string;
  direction: 'input' | 'output';
  /** Total bits. */
  width: number;
  /** Packed dimensions outermost first, e.g. [cols, accWidth]; [] for a 1-bit port. */
  dims: number[];
  /** SystemVerilog packed declaration written in parameters, e.g. "[Cols-1:0][AccWidth-1:0] ". */
  decl: string;
  doc: string;
}

export interface ModuleText {
  name: string;
  text: string;
}

export interface GeneratedDesign {
  design: string;
  top: string;
  configHash: string;
  config: object;
  parameters: Record<string, number | boolean>;
  ports: PortSpec[];
  /** Modules in dependency order (leaves first, top last). */
  modules: ModuleText[];
}

/** Builds a PortSpec; `dims` are the packed sizes (e.g. [4, 8] for [3:0][7:0]). */
export function port(
  name: string,
  direction: 'input' | 'output',
  dims: number[],
  decl: string,
  doc: string,
): PortSpec {
  return { name, direction, width: dims.reduce((a, b) => a * b, 1), dims, decl, doc };
}
