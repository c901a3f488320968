import type { EieConfig } from '../../golden/eie/config.js';
import { clog2, hostPorts, type GeneratedDesign, type MemorySpec, type PortSpec } from '../common/design.js';
import { designModule, primitive, renderHeader } from '../common/render.js';
import { svRegisterPackage } from '../common/csr.js';
import {
  eieCsrs,
  eieLayerCsrs,
  eieTargets,
  layerBase,
  layerStride,
  peCounterNames,
} from '../../golden/eie/interface.js';
import { designHash, faultContext, type GenerateOptions } from '../common/fault.js';

/** Derived widths shared by the templates, the host side and the docs. */
export function eieWidths(cfg: EieConfig) {
  const entry = cfg.indexBits + cfg.codebookBits;
  const line = cfg.entriesPerLine * entry;
  const ptrAddr = clog2(cfg.ptrDepth);
  const matAddr = clog2(cfg.matDepth);
  const row = clog2(cfg.rowsPerPe);
  const pe = clog2(cfg.pes);
  const layer = clog2(cfg.maxLayers);
  const local = Math.max(ptrAddr + 1, matAddr, clog2(cfg.maxLayers * cfg.rowsPerPe), row, layer + cfg.codebookBits, 4);
  return {
    entry,
    line,
    ptrAddr,
    matAddr,
    row,
    pe,
    local,
    col: clog2(cfg.pes * cfg.rowsPerPe),
    // Pointers are entry addresses up to and including matDepth * entriesPerLine.
    ptr: clog2(cfg.matDepth * cfg.entriesPerLine + 1),
    hostAddr: Math.max(pe + local, 7),
    hostData: Math.max(64, line),
  };
}

export function eieEnginePorts(cfg: EieConfig): PortSpec[] {
  const w = eieWidths(cfg);
  return hostPorts(
    w.hostAddr,
    w.hostData,
    3,
    'target: 0 CSR, 1 pointers, 2 matrix, 3 bias, 4 codebook, 5 activations, 6 counters',
    'layers are running',
  );
}

/** eie_pkg: targets, CSR numbers, the per-layer CSR block and the per-PE counters (golden/eie/interface.ts). */
function eiePackage(ctx: object): string {
  const pascal = (n: string) => n[0]!.toUpperCase() + n.slice(1);
  return svRegisterPackage('eie_pkg', renderHeader(ctx).trimEnd(), 3, eieTargets, eieCsrs, [
    `// Layer l's CSRs: LayerBase + LayerStride l + Layer<Name>.`,
    `localparam int LayerBase = ${layerBase};`,
    `localparam int LayerStride = ${layerStride};`,
    ...eieLayerCsrs.map((c) => `localparam int Layer${pascal(c.name)} = ${c.addr};  // ${c.access}: ${c.doc}`),
    `// Per-PE counters (target cnt, local address i).`,
    `localparam int NumPeCounters = ${peCounterNames.length};`,
    ...peCounterNames.map((n, i) => `localparam int PeCnt${pascal(n)} = ${i};`),
  ]);
}

export function generateEie(cfg: EieConfig, o: GenerateOptions = {}): GeneratedDesign {
  const w = eieWidths(cfg);
  const ports = eieEnginePorts(cfg);
  const ctx = {
    design: 'eie',
    configHash: designHash('eie', cfg, o.fault),
    ...faultContext(o.fault, o.faultHooks),
    cfg,
    ports: ports.map((p) => ({ ...p, direction: p.direction === 'input' ? 'input ' : 'output' })),
  };
  return {
    design: 'eie',
    top: 'eie_engine',
    configHash: designHash('eie', cfg, o.fault),
    fault: o.fault,
    config: cfg,
    parameters: {
      Pes: cfg.pes,
      FifoDepth: cfg.fifoDepth,
      RowsPerPe: cfg.rowsPerPe,
      AccWidth: cfg.accWidth,
      IndexBits: cfg.indexBits,
      CodebookBits: cfg.codebookBits,
      EntriesPerLine: cfg.entriesPerLine,
      PtrDepth: cfg.ptrDepth,
      MatDepth: cfg.matDepth,
      MaxLayers: cfg.maxLayers,
    },
    ports,
    memories: [
      {
        path: 'gen_pe[*].u_pe.u_ptr_even',
        count: cfg.pes,
        width: w.ptr,
        depth: cfg.ptrDepth,
        what: 'column pointers p[j] of even j (word ptrBase + j / 2)',
      },
      {
        path: 'gen_pe[*].u_pe.u_ptr_odd',
        count: cfg.pes,
        width: w.ptr,
        depth: cfg.ptrDepth,
        what: 'column pointers p[j] of odd j',
      },
      {
        path: 'gen_pe[*].u_pe.u_mat',
        count: cfg.pes,
        width: cfg.entriesPerLine * (cfg.codebookBits + cfg.indexBits),
        depth: cfg.matDepth,
        what: `sparse matrix entries, ${cfg.entriesPerLine} (v, z) per line`,
      },
      {
        path: 'gen_pe[*].u_pe.u_bias',
        count: cfg.pes,
        width: 16,
        depth: cfg.maxLayers * cfg.rowsPerPe,
        what: 'biases, one per layer and local row',
      },
      ...eieRegisterFiles(cfg),
    ],
    modules: [
      { name: 'eie_pkg', text: eiePackage(ctx) },
      primitive('af_sram_1r1w', ctx),
      primitive('af_host_port', ctx),
      primitive('af_fifo', ctx),
      ...['eie_actfile', 'eie_arith', 'eie_pe', 'eie_lnzd'].map((name) => designModule('eie', name, ctx)),
      designModule('eie', 'eie_engine', ctx),
    ],
  };
}

/** The storage eie keeps in flip-flops, and why (EIE's activation registers and codebook are register files too). */
function eieRegisterFiles(cfg: EieConfig): MemorySpec[] {
  const pe = 'gen_pe[*].u_pe';
  const act = (half: 0 | 1): MemorySpec => ({
    kind: 'register file',
    module: 'eie_actfile',
    path: `${pe}.u_actfile.rf${half}_q`,
    count: cfg.pes,
    width: cfg.accWidth,
    depth: cfg.rowsPerPe,
    what: `activation register file ${half} (source and destination swap each layer)`,
    why: 'read by the arithmetic unit and the output read-back and written by both in one cycle; EIE: 64-entry register files',
  });
  return [
    act(0),
    act(1),
    {
      kind: 'register file',
      module: 'eie_pe',
      path: `${pe}.cb_q`,
      count: cfg.pes,
      width: 16,
      depth: 1 << (clog2(cfg.maxLayers) + cfg.codebookBits),
      what: 'codebooks (shared weights), one per layer',
      why: 'looked up in the cycle the weight index arrives; EIE: a 16-entry register per PE',
    },
    {
      kind: 'register file',
      module: 'af_fifo',
      path: `${pe}.u_queue.mem_q`,
      count: cfg.pes,
      width: 16 + clog2(cfg.pes * cfg.rowsPerPe),
      depth: cfg.fifoDepth,
      what: 'activation queue (value, column)',
      why: 'a FIFO written by the broadcast and read by the PE in the same cycle; EIE: 8-entry queue',
    },
  ];
}
