// Synchronous FIFO of Depth entries (Depth >= 1). push_i must not be asserted
// when full_o (the writer checks) unless pop_i is too; pop_i only when
// !empty_o (both checked by assertions in simulation). data_o shows the
// oldest entry. A push and a pop in the same cycle are both taken.
module af_fifo #(
  parameter int Width = 8,
  parameter int Depth = 4,
  localparam int CntWidth = $clog2(Depth + 1),
  localparam int PtrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                push_i,
  input  logic [Width-1:0]    data_i,
  input  logic                pop_i,
  output logic [Width-1:0]    data_o,
  output logic                empty_o,
  output logic                full_o,
  output logic [CntWidth-1:0] count_o
);
  logic [Width-1:0]    mem_q [Depth];
  logic [PtrWidth-1:0] rd_q, wr_q;
  logic [CntWidth-1:0] cnt_q;

  function automatic logic [PtrWidth-1:0] next_ptr(input logic [PtrWidth-1:0] p);
    next_ptr = (p == PtrWidth'(Depth - 1)) ? '0 : p + PtrWidth'(1);
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q  <= '0;
      wr_q  <= '0;
      cnt_q <= '0;
    end else begin
      if (push_i) wr_q <= next_ptr(wr_q);
      if (pop_i) rd_q <= next_ptr(rd_q);
      cnt_q <= cnt_q + CntWidth'(push_i) - CntWidth'(pop_i);
    end
  end

  always_ff @(posedge clk_i) begin
    if (push_i) mem_q[wr_q] <= data_i;
  end

  assign data_o  = mem_q[rd_q];
  assign empty_o = (cnt_q == '0);
  assign full_o  = (cnt_q == CntWidth'(Depth));
  assign count_o = cnt_q;

  `AF_ASSERT_PARAM(DepthPositive, Depth >= 1)
  `AF_ASSERT_NEVER(NoOverflow, push_i && full_o && !pop_i, "af_fifo: push while full")
  `AF_ASSERT_NEVER(NoUnderflow, pop_i && empty_o, "af_fifo: pop while empty")
  `AF_ASSERT(CountInRange, cnt_q <= CntWidth'(Depth), "af_fifo: count past the depth")
  `AF_ASSERT_KNOWN(EmptyKnown, empty_o)
endmodule
