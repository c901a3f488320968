// A loop nest as an odometer: Digits counters, digit 0 outermost, each
// running 0..lim_i[d] (inclusive). enter_i loads the limits and rewinds;
// advance_i (only while busy_o) issues the current iteration it_o and moves
// to the next. busy_o falls after the last iteration; idle_o counts the
// cycles since then (saturating at 3), so a phase can wait a fixed time for
// what its last iteration started. Digit d of lim_i and it_o is at bits
// 32*d +: 32 (flat vectors: Debian's Yosys 0.23 reads no multi-dimensional
// packed arrays).
module af_odometer #(
  parameter int Digits = 6
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   enter_i,
  input  logic [Digits*32-1:0]   lim_i,
  input  logic                   advance_i,
  output logic                   busy_o,
  output logic                   last_o,
  output logic [Digits*32-1:0]   it_o,
  output logic [31:0]            flat_o,
  output logic [1:0]             idle_o
);
  logic [Digits*32-1:0]    lim_q, it_q, it_next;
  logic [31:0]             flat_q;
  logic                    busy_q;
  logic [1:0]              idle_q;

  // Each output assigned once per block (temporaries first): Icarus 11
  // re-runs always_comb blocks on every always_comb event, and an output
  // that takes a default and then an override would glitch on each run.
  always_comb begin : comb_next
    logic                    last, c;
    logic [Digits*32-1:0]    nxt;
    last = 1'b1;
    for (int l = 0; l < Digits; l++) if (it_q[32*l +: 32] != lim_q[32*l +: 32]) last = 1'b0;
    // Innermost digit first; a digit at its limit wraps and carries.
    nxt = it_q;
    c   = 1'b1;
    for (int l = Digits - 1; l >= 0; l--) begin
      if (c) begin
        if (it_q[32*l +: 32] == lim_q[32*l +: 32]) nxt[32*l +: 32] = '0;
        else begin
          nxt[32*l +: 32] = it_q[32*l +: 32] + 32'd1;
          c      = 1'b0;
        end
      end
    end
    last_o  = last;
    it_next = nxt;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lim_q  <= '0;
      it_q   <= '0;
      flat_q <= '0;
      busy_q <= 1'b0;
      idle_q <= '0;
    end else if (enter_i) begin
      lim_q  <= lim_i;
      it_q   <= '0;
      flat_q <= '0;
      busy_q <= 1'b1;
      idle_q <= '0;
    end else begin
      if (advance_i) begin
        it_q   <= it_next;
        flat_q <= flat_q + 32'd1;
        if (last_o) busy_q <= 1'b0;
      end
      if (!busy_q && idle_q != 2'd3) idle_q <= idle_q + 2'd1;
    end
  end

  assign busy_o = busy_q;
  assign it_o   = it_q;
  assign flat_o = flat_q;
  assign idle_o = idle_q;
endmodule
