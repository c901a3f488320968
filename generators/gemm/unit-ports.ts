// The interfaces the systolic family's units share, written once: the issue
// side (the controller shell and each dataflow's sequencer) and the output
// side (the output shell and each dataflow's output unit) take the same
// parameters and ports; their templates render these lists and add their own.
import type { GemmConfig } from '../../golden/gemm/config.js';
import { clog2, port, type PortSpec } from '../common/design.js';

export interface ParamLine {
  type: string;
  name: string;
  value: string;
}

const common = (): PortSpec[] => [
  port('clk_i', 'input', [], '', 'clock'),
  port('rst_ni', 'input', [], '', 'asynchronous reset, active low'),
  port('start_i', 'input', [], '', 'a run starts (its CSRs are valid)'),
  port('m_i', 'input', [32], '[31:0] ', 'M'),
  port('n_i', 'input', [32], '[31:0] ', 'N'),
  port('k_i', 'input', [32], '[31:0] ', 'K'),
];

/** Parameters of the issue side. */
export const seqParams = (cfg: GemmConfig): ParamLine[] => [
  { type: 'int', name: 'Rows', value: String(cfg.rows) },
  { type: 'int', name: 'Cols', value: String(cfg.cols) },
  { type: 'int', name: 'AAddrWidth', value: String(clog2(cfg.aDepth)) },
  { type: 'int', name: 'BAddrWidth', value: String(clog2(cfg.bDepth)) },
];

/** Ports of the issue side: the run, the buffer bases, the A and B buffer read ports. */
export const seqPorts = (cfg: GemmConfig): PortSpec[] => [
  ...common(),
  port('a_base_i', 'input', [clog2(cfg.aDepth)], '[AAddrWidth-1:0] ', "A buffer row of the run's first"),
  port('b_base_i', 'input', [clog2(cfg.bDepth)], '[BAddrWidth-1:0] ', "B buffer row of the run's first"),
  port('a_re_o', 'output', [], '', 'A buffer read'),
  port('a_raddr_o', 'output', [clog2(cfg.aDepth)], '[AAddrWidth-1:0] ', 'A buffer read row'),
  port('b_re_o', 'output', [], '', 'B buffer read'),
  port('b_raddr_o', 'output', [clog2(cfg.bDepth)], '[BAddrWidth-1:0] ', 'B buffer read row'),
];

/** Parameters of the output side. */
export const outParams = (cfg: GemmConfig): ParamLine[] => [
  { type: 'int', name: 'Rows', value: String(cfg.rows) },
  { type: 'int', name: 'Cols', value: String(cfg.cols) },
  { type: 'int', name: 'AccWidth', value: String(cfg.accWidth) },
  { type: 'bit', name: 'Signed', value: cfg.signed ? "1'b1" : "1'b0" },
  { type: 'int', name: 'AccAddrWidth', value: String(clog2(cfg.accDepth)) },
];

/** Ports of the output side: the run, result rows from the array, the accumulator buffer's ports, the run's last write. */
export const outPorts = (cfg: GemmConfig): PortSpec[] => {
  const C = cfg.cols,
    AW = cfg.accWidth,
    A = clog2(cfg.accDepth);
  return [
    ...common(),
    port('acc_base_i', 'input', [A], '[AccAddrWidth-1:0] ', "accumulator row of C's first row"),
    port('relu_i', 'input', [], '', 'clamp the final values at zero'),
    port('accumulate_i', 'input', [], '', 'add onto what the accumulator buffer holds (D, or an earlier K pass)'),
    port('c_valid_i', 'input', [], '', 'a result row from the array'),
    port('c_data_i', 'input', [C, AW], '[Cols*AccWidth-1:0] ', 'the result row'),
    port('acc_re_o', 'output', [], '', 'accumulator buffer read'),
    port('acc_raddr_o', 'output', [A], '[AccAddrWidth-1:0] ', 'accumulator read row'),
    port('acc_rdata_i', 'input', [C, AW], '[Cols*AccWidth-1:0] ', 'accumulator read data (a cycle after the read)'),
    port('acc_we_o', 'output', [], '', 'accumulator buffer write'),
    port('acc_waddr_o', 'output', [A], '[AccAddrWidth-1:0] ', 'accumulator write row'),
    port('acc_wdata_o', 'output', [C, AW], '[Cols*AccWidth-1:0] ', 'accumulator write data'),
    port('final_write_o', 'output', [], '', "the run's last row is written this cycle"),
  ];
};

/** A port list as the templates declare it (each line ends in a comma: the module's own ports follow). */
export const portLines = (ports: PortSpec[]) =>
  ports.map((p) => ({ ...p, direction: p.direction === 'input' ? 'input ' : 'output' }));
