import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WsConfig } from '../config/ws.js';
import { port, type GeneratedDesign, type PortSpec } from '../design.js';
import { configHash, renderTemplate } from '../render.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export function wsRowIdxWidth(cfg: WsConfig): number {
  return cfg.rows > 1 ? Math.ceil(Math.log2(cfg.rows)) : 1;
}

/** The ports of ws_array; the template renders its port list from this. */
export function wsPorts(cfg: WsConfig): PortSpec[] {
  const { rows: R, cols: C, dataWidth: DW, accWidth: AW } = cfg;
  return [
    port('clk_i', 'input', [], '', 'clock'),
    port('rst_ni', 'input', [], '', 'asynchronous reset, active low'),
    port('w_load_i', 'input', [], '', 'load w_data_i into the PEs of row w_row_i'),
    port('w_row_i', 'input', [wsRowIdxWidth(cfg)], '[RowIdxWidth-1:0] ', 'PE row to load'),
    port('w_data_i', 'input', [C, DW], '[Cols-1:0][DataWidth-1:0] ', 'one weight per column'),
    port('a_valid_i', 'input', [], '', 'a_data_i and psum_i carry a row this cycle'),
    port('a_data_i', 'input', [R, DW], '[Rows-1:0][DataWidth-1:0] ', 'one A row slice (K side), unskewed'),
    port('psum_i', 'input', [C, AW], '[Cols-1:0][AccWidth-1:0] ', 'partial sums entering the column tops'),
    port('relu_i', 'input', [], '', 'clamp negative results to zero on output'),
    port('c_valid_o', 'output', [], '', 'c_data_o carries a result row'),
    port('c_data_o', 'output', [C, AW], '[Cols-1:0][AccWidth-1:0] ', 'result row, de-skewed'),
  ];
}

export function generateWs(cfg: WsConfig): GeneratedDesign {
  const hash = configHash('ws', cfg);
  const ports = wsPorts(cfg);
  const ctx = {
    design: 'ws',
    configHash: hash,
    cfg,
    ports: ports.map((p) => ({ ...p, direction: p.direction === 'input' ? 'input ' : 'output' })),
  };
  return {
    design: 'ws',
    top: 'ws_array',
    configHash: hash,
    config: cfg,
    parameters: {
      Rows: cfg.rows,
      Cols: cfg.cols,
      DataWidth: cfg.dataWidth,
      AccWidth: cfg.accWidth,
      Signed: cfg.signed,
    },
    ports,
    modules: [
      { name: 'af_delay', text: readFileSync(here('../../rtl/af_delay.sv'), 'utf8') },
      { name: 'ws_pe', text: renderTemplate(here('templates/ws_pe.sv.hbs'), ctx) },
      { name: 'ws_array', text: renderTemplate(here('templates/ws_array.sv.hbs'), ctx) },
    ],
  };
}
