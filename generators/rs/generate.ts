import { rsGlb, type RsConfig } from '../../golden/rs/config.js';
import { port, type GeneratedDesign, type MemorySpec, type PortSpec } from '../common/design.js';
import { designModule, primitive } from '../common/render.js';
import { designHash, faultContext, type GenerateOptions } from '../common/fault.js';
import { rsCounterNames, rsDescriptorFields } from '../../golden/rs/contract.js';

export function rsEnginePorts(): PortSpec[] {
  return [
    port('clk_i', 'input', [], '', 'clock'),
    port('rst_ni', 'input', [], '', 'asynchronous reset, active low'),
    port('start_i', 'input', [], '', 'start the layer whose descriptor is at DRAM address 0'),
    port('busy_o', 'output', [], '', 'a layer is running'),
    port('done_o', 'output', [], '', 'the last layer finished and its counters are in DRAM (until the next start)'),
    port(
      'error_o',
      'output',
      [],
      '',
      'with done_o: the descriptor was refused (outside the bounds of the datasheet); nothing computed, no counters (until the next start)',
    ),
    port('dram_rd_valid_o', 'output', [], '', 'DRAM read request this cycle (always accepted)'),
    port('dram_rd_addr_o', 'output', [32], '[31:0] ', 'read word address'),
    port('dram_wr_valid_o', 'output', [], '', 'DRAM write this cycle (always accepted; its own channel)'),
    port('dram_wr_addr_o', 'output', [32], '[31:0] ', 'write word address'),
    port('dram_wr_data_o', 'output', [64], '[63:0] ', 'write data (values sign-extended to 64 bits)'),
    port('dram_rsp_valid_i', 'input', [], '', 'read data of the oldest outstanding read'),
    port('dram_rsp_rdata_i', 'input', [64], '[63:0] ', 'read data'),
  ];
}

/** rs_engine's modules below rs_pkg and the shared ones, leaves first (rs_engine last: the top). */
const rsModules = [
  'rs_pe',
  'rs_loaded',
  'rs_desc_check',
  'rs_ids',
  'rs_seq',
  'rs_loader',
  'rs_cols',
  'rs_array',
  'rs_glb',
  'rs_writeback',
  'rs_dram_arb',
  'rs_counters',
  'rs_engine',
];

/** rs_pkg's name of a counter's index: cycles -> CntCycles. */
export const counterParam = (name: string) => `Cnt${name[0]!.toUpperCase()}${name.slice(1)}`;

/**
 * Template helper: `{{descWires "desc_i" "V q S"}}` declares d_V, d_q, d_S as
 * the descriptor fields of the flat vector desc_i (indices from rs_pkg);
 * "all" declares every field. A name that is not a field is an error.
 */
function descWires(vec: string, names: string): string {
  const list = names === 'all' ? [...rsDescriptorFields] : names.split(/\s+/).filter(Boolean);
  const wires = list.map((n) => {
    if (!(rsDescriptorFields as readonly string[]).includes(n))
      throw new Error(`descWires: '${n}' is not a descriptor field (rsDescriptorFields)`);
    return `  logic [31:0] d_${n};\n  assign d_${n} = ${vec}[32*rs_pkg::Desc${n} +: 32];`;
  });
  // A module reads some fields of the whole descriptor; the others are not its business.
  if (names !== 'all')
    wires.push(`  logic unused_desc;  // the fields this module does not read\n  assign unused_desc = ^${vec};`);
  return wires.join('\n');
}

/**
 * Template helper: `{{narrowWires "desc_i" "V q"}}` declares nr_V, nr_q: the
 * fields cut to 9 bits. Any descriptor rs_desc_check accepts has V, Rg <=
 * PeRows, w, Hs <= PeCols, q, S <= IfmapSpad, p <= PsumSpad (all at most 256)
 * and U <= 64, and the engine runs no other: products of these need no 32-bit
 * multiplier.
 */
function narrowWires(vec: string, names: string): string {
  const narrow = ['V', 'Rg', 'w', 'Hs', 'q', 'S', 'p', 'U'];
  return names
    .split(/\s+/)
    .filter(Boolean)
    .map((n) => {
      if (!narrow.includes(n)) throw new Error(`narrowWires: '${n}' is not one of ${narrow.join(', ')}`);
      return `  logic [8:0] nr_${n};  // at most 256 when the descriptor was accepted\n  assign nr_${n} = 9'(${vec}[32*rs_pkg::Desc${n} +: 32]);`;
    })
    .join('\n');
}

export function generateRs(cfg: RsConfig, o: GenerateOptions = {}): GeneratedDesign {
  const glb = rsGlb(cfg);
  const hash = designHash('rs', cfg, o.fault);
  const ctx = {
    design: 'rs',
    configHash: hash,
    ...faultContext(o.fault, o.faultHooks),
    cfg,
    ifmapLines: glb.ifmapLines,
    psumWords: glb.psumWordsPerCol,
    numDesc: rsDescriptorFields.length,
    numCounters: rsCounterNames.length,
    descFields: rsDescriptorFields.map((name, index) => ({ name, index })),
    counterFields: rsCounterNames.map((name, index) => ({ param: counterParam(name), index })),
    ports: rsEnginePorts(),
  };
  const tpl = (name: string) => designModule('rs', name, ctx, { helpers: { descWires, narrowWires } }).text;
  return {
    design: 'rs',
    top: 'rs_engine',
    configHash: hash,
    fault: o.fault,
    config: cfg,
    parameters: {
      PeRows: cfg.peRows,
      PeCols: cfg.peCols,
      DataWidth: cfg.dataWidth,
      AccWidth: cfg.accWidth,
      IfmapSpad: cfg.ifmapSpad,
      FilterSpad: cfg.filterSpad,
      PsumSpad: cfg.psumSpad,
      IfmapLines: glb.ifmapLines,
      PsumWords: glb.psumWordsPerCol,
    },
    ports: rsEnginePorts(),
    memories: [
      {
        path: 'u_glb.u_glb_ifmap',
        count: 1,
        width: 4 * cfg.dataWidth,
        depth: glb.ifmapLines,
        what: 'global buffer, ifmap bank: four values per line',
      },
      {
        path: 'u_glb.gen_bank[*].gen_half[*].u_glb_psum',
        count: 2 * cfg.peCols,
        width: cfg.accWidth,
        depth: Math.floor(glb.psumWordsPerCol / 2),
        what: 'global buffer, psum banks: two per PE column (filter group parity)',
      },
      {
        path: 'u_array.gen_row[*].gen_col[*].u_pe.gen_fbank[*].u_flt',
        count: 4 * cfg.peRows * cfg.peCols,
        width: cfg.dataWidth,
        depth: Math.ceil(cfg.filterSpad / 4),
        what: 'PE filter scratchpad, four banks (entry a in bank a mod 4, row a / 4): a filter bus word writes up to four taps at once',
      },
      {
        path: 'u_wb.u_bias',
        count: 1,
        width: cfg.accWidth + (cfg.requant ? 32 : 0),
        depth: 2 * cfg.peCols * cfg.psumSpad,
        what: `biases${cfg.requant ? " (and the output stage's scales above them)" : ''} of the filter group being written back and of the next one (entry half x PeCols x PsumSpad + h p + k)`,
      },
      ...rsRegisterFiles(cfg),
    ],
    modules: [
      { name: 'rs_pkg', text: tpl('rs_pkg') },
      primitive('af_fifo', ctx),
      primitive('af_sram_1r1w', ctx),
      primitive('af_odometer', ctx),
      ...(cfg.requant ? [primitive('af_requant', ctx)] : []),
      ...rsModules.map((name) => ({ name, text: tpl(name) })),
    ],
  };
}

/** The storage rs keeps in flip-flops, and why (the Eyeriss chip's spads for the ifmap and psums are register files too). */
function rsRegisterFiles(cfg: RsConfig): MemorySpec[] {
  const pes = cfg.peRows * cfg.peCols;
  const pe = 'u_array.gen_row[*].gen_col[*].u_pe';
  return [
    {
      kind: 'register file',
      module: 'rs_pe',
      path: `${pe}.win_q`,
      count: pes,
      width: cfg.dataWidth,
      depth: cfg.ifmapSpad,
      what: 'PE ifmap scratchpad (sliding windows)',
      why: 'written by the ifmap bus and read by the MAC step in the same cycle; Eyeriss: 12 x 16 b register file',
    },
    {
      kind: 'register file',
      module: 'rs_pe',
      path: `${pe}.psum_q`,
      count: pes,
      width: cfg.accWidth,
      depth: cfg.psumSpad,
      what: 'PE psum scratchpad',
      why: 'two reads (the MAC step, the psum chain) and one write per cycle; Eyeriss: 24 x 16 b register file',
    },
    {
      kind: 'register file',
      module: 'af_fifo',
      path: 'u_dram_arb.u_tags.mem_q',
      count: 1,
      width: 51, // rs_pkg::TagWidth
      depth: 16,
      what: 'tags of the DRAM reads in flight',
      why: 'a 16-entry FIFO written and read in the same cycle',
    },
  ];
}
