// Simple dual-port SRAM model (one read port, one write port, one clock).
// Synchronous read with one cycle of latency; a read of the address being
// written in the same cycle returns the old data (read-first), as most SRAM
// macros do. No reset: synthesis maps it to a memory, not to flip-flops.
module af_sram_1r1w #(
  parameter int Width = 8,
  parameter int Depth = 16,
  localparam int AddrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Width-1:0]     wdata_i,
  input  logic                 re_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Width-1:0]     rdata_o
);
  logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
    if (re_i) rdata_q <= mem_q[raddr_i];
  end

  assign rdata_o = rdata_q;
endmodule
