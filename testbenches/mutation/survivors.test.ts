// Survivor reasons found in the source: the even-register proof.
import { describe, expect, it } from 'vitest';
import { alwaysEven, reloadedOnStart, writtenEveryCycle } from './survivors.js';

const mod = (step: string, extra = '') => `module m #(
  parameter int Cols = 4,
  parameter int Rows = 3
) ();
  localparam logic [31:0] ColsW = 32'(Cols);
  localparam logic [31:0] RowsW = 32'(Rows);
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) nb_q <= '0;
    else if (start_i) nb_q <= '0;
    else if (step) nb_q <= nb_q + ${step};
${extra}
  end
endmodule`;
const stuck0 = { kind: 'stuck-at' as const, what: 'bit 0 of nb_q stuck at 0' };

describe('alwaysEven', () => {
  it('proves a register set to 0 and stepped by an even parameter never has bit 0 set', () => {
    expect(alwaysEven(mod('ColsW'), stuck0)).toBe(
      'every value nb_q takes is even: it is only set to 0 or stepped by ColsW = 4 in this configuration, so bit 0 is always 0',
    );
    expect(alwaysEven(mod('2'), stuck0)).toContain('stepped by 2 = 2');
  });

  it('gives no proof for an odd step, a load from an input, a bit select, or stuck at 1', () => {
    expect(alwaysEven(mod('RowsW'), stuck0)).toBeUndefined();
    expect(alwaysEven(mod('ColsW', '    if (load_i) nb_q <= base_i;'), stuck0)).toBeUndefined();
    expect(alwaysEven(mod('ColsW', "    if (x) nb_q[0] <= 1'b1;"), stuck0)).toBeUndefined();
    expect(alwaysEven(mod('ColsW'), { ...stuck0, what: 'bit 0 of nb_q stuck at 1' })).toBeUndefined();
    expect(alwaysEven(mod('ColsW'), { kind: 'reset', what: 'bit 0 of nb_q stuck at 0' })).toBeUndefined();
  });
});

describe('reloadedOnStart', () => {
  const seq = `  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      k_q <= '0; v_q <= 1'b0;
    end else begin
      v_q <= issue;
      if (start_i) begin
        k_q <= '0;
      end else begin
        if (issue) k_q <= k_q + 32'd1;
      end
    end
  end`;
  it('finds the load in a start branch nested in the else of the reset branch', () => {
    expect(reloadedOnStart(seq, { line: 3, kind: 'reset', what: "reset value of k_q: '0 -> '1" })).toBe(7);
  });
  it('gives none for a register the start branch does not load', () => {
    expect(reloadedOnStart(seq, { line: 3, kind: 'reset', what: "reset value of v_q: 1'b0 -> 1'b1" })).toBeUndefined();
  });
});

describe('writtenEveryCycle', () => {
  const pipe = `  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      v_q <= 1'b0;
      d_q <= '0;
      e_q <= '0;
    end else begin
      v_q <= valid_i;
      d_q <= data_i;
      if (en_i) e_q <= data_i;
    end
  end`;
  it('finds an unconditional write in the else branch of the reset', () => {
    expect(writtenEveryCycle(pipe, { line: 4, kind: 'reset', what: "reset value of d_q: '0 -> '1" })).toBe(8);
  });
  it('gives none for a register written under a condition', () => {
    expect(writtenEveryCycle(pipe, { line: 4, kind: 'reset', what: "reset value of e_q: '0 -> '1" })).toBeUndefined();
  });
});
