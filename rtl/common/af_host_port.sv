// The host port of the host-driven engines (ws, eie): valid/ready requests
// with a target select, an address and write data; a read's data on
// host_rsp_rdata_o with host_rsp_valid_o one cycle after it was accepted.
// A request is refused (ready low) while the engine is busy when its target's
// bit in BusyRefused is set (targets whose memories the engine then owns).
// The engine decodes writes from the host_req_* inputs and write_o; for a
// read it gives the data in the same cycle (rdata_i, registered here, e.g.
// CSRs sampled at the request), or says that the data comes from a
// synchronous memory a cycle later (late_i, then late_rdata_i is answered).
// CSR 0 (target 0, address 0) bit 0 is the start of every engine.
// Vectors here reach 12,288 bits (256 columns x 48-bit accumulators): '0
// fills wider than Verilator's 8k-bit replication heuristic are intended.
/* verilator lint_off WIDTHCONCAT */
module af_host_port #(
  parameter int AddrWidth = 8,
  parameter int DataWidth = 64,
  parameter int SelWidth  = 2,
  parameter logic [(1 << SelWidth)-1:0] BusyRefused = '0
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 host_req_valid_i,
  output logic                 host_req_ready_o,
  input  logic                 host_req_write_i,
  input  logic [SelWidth-1:0]  host_req_sel_i,
  input  logic [AddrWidth-1:0] host_req_addr_i,
  input  logic [DataWidth-1:0] host_req_wdata_i,
  output logic                 host_rsp_valid_o,
  output logic [DataWidth-1:0] host_rsp_rdata_o,
  input  logic                 busy_i,
  output logic                 write_o,      // a write accepted this cycle
  output logic                 read_o,       // a read accepted this cycle
  output logic                 csr_write_o,  // a write of a CSR (target 0) while idle
  output logic                 start_o,      // CTRL (CSR 0) written with bit 0
  input  logic [DataWidth-1:0] rdata_i,      // the read's data now
  input  logic                 late_i,       // ... or a cycle later, from a memory:
  input  logic [DataWidth-1:0] late_rdata_i
);
  logic fire;
  assign host_req_ready_o = !(busy_i && BusyRefused[host_req_sel_i]);
  assign fire        = host_req_valid_i && host_req_ready_o;
  assign write_o     = fire && host_req_write_i;
  assign read_o      = fire && !host_req_write_i;
  assign csr_write_o = write_o && host_req_sel_i == '0 && !busy_i;
  assign start_o     = csr_write_o && host_req_addr_i == '0 && host_req_wdata_i[0];

  logic                 rsp_valid_q, late_q;
  logic [DataWidth-1:0] rdata_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rsp_valid_q <= 1'b0;
      late_q      <= 1'b0;
      rdata_q     <= '0;
    end else begin
      rsp_valid_q <= read_o;
      late_q      <= read_o && late_i;
      if (read_o) rdata_q <= rdata_i;
    end
  end
  assign host_rsp_valid_o = rsp_valid_q;
  assign host_rsp_rdata_o = late_q ? late_rdata_i : rdata_q;

  // A refused request stays up, unchanged, until it is accepted. The write
  // data is compared folded to 64 bits (XOR of its 64-bit words): Verilator
  // 5.006 emits C++ that does not compile for $stable of a vector over 1024
  // bits (host ports of 32 x 32 arrays and up).
`ifndef SYNTHESIS
  // (Checking only: synthesis and the mutation of logic leave it out.)
  localparam int Words = (DataWidth + 63) / 64;
  logic [Words*64-1:0] wdata_ext;
  logic [63:0]         wdata_fold;
  assign wdata_ext = (Words*64)'(host_req_wdata_i);
  always_comb begin : comb_fold
    logic [63:0] f;
    f = '0;
    for (int w = 0; w < Words; w++) f = f ^ wdata_ext[64*w +: 64];
    wdata_fold = f;
  end
  `AF_ASSERT_HIST(RequestHeld, !$past(host_req_valid_i && !host_req_ready_o) || (host_req_valid_i
      && $stable(host_req_write_i) && $stable(host_req_sel_i) && $stable(host_req_addr_i)
      && $stable(wdata_fold)), "af_host_port: a refused request was withdrawn or changed")
`endif
  `AF_ASSERT_KNOWN(ReadyKnown, host_req_ready_o)
  `AF_ASSERT_KNOWN(RspValidKnown, host_rsp_valid_o)
endmodule
/* verilator lint_on WIDTHCONCAT */
