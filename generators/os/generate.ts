// The os generator: os_engine (top) and its modules from the templates, with
// os_pkg (targets, CSRs, counter indices) from interface.ts.
import type { OsConfig } from '../../golden/os/config.js';
import { hostPorts, type GeneratedDesign, type PortSpec } from '../common/design.js';
import { designModule, primitive, renderHeader } from '../common/render.js';
import { svRegisterPackage } from '../common/csr.js';
import { designHash, faultContext, type GenerateOptions } from '../common/fault.js';
import { osCounterNames, osCsrs, osTargets } from '../../golden/os/interface.js';

const clog2 = (n: number) => (n > 1 ? Math.ceil(Math.log2(n)) : 1);

/** Host-port widths (os_engine derives the same in SV). */
export function osHostWidths(cfg: OsConfig): { addr: number; data: number } {
  return {
    addr: Math.max(clog2(cfg.aDepth), clog2(cfg.bDepth), clog2(cfg.accDepth), 5),
    data: Math.max(cfg.rows * cfg.dataWidth, cfg.cols * cfg.dataWidth, cfg.cols * cfg.accWidth, 64),
  };
}

export function osEnginePorts(cfg: OsConfig): PortSpec[] {
  const h = osHostWidths(cfg);
  return hostPorts(
    h.addr,
    h.data,
    2,
    'target: 0 CSR, 1 A buffer, 2 B buffer, 3 accumulator buffer',
    'a GEMM is running',
  );
}

function osPackage(ctx: object): string {
  const counters = [...osCounterNames, 'hostWrites', 'hostReads'];
  const pascal = (n: string) => n[0]!.toUpperCase() + n.slice(1);
  return svRegisterPackage('os_pkg', renderHeader(ctx).trimEnd(), 2, osTargets, osCsrs, [
    `// Counter registers: index i is CSR FirstCounter + i; a start clears the first NumRunCounters.`,
    `localparam int FirstCounter = ${osCsrs.find((c) => c.name === osCounterNames[0])!.addr};`,
    `localparam int NumCounters = ${counters.length};`,
    `localparam int NumRunCounters = ${osCounterNames.length};`,
    ...counters.map((n, i) => `localparam int Cnt${pascal(n)} = ${i};`),
  ]);
}

/** The whole os design (top os_engine). */
export function generateOs(cfg: OsConfig, o: GenerateOptions = {}): GeneratedDesign {
  const ports = osEnginePorts(cfg);
  const hash = designHash('os', cfg, o.fault);
  const ctx = {
    design: 'os',
    configHash: hash,
    ...faultContext(o.fault),
    cfg,
    aAddrWidth: clog2(cfg.aDepth),
    bAddrWidth: clog2(cfg.bDepth),
    accAddrWidth: clog2(cfg.accDepth),
    ports: ports.map((p) => ({ ...p, direction: p.direction === 'input' ? 'input ' : 'output' })),
  };
  const tpl = (name: string) => designModule('os', name, ctx);
  return {
    design: 'os',
    top: 'os_engine',
    configHash: hash,
    fault: o.fault,
    config: cfg,
    parameters: {
      Rows: cfg.rows,
      Cols: cfg.cols,
      DataWidth: cfg.dataWidth,
      AccWidth: cfg.accWidth,
      Signed: cfg.signed,
      ADepth: cfg.aDepth,
      BDepth: cfg.bDepth,
      AccDepth: cfg.accDepth,
    },
    ports,
    memories: [
      {
        path: 'u_a_buf',
        count: 1,
        width: cfg.rows * cfg.dataWidth,
        depth: cfg.aDepth,
        what: "A buffer: a column of a tile's Rows A values per word (host target A)",
      },
      {
        path: 'u_b_buf',
        count: 1,
        width: cfg.cols * cfg.dataWidth,
        depth: cfg.bDepth,
        what: "B buffer: a row of a tile's Cols B values per word (host target B)",
      },
      {
        path: 'u_acc_buf',
        count: 1,
        width: cfg.cols * cfg.accWidth,
        depth: cfg.accDepth,
        what: 'accumulator buffer: one result row of Cols values per word (host target ACC)',
      },
    ],
    modules: [
      { name: 'os_pkg', text: osPackage(ctx) },
      primitive('af_sram_1r1w'),
      primitive('af_host_port'),
      primitive('af_delay'),
      ...['os_pe', 'os_array', 'os_ctrl', 'os_out', 'os_engine'].map(tpl),
    ],
  };
}
