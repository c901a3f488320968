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
  /** A deliberately injected fault (tests of the checker), if any. */
  fault?: import('./fault.js').FaultSpec;
  /** Modules in dependency order (leaves first, top last). */
  modules: ModuleText[];
  /** The af_sram_1r1w instances (manifest.json, datasheet): where a user swaps in SRAM macros. */
  memories?: MemorySpec[];
  /** How a Verilator build of this design scales (chosen by measurement, docs/benchmarks.md "Scale"). */
  build?: BuildHints;
}

export interface BuildHints {
  /** Verilate the modules marked hier_block (the systolic tiles) once each: --hierarchical. */
  hierarchical?: boolean;
  /** Threads of the simulation model (--threads), 1 when absent. */
  threads?: number;
  /**
   * The hierarchy blocks: lint checks each distinct parametrization on its
   * own and the rest of the design with the block's port-only stub, as the
   * hierarchical build verilates them (a flat lint of 256 x 256 takes 6 min, 9 GB).
   */
  blocks?: HierBlock[];
}

/** The design's modules with every hierarchy block replaced by its port-only stub (block-wise lint and Icarus checks). */
export function withBlockStubs(d: GeneratedDesign): ModuleText[] {
  const blocks = d.build?.blocks ?? [];
  return d.modules.map((m) => ({ ...m, text: blocks.find((b) => b.module === m.name)?.stub ?? m.text }));
}

export interface HierBlock {
  module: string;
  /** The module with its ports alone (outputs tied to zero). */
  stub: string;
  /** Every distinct parameter override the design instantiates it with. */
  params: Record<string, number>[];
}

/**
 * One memory of a design: every instance is an af_sram_1r1w (one write and
 * one read port on one clock, read data registered one cycle after re_i,
 * read-first on a same-address write, no reset): the wrapper boundary a
 * user replaces with an SRAM macro of the same ports.
 */
export interface MemorySpec {
  /** Instance path below the top, generate scopes with [*] for each index. */
  path: string;
  /** Instances at this path (the product of the [*] ranges). */
  count: number;
  width: number;
  depth: number;
  what: string;
  /**
   * Absent: an af_sram_1r1w instance (a macro boundary). 'register file': a
   * flip-flop array inside `module` (path ends in the array's name), kept in
   * logic for the reason `why`.
   */
  kind?: 'register file';
  module?: string;
  why?: string;
}

/** Builds a PortSpec; `dims` are the packed sizes (e.g. [4, 8] for [3:0][7:0]). */
export function port(name: string, direction: 'input' | 'output', dims: number[], decl: string, doc: string): PortSpec {
  return { name, direction, width: dims.reduce((a, b) => a * b, 1), dims, decl, doc };
}

/** The host port every engine exposes (valid/ready requests, responses a cycle later). */
export function hostPorts(
  addrWidth: number,
  dataWidth: number,
  selWidth: number,
  selDoc: string,
  busyDoc: string,
  addrDoc = 'target address (CSR number, buffer row or {PE, local address})',
): PortSpec[] {
  return [
    port('clk_i', 'input', [], '', 'clock'),
    port('rst_ni', 'input', [], '', 'asynchronous reset, active low'),
    port('host_req_valid_i', 'input', [], '', 'host request valid'),
    port('host_req_ready_o', 'output', [], '', 'request accepted when valid and ready'),
    port('host_req_write_i', 'input', [], '', '1 write, 0 read'),
    port('host_req_sel_i', 'input', [selWidth], `[${selWidth - 1}:0] `, selDoc),
    port('host_req_addr_i', 'input', [addrWidth], '[HostAddrWidth-1:0] ', addrDoc),
    port('host_req_wdata_i', 'input', [dataWidth], '[HostDataWidth-1:0] ', 'write data'),
    port('host_rsp_valid_o', 'output', [], '', 'read data valid (one cycle after the accepted read)'),
    port('host_rsp_rdata_o', 'output', [dataWidth], '[HostDataWidth-1:0] ', 'read data'),
    port('busy_o', 'output', [], '', busyDoc),
    port('done_o', 'output', [], '', 'the last run finished (until the next start)'),
  ];
}

/** The templates' `(n > 1) ? $clog2(n) : 1` address and index widths. */
export const clog2 = (n: number) => (n > 1 ? Math.ceil(Math.log2(n)) : 1);
