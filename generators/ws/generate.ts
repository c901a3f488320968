import type { WsConfig } from '../../golden/ws/config.js';
import { hostPorts, port, type GeneratedDesign, type ModuleText, type PortSpec } from '../common/design.js';
import { designModule, primitive, renderHeader } from '../common/render.js';
import { svRegisterPackage } from '../common/csr.js';
import { counterNames, wsCsrs, wsTargets } from '../../golden/ws/interface.js';
import { designHash, faultContext, type GenerateOptions } from '../common/fault.js';

const clog2 = (n: number) => (n > 1 ? Math.ceil(Math.log2(n)) : 1);

export function wsRowIdxWidth(cfg: WsConfig): number {
  return clog2(cfg.rows);
}

/** Widths of the engine's host port. */
export function wsHostWidths(cfg: WsConfig): { addr: number; data: number } {
  return {
    addr: Math.max(clog2(cfg.aDepth), clog2(cfg.bDepth), clog2(cfg.accDepth), 5),
    data: Math.max(cfg.rows * cfg.dataWidth, cfg.cols * cfg.dataWidth, cfg.cols * cfg.accWidth, 64),
  };
}

/** The ports of the array core ws_array; its template renders its port list from this. */
export function wsArrayPorts(cfg: WsConfig): PortSpec[] {
  const { rows: R, cols: C, dataWidth: DW, accWidth: AW } = cfg;
  return [
    port('clk_i', 'input', [], '', 'clock'),
    port('rst_ni', 'input', [], '', 'asynchronous reset, active low'),
    port('w_load_i', 'input', [], '', 'load w_data_i into the PEs of row w_row_i'),
    port('w_row_i', 'input', [wsRowIdxWidth(cfg)], '[RowIdxWidth-1:0] ', 'PE row to load'),
    port('w_bank_i', 'input', [], '', 'weight bank (0/1) the load writes'),
    port(
      'w_data_i',
      'input',
      [C, DW],
      '[Cols*DataWidth-1:0] ',
      'one weight per column (column c at bits c*DataWidth +: DataWidth)',
    ),
    port('a_valid_i', 'input', [], '', 'a_data_i and psum_i carry a row this cycle'),
    port('a_wsel_i', 'input', [], '', 'weight bank (0/1) this row multiplies with'),
    port(
      'a_data_i',
      'input',
      [R, DW],
      '[Rows*DataWidth-1:0] ',
      'one A row slice (K side), unskewed (row r at bits r*DataWidth +: DataWidth)',
    ),
    port(
      'psum_i',
      'input',
      [C, AW],
      '[Cols*AccWidth-1:0] ',
      'partial sums entering the column tops (column c at bits c*AccWidth +: AccWidth)',
    ),
    port('relu_i', 'input', [], '', 'clamp negative results to zero on output'),
    port('c_valid_o', 'output', [], '', 'c_data_o carries a result row'),
    port(
      'c_data_o',
      'output',
      [C, AW],
      '[Cols*AccWidth-1:0] ',
      'result row, de-skewed (column c at bits c*AccWidth +: AccWidth)',
    ),
    port(
      'st_step_o',
      'output',
      [R * C],
      '[Rows*Cols-1:0] ',
      'PE (r, c) (bit r*Cols + c) multiplies this cycle: for the access counters',
    ),
  ];
}

/** The ports of the GEMM engine ws_engine (the design's top). */
export function wsEnginePorts(cfg: WsConfig): PortSpec[] {
  const h = wsHostWidths(cfg);
  return hostPorts(
    h.addr,
    h.data,
    2,
    'target: 0 CSR, 1 A buffer, 2 B buffer, 3 accumulator buffer',
    'a GEMM is running',
  );
}

function context(cfg: WsConfig, ports: PortSpec[], o: GenerateOptions) {
  return {
    design: 'ws',
    configHash: designHash('ws', cfg, o.fault),
    ...faultContext(o.fault),
    cfg,
    aAddrWidth: clog2(cfg.aDepth),
    bAddrWidth: clog2(cfg.bDepth),
    accAddrWidth: clog2(cfg.accDepth),
    ports: ports.map((p) => ({ ...p, direction: p.direction === 'input' ? 'input ' : 'output' })),
  };
}

function arrayModules(cfg: WsConfig, o: GenerateOptions): ModuleText[] {
  const ctx = context(cfg, wsArrayPorts(cfg), o);
  return [primitive('af_delay'), designModule('ws', 'ws_pe', ctx), designModule('ws', 'ws_array', ctx)];
}

function params(cfg: WsConfig, withBuffers: boolean): Record<string, number | boolean> {
  const p: Record<string, number | boolean> = {
    Rows: cfg.rows,
    Cols: cfg.cols,
    DataWidth: cfg.dataWidth,
    AccWidth: cfg.accWidth,
    Signed: cfg.signed,
  };
  if (withBuffers) Object.assign(p, { ADepth: cfg.aDepth, BDepth: cfg.bDepth, AccDepth: cfg.accDepth });
  return p;
}

/** The array core alone (top ws_array): R x C PEs, skew and de-skew. */
export function generateWsArray(cfg: WsConfig, o: GenerateOptions = {}): GeneratedDesign {
  return {
    design: 'ws',
    top: 'ws_array',
    configHash: designHash('ws', cfg, o.fault),
    fault: o.fault,
    config: cfg,
    parameters: params(cfg, false),
    ports: wsArrayPorts(cfg),
    modules: arrayModules(cfg, o),
  };
}

/** ws_pkg: targets, CSR numbers and counter indices (designs/ws/interface.ts). */
function wsPackage(ctx: object): string {
  const counters = [...counterNames, 'hostWrites', 'hostReads'];
  const pascal = (n: string) => n[0]!.toUpperCase() + n.slice(1);
  return svRegisterPackage('ws_pkg', renderHeader(ctx).trimEnd(), 2, wsTargets, wsCsrs, [
    `// Counter registers: index i is CSR FirstCounter + i; a start clears the first NumRunCounters.`,
    `localparam int FirstCounter = ${wsCsrs.find((c) => c.name === counterNames[0])!.addr};`,
    `localparam int NumCounters = ${counters.length};`,
    `localparam int NumRunCounters = ${counterNames.length};`,
    ...counters.map((n, i) => `localparam int Cnt${pascal(n)} = ${i};`),
  ]);
}

/** The whole ws design (top ws_engine): buffers, controller, array, accumulators. */
export function generateWs(cfg: WsConfig, o: GenerateOptions = {}): GeneratedDesign {
  const ports = wsEnginePorts(cfg);
  const ctx = context(cfg, ports, o);
  return {
    design: 'ws',
    top: 'ws_engine',
    configHash: designHash('ws', cfg, o.fault),
    fault: o.fault,
    config: cfg,
    parameters: params(cfg, true),
    ports,
    memories: [
      {
        path: 'u_a_buf',
        count: 1,
        width: cfg.rows * cfg.dataWidth,
        depth: cfg.aDepth,
        what: 'A buffer: one row slice of Rows values per word (host target A)',
      },
      {
        path: 'u_b_buf',
        count: 1,
        width: cfg.cols * cfg.dataWidth,
        depth: cfg.bDepth,
        what: 'B buffer: one weight row of Cols values per word (host target B)',
      },
      {
        path: 'u_acc_buf',
        count: 1,
        width: cfg.cols * cfg.accWidth,
        depth: cfg.accDepth,
        what: 'accumulator buffer: one result row of Cols accumulators per word (host target ACC)',
      },
    ],
    modules: [
      { name: 'ws_pkg', text: wsPackage(ctx) },
      primitive('af_sram_1r1w'),
      primitive('af_host_port'),
      ...arrayModules(cfg, o),
      designModule('ws', 'ws_ctrl', ctx),
      designModule('ws', 'ws_acc', ctx),
      designModule('ws', 'ws_engine', ctx),
    ],
  };
}
