// Fixed-latency delay line: q_o is d_i delayed by Depth clock cycles (Depth 0
// is a wire). Used for the input skew and output de-skew of systolic arrays.
// The stages are one packed shift register (the newest stage in the low
// Width bits): any Depth elaborates without a procedural loop (Verilator
// refuses delayed assignments to an array in a loop it does not unroll) and
// without an unpacked array (Icarus 11 never updated a continuous read of
// one written per generate iteration).
// Vectors here reach 12,288 bits (256 columns x 48-bit accumulators): '0
// fills wider than Verilator's 8k-bit replication heuristic are intended.
/* verilator lint_off WIDTHCONCAT */
module af_delay #(
  parameter int Width = 1,
  parameter int Depth = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);
  if (Depth == 0) begin : gen_wire
    assign q_o = d_i;
    logic unused_clk_rst;
    assign unused_clk_rst = clk_i ^ rst_ni;
  end else begin : gen_regs
    logic [Depth*Width-1:0] stages_q, stages_d;
    if (Depth == 1) begin : gen_one
      assign stages_d = d_i;
    end else begin : gen_shift
      assign stages_d = {stages_q[(Depth-1)*Width-1:0], d_i};
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) stages_q <= '0;
      else stages_q <= stages_d;
    end
    assign q_o = stages_q[(Depth-1)*Width +: Width];
  end
endmodule
/* verilator lint_on WIDTHCONCAT */
