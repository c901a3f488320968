// An outside testbench for ws_engine, written from its datasheet alone (no
// accelforge harness code): a user's integration test. It reads a GEMM from
// +in (first line "M K N", then A row-major, then B row-major, integers),
// lays it out per the datasheet, runs it through the host port and writes
// C row-major to +out. Parameters from the datasheet: ROWS, COLS, DW, AW,
// ADDR_W (host address bits), DATA_W (host data bits).
`timescale 1ns / 1ps
module ws_outside_tb #(
  parameter int ROWS = 4, COLS = 4, DW = 8, AW = 32, ADDR_W = 14, DATA_W = 128
);
  logic clk_i = 1'b0, rst_ni = 1'b0;
  always #5 clk_i = ~clk_i;
  logic              req_valid = 1'b0, req_write = 1'b0;
  logic [1:0]        req_sel = '0;
  logic [ADDR_W-1:0] req_addr = '0;
  logic [DATA_W-1:0] req_wdata = '0;
  logic              req_ready, rsp_valid, busy, done;
  logic [DATA_W-1:0] rsp_rdata;

  ws_engine dut (
    .clk_i, .rst_ni,
    .host_req_valid_i(req_valid), .host_req_ready_o(req_ready), .host_req_write_i(req_write),
    .host_req_sel_i(req_sel), .host_req_addr_i(req_addr), .host_req_wdata_i(req_wdata),
    .host_rsp_valid_o(rsp_valid), .host_rsp_rdata_o(rsp_rdata), .busy_o(busy), .done_o(done)
  );

  // One request, held until accepted at a rising edge with ready high.
  task automatic request(input bit write, input int sel, input int addr, input logic [DATA_W-1:0] data);
    @(negedge clk_i);
    req_valid = 1'b1; req_write = write; req_sel = 2'(sel); req_addr = ADDR_W'(addr); req_wdata = data;
    @(posedge clk_i);
    while (!req_ready) @(posedge clk_i);
    @(negedge clk_i);
    req_valid = 1'b0;
  endtask

  int M, K, N, KT, NT, fin, fout, n, v;
  int a [0:65535];
  int b [0:65535];
  logic [DATA_W-1:0] row;
  reg [8*256-1:0] path;

  initial begin
    if (!$value$plusargs("in=%s", path)) $fatal(1, "no +in");
    fin = $fopen(path, "r");
    n = $fscanf(fin, "%d %d %d", M, K, N);
    for (int i = 0; i < M * K; i++) begin n = $fscanf(fin, "%d", v); a[i] = v; end
    for (int i = 0; i < K * N; i++) begin n = $fscanf(fin, "%d", v); b[i] = v; end
    $fclose(fin);
    KT = (K + ROWS - 1) / ROWS;
    NT = (N + COLS - 1) / COLS;
    repeat (2) @(posedge clk_i);
    rst_ni = 1'b1;
    // A row kt M + m holds A[m][kt ROWS + r] in element r (zero past K).
    for (int kt = 0; kt < KT; kt++) for (int m = 0; m < M; m++) begin
      row = '0;
      for (int r = 0; r < ROWS; r++) if (kt * ROWS + r < K) row[r*DW +: DW] = DW'(a[m * K + kt * ROWS + r]);
      request(1, 1, kt * M + m, row);
    end
    // B row (nt KT + kt) ROWS + r holds B[kt ROWS + r][nt COLS + c] in element c.
    for (int nt = 0; nt < NT; nt++) for (int kt = 0; kt < KT; kt++) for (int r = 0; r < ROWS; r++) begin
      row = '0;
      for (int c = 0; c < COLS; c++) if (kt * ROWS + r < K && nt * COLS + c < N) row[c*DW +: DW] = DW'(b[(kt * ROWS + r) * N + nt * COLS + c]);
      request(1, 2, (nt * KT + kt) * ROWS + r, row);
    end
    // CSRs: M, N, K, the three bases, then CTRL = start.
    request(1, 0, 2, DATA_W'(M));
    request(1, 0, 3, DATA_W'(N));
    request(1, 0, 4, DATA_W'(K));
    request(1, 0, 5, '0);
    request(1, 0, 6, '0);
    request(1, 0, 7, '0);
    request(1, 0, 0, DATA_W'(1));
    @(posedge clk_i);
    while (!(done && !busy)) @(posedge clk_i);
    // The accumulator row nt M + m holds C[m][nt COLS + c]; read data the cycle after.
    if (!$value$plusargs("out=%s", path)) $fatal(1, "no +out");
    fout = $fopen(path, "w");
    for (int m = 0; m < M; m++) for (int j = 0; j < N; j++) begin
      @(negedge clk_i);
      req_valid = 1'b1; req_write = 1'b0; req_sel = 2'd3; req_addr = ADDR_W'((j / COLS) * M + m);
      @(posedge clk_i);
      while (!req_ready) @(posedge clk_i);
      @(negedge clk_i);
      req_valid = 1'b0;
      if (!rsp_valid) $fatal(1, "no read response");
      $fwrite(fout, "%0d\n", $signed(rsp_rdata[(j % COLS) * AW +: AW]));
    end
    $fclose(fout);
    $finish;
  end
endmodule
