// The systolic family's generator: config -> the RTL of a ws or os engine
// (top <design>_engine) or of its array alone (<design>_array), from the
// family's templates (rtl/gemm/) with the dataflow as a parameter, and the
// register package from the one interface description.
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import { counterNames, gemmCsrs, gemmTargets } from '../../golden/gemm/interface.js';
import {
  clog2,
  hostPorts,
  port,
  type BuildHints,
  type GeneratedDesign,
  type ModuleText,
  type PortSpec,
} from '../common/design.js';
import { designModule, primitive, renderHeader } from '../common/render.js';
import { svRegisterPackage } from '../common/csr.js';
import { designHash, faultContext, type GenerateOptions } from '../common/fault.js';
import { outParams, outPorts, portLines, seqParams, seqPorts } from './unit-ports.js';

/** The Dataflow parameter of the RTL: 0 ws, 1 os, 2 both. */
export const dataflowCode = (cfg: Pick<GemmConfig, 'dataflow'>) => ({ ws: 0, os: 1, both: 2 })[cfg.dataflow];
const hasOs = (cfg: GemmConfig) => cfg.dataflow !== 'ws';
const hasWs = (cfg: GemmConfig) => cfg.dataflow !== 'os';

/**
 * The PE tile of the array's mesh (a Verilator hierarchy block in large
 * builds): at most TILE x TILE PEs, the whole array when it is smaller.
 */
export const GEMM_TILE = 16;
export function gemmTile(cfg: Pick<GemmConfig, 'rows' | 'cols'>): { rows: number; cols: number } {
  return { rows: Math.min(cfg.rows, GEMM_TILE), cols: Math.min(cfg.cols, GEMM_TILE) };
}

/**
 * Hierarchical verilation once the array has more than one tile: each
 * distinct tile is verilated once and instantiated many times (64 x 64: 110 s
 * cold instead of a flat build that exceeded 22 GB; docs/benchmarks.md "Scale").
 */
export const gemmHierarchical = (cfg: Pick<GemmConfig, 'rows' | 'cols'>) =>
  cfg.rows > GEMM_TILE || cfg.cols > GEMM_TILE;

/** The distinct tiles of the mesh (as gemm_array instantiates them): full, edge and corner, and the faulty one. */
export function gemmTileParams(cfg: Pick<GemmConfig, 'rows' | 'cols'>, o: GenerateOptions): Record<string, number>[] {
  const t = gemmTile(cfg);
  const seen = new Map<string, Record<string, number>>();
  for (let r0 = 0; r0 < cfg.rows; r0 += t.rows) {
    for (let c0 = 0; c0 < cfg.cols; c0 += t.cols) {
      const tr = Math.min(t.rows, cfg.rows - r0),
        tc = Math.min(t.cols, cfg.cols - c0);
      const [fr, fc] = o.fault ? [o.fault.pe[0]!, o.fault.pe[1]!] : [-1, -1];
      const here = fr >= r0 && fr < r0 + tr && fc >= c0 && fc < c0 + tc;
      const p: Record<string, number> = { TileRows: tr, TileCols: tc };
      if (here) Object.assign(p, { FaultRow: fr - r0, FaultCol: fc - c0, FaultBit: o.fault!.bit });
      seen.set(JSON.stringify(p), p);
    }
  }
  return [...seen.values()];
}

function buildHints(design: Dataflow, cfg: GemmConfig, ctx: object, o: GenerateOptions): BuildHints {
  if (!gemmHierarchical(cfg)) return { hierarchical: false };
  const stub = designModule('gemm', 'gemm_tile', { ...ctx, stub: true }, { name: `${design}_tile` }).text;
  return { hierarchical: true, blocks: [{ module: `${design}_tile`, stub, params: gemmTileParams(cfg, o) }] };
}

/** Bits of a CSR number (the highest CSR's). */
const csrAddrWidth = clog2(Math.max(...gemmCsrs.map((c) => c.addr)) + 1);

/** Widths of the engine's host port. */
export function gemmHostWidths(cfg: GemmConfig): { addr: number; data: number } {
  return {
    addr: Math.max(clog2(cfg.aDepth), clog2(cfg.bDepth), clog2(cfg.accDepth), csrAddrWidth),
    data: Math.max(cfg.rows * cfg.dataWidth, cfg.cols * cfg.dataWidth, cfg.cols * cfg.accWidth, 64),
  };
}

/** The ports of the array core <design>_array; its template renders its port list from this. */
export function gemmArrayPorts(cfg: GemmConfig): PortSpec[] {
  const { rows: R, cols: C, dataWidth: DW, accWidth: AW } = cfg;
  const tag = hasOs(cfg) ? 2 : 1;
  const st = Math.ceil(Math.log2(R * C + 1));
  return [
    port('clk_i', 'input', [], '', 'clock'),
    port('rst_ni', 'input', [], '', 'asynchronous reset, active low'),
    port('os_i', 'input', [], '', 'the run is output stationary (an array of dataflow both; else ignored)'),
    port('w_load_i', 'input', [], '', 'ws: load b_data_i as the weights of PE row w_row_i'),
    port('w_row_i', 'input', [clog2(R)], '[RowIdxWidth-1:0] ', 'ws: PE row to load'),
    port('w_bank_i', 'input', [], '', 'ws: weight bank (0/1) the load writes'),
    port(
      'b_data_i',
      'input',
      [C, DW],
      '[Cols*DataWidth-1:0] ',
      'ws: one weight per column; os: a row of B entering the column tops (column c at bits c*DataWidth +: DataWidth)',
    ),
    port('a_valid_i', 'input', [], '', 'a_data_i carries a row (ws) or a step (os) this cycle'),
    port(
      'a_tag_i',
      'input',
      [tag],
      '[TagWidth-1:0] ',
      'ws: bit 0 the weight bank the row multiplies with; os: bit 0 the first step of a tile, bit 1 the last',
    ),
    port(
      'a_data_i',
      'input',
      [R, DW],
      '[Rows*DataWidth-1:0] ',
      'ws: an A row slice (K side); os: an A column slice (M side); unskewed (row r at bits r*DataWidth +: DataWidth)',
    ),
    port(
      'psum_i',
      'input',
      [C, AW],
      '[Cols*AccWidth-1:0] ',
      'ws: partial sums entering the column tops with the row (column c at bits c*AccWidth +: AccWidth)',
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
    port('st_steps_o', 'output', [st], '[StWidth-1:0] ', 'PEs taking a step this cycle: for the counters'),
    port(
      'st_firsts_o',
      'output',
      [st],
      '[StWidth-1:0] ',
      'os: ... the first of their tile (the sum register is not read)',
    ),
    port('st_chain_o', 'output', [st], '[StWidth-1:0] ', 'os: result slots holding a sum, below row 0'),
    port('st_col0_o', 'output', [st], '[StWidth-1:0] ', 'steps in PE column 0'),
    port('st_row0_o', 'output', [st], '[StWidth-1:0] ', 'steps in PE row 0'),
    port('st_wload_o', 'output', [R], '[Rows-1:0] ', 'ws: PE row r loads a weight'),
  ];
}

/** The ports of the engine (the design's top): the host port every engine has. */
export function gemmEnginePorts(cfg: GemmConfig): PortSpec[] {
  const h = gemmHostWidths(cfg);
  return hostPorts(
    h.addr,
    h.data,
    2,
    'target: 0 CSR, 1 A buffer, 2 B buffer, 3 accumulator buffer',
    'a GEMM is running',
    'CSR number or buffer row',
  );
}

function context(design: Dataflow, cfg: GemmConfig, ports: PortSpec[], o: GenerateOptions) {
  return {
    design,
    p: design,
    configHash: designHash(design, cfg, o.fault),
    ...faultContext(o.fault, o.faultHooks),
    cfg,
    dataflowCode: dataflowCode(cfg),
    tileRows: gemmTile(cfg).rows,
    tileCols: gemmTile(cfg).cols,
    aAddrWidth: clog2(cfg.aDepth),
    bAddrWidth: clog2(cfg.bDepth),
    accAddrWidth: clog2(cfg.accDepth),
    csrAddrWidth,
    ports: portLines(ports),
    seqParams: seqParams(cfg),
    seqPorts: portLines(seqPorts(cfg)),
    outParams: outParams(cfg),
    outPorts: portLines(outPorts(cfg)),
  };
}

function params(cfg: GemmConfig, withBuffers: boolean): Record<string, number | boolean> {
  const p: Record<string, number | boolean> = {
    Rows: cfg.rows,
    Cols: cfg.cols,
    DataWidth: cfg.dataWidth,
    AccWidth: cfg.accWidth,
    Signed: cfg.signed,
  };
  if (withBuffers) Object.assign(p, { ADepth: cfg.aDepth, BDepth: cfg.bDepth, AccDepth: cfg.accDepth });
  Object.assign(p, { Dataflow: dataflowCode(cfg) });
  if (withBuffers && cfg.quantDepth > 0) p.QuantDepth = cfg.quantDepth;
  return p;
}

/** The array and its PEs, rendered with the array's own port list. */
function arrayModules(design: Dataflow, cfg: GemmConfig, o: GenerateOptions): ModuleText[] {
  const ctx = context(design, cfg, gemmArrayPorts(cfg), o);
  return [
    primitive('af_delay', ctx),
    designModule('gemm', 'gemm_pe', ctx, { name: `${design}_pe` }),
    designModule('gemm', 'gemm_tile', ctx, { name: `${design}_tile` }),
    designModule('gemm', 'gemm_array', ctx, { name: `${design}_array` }),
  ];
}

/** The array core alone (top <design>_array): R x C PEs, skew and de-skew. */
export function generateGemmArray(design: Dataflow, cfg: GemmConfig, o: GenerateOptions = {}): GeneratedDesign {
  const ports = gemmArrayPorts(cfg);
  return {
    design,
    top: `${design}_array`,
    configHash: designHash(design, cfg, o.fault),
    fault: o.fault,
    config: cfg,
    parameters: params(cfg, false),
    ports,
    modules: arrayModules(design, cfg, o),
    build: buildHints(design, cfg, context(design, cfg, ports, o), o),
  };
}

/** <design>_pkg: targets, CSR numbers and counter indices (golden/gemm/interface.ts). */
function gemmPackage(design: Dataflow, ctx: object): string {
  const counters = [...counterNames, 'hostWrites', 'hostReads'];
  const pascal = (n: string) => n[0]!.toUpperCase() + n.slice(1);
  return svRegisterPackage(`${design}_pkg`, renderHeader(ctx).trimEnd(), 2, gemmTargets, gemmCsrs, [
    `// Counter registers: index i is CSR FirstCounter + i; a start clears the first NumRunCounters.`,
    `localparam int FirstCounter = ${gemmCsrs.find((c) => c.name === counterNames[0])!.addr};`,
    `localparam int NumCounters = ${counters.length};`,
    `localparam int NumRunCounters = ${counterNames.length};`,
    ...counters.map((n, i) => `localparam int Cnt${pascal(n)} = ${i};`),
  ]);
}

/** The whole engine (top <design>_engine): buffers, controller, array, output unit, counters. */
export function generateGemm(design: Dataflow, cfg: GemmConfig, o: GenerateOptions = {}): GeneratedDesign {
  const ports = gemmEnginePorts(cfg);
  const ctx = context(design, cfg, ports, o);
  const m = (tpl: string, suffix: string) => designModule('gemm', tpl, ctx, { name: `${design}_${suffix}` });
  const sa = cfg.rows * cfg.dataWidth,
    sb = cfg.cols * cfg.dataWidth,
    sacc = cfg.cols * cfg.accWidth;
  return {
    design,
    top: `${design}_engine`,
    configHash: designHash(design, cfg, o.fault),
    fault: o.fault,
    config: cfg,
    parameters: params(cfg, true),
    ports,
    build: buildHints(design, cfg, ctx, o),
    memories: [
      hasOs(cfg)
        ? {
            path: 'gen_a_banks.gen_bank[*].u_a_bank',
            count: 2,
            width: sa,
            depth: Math.ceil(cfg.aDepth / 2),
            what: 'A buffer in two banks, even and odd rows (an os convolution step reads two consecutive rows): Rows A values per word, a row slice along K (ws) or a column slice along M (os) (host target A)',
          }
        : {
            path: 'u_a_buf',
            count: 1,
            width: sa,
            depth: cfg.aDepth,
            what: 'A buffer: Rows A values per word, a row slice along K (ws) (host target A)',
          },
      {
        path: 'u_b_buf',
        count: 1,
        width: sb,
        depth: cfg.bDepth,
        what: 'B buffer: Cols B values per word, a weight row (ws) or a row of a tile column group (os) (host target B)',
      },
      {
        path: 'u_acc_buf',
        count: 1,
        width: sacc,
        depth: cfg.accDepth,
        what: 'accumulator buffer: one result row of Cols accumulators per word (host target ACC)',
      },
      ...(cfg.quantDepth > 0
        ? [
            {
              path: 'u_requant.u_tab',
              count: 1,
              width: 64,
              depth: cfg.quantDepth,
              what: 'output-stage table: per output column its float32 scale and int32 offset (CSR quantData)',
            },
          ]
        : []),
    ],
    modules: [
      { name: `${design}_pkg`, text: gemmPackage(design, ctx) },
      primitive('af_sram_1r1w', ctx),
      primitive('af_host_port', ctx),
      ...arrayModules(design, cfg, o),
      ...(hasWs(cfg) ? [m('gemm_convaddr', 'convaddr'), m('ws_seq', 'wsseq'), m('ws_out', 'wsout')] : []),
      ...(hasOs(cfg)
        ? [m('os_convaddr', 'osconvaddr'), m('os_seq', 'osseq'), m('os_convfeed', 'osconvfeed'), m('os_out', 'osout')]
        : []),
      m('gemm_ctrl', 'ctrl'),
      m('gemm_out', 'out'),
      ...(cfg.quantDepth > 0 ? [primitive('af_requant', ctx), m('gemm_requant', 'requant')] : []),
      m('gemm_counters', 'counters'),
      m('gemm_csr', 'csr'),
      m('gemm_engine', 'engine'),
    ],
  };
}
