// An outside testbench for rs_engine, written from its datasheet alone (no
// accelforge harness code): it is the DRAM. It loads the descriptor `map rs`
// wrote (+desc, $readmemh words from address 0), packs the layer's ifmap,
// filters and bias into DRAM per the datasheet (+in: N*C*H*W ifmap values,
// M*C*R*S filter values, then M biases, each in the descriptor's shape),
// pulses start_i, answers reads in order after LATENCY cycles, keeps the
// writes, and at done_o writes the ofmap region to +out.
`timescale 1ns / 1ps
module rs_outside_tb #(
  parameter int LATENCY = 3, WORDS = 1 << 20
);
  logic clk_i = 1'b0, rst_ni = 1'b0, start_i = 1'b0;
  always #5 clk_i = ~clk_i;
  logic busy_o, done_o, error_o, rd_valid, wr_valid, rsp_valid = 1'b0;
  logic [31:0] rd_addr, wr_addr;
  logic [63:0] wr_data, rsp_rdata = '0;

  rs_engine dut (
    .clk_i, .rst_ni, .start_i, .busy_o, .done_o, .error_o,
    .dram_rd_valid_o(rd_valid), .dram_rd_addr_o(rd_addr),
    .dram_wr_valid_o(wr_valid), .dram_wr_addr_o(wr_addr), .dram_wr_data_o(wr_data),
    .dram_rsp_valid_i(rsp_valid), .dram_rsp_rdata_i(rsp_rdata)
  );

  logic [63:0] mem [0:WORDS-1];
  // Descriptor words (datasheet): 0-10 N C H W M R S U P E F, 25 flags, 26-30 bases.
  function automatic int field(input int word);
    return int'(mem[word][31:0]);
  endfunction

  // Reads in flight: the data and the cycle it is due (in request order).
  logic [63:0] q_data [0:255];
  longint      q_due [0:255];
  int q_head = 0, q_count = 0;
  longint cycle = 0;

  int N, C, H, W, M, R, S, E, F, fin, fout, n, v, wq, sq;
  reg [8*256-1:0] path;

  initial begin
    for (int i = 0; i < WORDS; i++) mem[i] = '0;
    if (!$value$plusargs("desc=%s", path)) $fatal(1, "no +desc");
    $readmemh(path, mem, 0, 30);
    N = field(0); C = field(1); H = field(2); W = field(3); M = field(4); R = field(5); S = field(6);
    E = field(9); F = field(10);
    wq = (W + 3) / 4;
    sq = (S + 3) / 4;
    if (!$value$plusargs("in=%s", path)) $fatal(1, "no +in");
    fin = $fopen(path, "r");
    // Rows packed four 16-bit values to a word: value w in lane w % 4 of word w / 4.
    for (int i = 0; i < N * C * H * W; i++) begin
      n = $fscanf(fin, "%d", v);
      mem[field(26) + (i / W) * wq + (i % W) / 4][16 * ((i % W) % 4) +: 16] = 16'(v);
    end
    for (int i = 0; i < M * C * R * S; i++) begin
      n = $fscanf(fin, "%d", v);
      mem[field(27) + (i / S) * sq + (i % S) / 4][16 * ((i % S) % 4) +: 16] = 16'(v);
    end
    for (int m = 0; m < M; m++) begin
      n = $fscanf(fin, "%d", v);
      mem[field(28) + m] = {{32{v[31]}}, v};  // sign-extended
    end
    $fclose(fin);
    repeat (2) @(posedge clk_i);
    @(negedge clk_i) rst_ni = 1'b1;
    @(negedge clk_i) start_i = 1'b1;
    @(posedge clk_i) #1 start_i = 1'b0;
    // Each cycle: present the oldest read if it is due, then take this
    // cycle's requests (a read sees memory before this cycle's write).
    while (!done_o) begin
      if (q_count > 0 && q_due[q_head] <= cycle) begin
        rsp_valid = 1'b1;
        rsp_rdata = q_data[q_head];
        q_head = (q_head + 1) % 256;
        q_count--;
      end else begin
        rsp_valid = 1'b0;
      end
      #1;
      if (rd_valid) begin
        q_data[(q_head + q_count) % 256] = mem[rd_addr];
        q_due[(q_head + q_count) % 256] = cycle + LATENCY;
        q_count++;
      end
      if (wr_valid) mem[wr_addr] = wr_data;
      @(posedge clk_i) #1;
      cycle++;
    end
    if (error_o) $fatal(1, "the engine refused the descriptor");
    if (!$value$plusargs("out=%s", path)) $fatal(1, "no +out");
    fout = $fopen(path, "w");
    for (int i = 0; i < N * M * E * F; i++) $fwrite(fout, "%0d\n", $signed(mem[field(29) + i]));
    $fclose(fout);
    $finish;
  end
endmodule
