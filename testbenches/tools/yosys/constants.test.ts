// Which bits the configuration ties to constants (the toggle exclusion of
// verify --coverage), on a toy design through the system Yosys and on ws-4x4.
import { describe, expect, it } from 'vitest';
import { constantBits, constantToggles, isConstantBit } from './constants.js';
import type { CoverPoint, ToggleExclusion } from '../verilator/coverage.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';
import { generateGemm } from '../../../generators/gemm/generate.js';
import { wsPresets } from '../../../golden/gemm/config.js';

// Two instances of `leaf`: b_i tied to 0 in both, c_i tied in one only; q_q a
// register whose input is its reset value; d_q a register that holds data.
const leaf = `module leaf (input logic clk_i, input logic rst_ni, input logic [3:0] a_i, input logic [1:0] b_i,
  input logic c_i, output logic [3:0] d_o);
  logic [3:0] d_q; logic q_q; logic [1:0] arr [2]; logic [1:0] grid [2][3];
  assign arr[0] = b_i; assign arr[1] = a_i[1:0];
  for (genvar i = 0; i < 2; i++) begin : gen_g
    for (genvar j = 0; j < 3; j++) begin : gen_h
      assign grid[i][j] = (i == 1 && j == 1) ? 2'b10 : a_i[1:0];
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) if (!rst_ni) begin d_q <= '0; q_q <= 1'b0; end
    else begin d_q <= a_i ^ {b_i, b_i} ^ {3'b0, c_i} ^ {3'b0, q_q} ^ {arr[0], arr[1]} ^ {grid[0][0], grid[1][1]} ^ {grid[0][1], grid[0][2]} ^ {grid[1][0], grid[1][2]}; q_q <= 1'b0; end
  assign d_o = d_q;
endmodule`;
const top = `module top (input logic clk_i, input logic rst_ni, input logic [3:0] a_i, input logic c_i, output logic [7:0] d_o);
  leaf u_a (.clk_i, .rst_ni, .a_i, .b_i(2'b00), .c_i, .d_o(d_o[3:0]));
  leaf u_b (.clk_i, .rst_ni, .a_i, .b_i(2'b00), .c_i(1'b1), .d_o(d_o[7:4]));
endmodule`;
const toy = {
  design: 'toy',
  top: 'top',
  modules: [
    { name: 'leaf', text: leaf },
    { name: 'top', text: top },
  ],
} as unknown as GeneratedDesign;

describe('constant bits (Yosys)', () => {
  it('names the bits tied in every instance of a module, not those tied in some', async () => {
    const c = await constantBits(toy);
    expect(isConstantBit(c, 'leaf', 'b_i[0]')).toBe(true);
    expect(isConstantBit(c, 'leaf', 'b_i[1]')).toBe(true);
    expect(isConstantBit(c, 'leaf', 'q_q')).toBe(true);
    // An unpacked element of constant bits, as Verilator names it.
    expect(isConstantBit(c, 'leaf', 'arr[0][1]')).toBe(true);
    expect(isConstantBit(c, 'leaf', 'arr[1][1]')).toBe(false);
    // Tied in u_b only.
    expect(isConstantBit(c, 'leaf', 'c_i')).toBe(false);
    expect(isConstantBit(c, 'leaf', 'a_i[2]')).toBe(false);
    expect(isConstantBit(c, 'leaf', 'd_q[0]')).toBe(false);
    expect(isConstantBit(c, 'top', 'a_i[0]')).toBe(false);
  });

  const point = (module: string, what: string, count = 0): CoverPoint => ({
    kind: 'toggle',
    module,
    file: `${module}.sv`,
    line: 1,
    column: 1,
    what,
    count,
  });
  const picked = (x: ToggleExclusion | undefined, ps: CoverPoint[]) => x!.pick(ps).map((p) => `${p.module} ${p.what}`);

  it('maps the names Verilator gives a two-dimensional array to the row-major elements of Yosys', async () => {
    const x = await constantToggles(toy, 1);
    const grid = [0, 1].flatMap((i) =>
      [0, 1, 2].flatMap((j) => [0, 1].map((b) => point('leaf', `grid[${i}][${j}][${b}]`))),
    );
    expect(picked(x, grid)).toEqual(['leaf grid[1][1][0]', 'leaf grid[1][1][1]']);
  });

  it('keeps a bit it calls constant when it toggled more often than a constant can', async () => {
    const x = await constantToggles(toy, 3);
    // Two instances, three runs: at most 6 changes.
    expect(picked(x, [point('leaf', 'b_i[0]', 6), point('leaf', 'b_i[1]', 7)])).toEqual(['leaf b_i[0]']);
    expect(x!.reason).toMatch(/1 bits it names toggled in the runs: kept/);
  });

  it('on ws-4x4: the os chain and the os output data are constant, the weights and activations are not', async () => {
    const x = await constantToggles(generateGemm('ws', wsPresets['ws-4x4']!), 1);
    const ps = [
      point('ws_array', 'psum_i[0]'),
      point('ws_pe', 'ch_data_i[3]'),
      point('ws_pe', 'a_o[0]'),
      point('ws_wsseq', 'st_m_q[0]'),
    ];
    expect(picked(x, ps)).toEqual(['ws_array psum_i[0]', 'ws_pe ch_data_i[3]']);
  });
});
