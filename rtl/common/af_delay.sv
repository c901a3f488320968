// Fixed-latency delay line: q_o is d_i delayed by Depth clock cycles (Depth 0
// is a wire). Used for the input skew and output de-skew of systolic arrays.
// One register stage per generate iteration: any Depth elaborates without a
// procedural loop (Verilator refuses delayed assignments to an array inside
// a loop it does not unroll, as for Depth above its unroll limit).
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
    logic [Width-1:0] stage_q [Depth];
    for (genvar i = 0; i < Depth; i++) begin : gen_stage
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) stage_q[i] <= '0;
        else stage_q[i] <= (i == 0) ? d_i : stage_q[(i == 0) ? 0 : i - 1];
      end
    end
    assign q_o = stage_q[Depth-1];
  end
endmodule
