// The module-level proof (system Yosys) on a two-module design: a bound
// mutation where both arms agree is proven, one that changes an output is
// not, nor one that changes a register's next value; each parametrization
// is checked.
import { describe, expect, it } from 'vitest';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { moduleNetlists, parametrizations, provedEquivalent } from './module-equiv.js';

const sat = (cmp: string, step = "n_q + 8'd1") => `module sat #(
  parameter int Lim = 5
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic [7:0] n_i,
  output logic [7:0] v_o,
  output logic [7:0] n_o
);
  // The lesser of n_i and Lim: at n_i == Lim both arms give Lim.
  assign v_o = (n_i ${cmp} 8'(Lim)) ? 8'(Lim) : n_i;
  logic [7:0] n_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) n_q <= '0;
    else n_q <= ${step};
  end
  assign n_o = n_q;
endmodule
`;
const top = `module top (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic [7:0] n_i,
  output logic [7:0] a_o,
  output logic [7:0] b_o,
  output logic [7:0] c_o
);
  sat #(.Lim(3)) u_a (.clk_i, .rst_ni, .n_i, .v_o(a_o), .n_o(c_o));
  sat #(.Lim(7)) u_b (.clk_i, .rst_ni, .n_i, .v_o(b_o), .n_o());
endmodule
`;
const design = (satText: string): GeneratedDesign => ({
  design: 't',
  top: 'top',
  configHash: '0',
  config: {},
  parameters: {},
  ports: [],
  modules: [
    { name: 'sat', text: satText },
    { name: 'top', text: top },
  ],
});

describe('module-level equivalence proof', () => {
  it('finds every parametrization of a module', () => {
    const ls = '2 modules:\n  $paramod\\sat\\Lim=3\n  $paramod\\sat\\Lim=7\n  top\n  satx\n';
    expect(parametrizations(ls, 'sat')).toEqual(['$paramod\\sat\\Lim=3', '$paramod\\sat\\Lim=7']);
  });

  it('proves a bound off by one where both arms agree, and refuses one that changes an output or a register', async () => {
    const gold = await moduleNetlists(design(sat('>=')), 'sat', 'af_sram_1r1w', 'gold');
    expect(gold).toHaveLength(2);
    const gate = async (text: string) => moduleNetlists(design(text), 'sat', 'af_sram_1r1w', 'gate');
    expect(await provedEquivalent(gold, await gate(sat('>')), 60_000)).toBe(true);
    expect(await provedEquivalent(gold, await gate(sat('<=')), 60_000)).toBe(false);
    expect(await provedEquivalent(gold, await gate(sat('>=', "n_q + 8'd2")), 60_000)).toBe(false);
  });
});
