// An outside testbench for ws_engine and os_engine, written from their
// datasheets alone (no accelforge harness code): a user's integration test.
// It reads a GEMM from +in (first line "M K N", then A row-major, then B
// row-major, integers), lays it out per the datasheet's dataflow section,
// runs it through the host port and writes C row-major to +out. On the way
// it checks the datasheet's host contract ("The rest of the contract"):
// reset values, an unknown CSR, accumulator requests held while busy, the
// accumulator rows a run leaves alone and the elements past N it zeroes.
// Parameters from the datasheet: OS (1: os_engine, compiled with OS_ENGINE defined), ROWS, COLS, DW, AW,
// ADDR_W (host address bits), DATA_W (host data bits).
`timescale 1ns / 1ps
module gemm_outside_tb #(
  parameter int OS = 0, ROWS = 4, COLS = 4, DW = 8, AW = 32, ADDR_W = 14, DATA_W = 128
);
  logic clk_i = 1'b0, rst_ni = 1'b0;
  always #5 clk_i = ~clk_i;
  logic              req_valid = 1'b0, req_write = 1'b0;
  logic [1:0]        req_sel = '0;
  logic [ADDR_W-1:0] req_addr = '0;
  logic [DATA_W-1:0] req_wdata = '0;
  logic              req_ready, rsp_valid, busy, done;
  logic [DATA_W-1:0] rsp_rdata;

  // The design under test is the one the package holds (+define+OS_ENGINE for os):
  // an outside package has only its own top module.
`ifdef OS_ENGINE
  os_engine dut (
`else
  ws_engine dut (
`endif
    .clk_i, .rst_ni,
    .host_req_valid_i(req_valid), .host_req_ready_o(req_ready), .host_req_write_i(req_write),
    .host_req_sel_i(req_sel), .host_req_addr_i(req_addr), .host_req_wdata_i(req_wdata),
    .host_rsp_valid_o(rsp_valid), .host_rsp_rdata_o(rsp_rdata), .busy_o(busy), .done_o(done)
  );

  // One request, held unchanged until accepted at a rising edge with ready high;
  // a read's data is on rsp_rdata the cycle after (returned in `data`).
  task automatic request(input bit write, input int sel, input int addr, inout logic [DATA_W-1:0] data);
    @(negedge clk_i);
    req_valid = 1'b1; req_write = write; req_sel = 2'(sel); req_addr = ADDR_W'(addr); req_wdata = data;
    @(posedge clk_i);
    while (!req_ready) begin
      // Only accumulator requests wait, and only while busy.
      if (sel != 3 || !busy) $fatal(1, "request sel %0d refused while busy=%0d", sel, busy);
      @(posedge clk_i);
    end
    @(negedge clk_i);
    req_valid = 1'b0;
    if (!write) begin
      if (!rsp_valid) $fatal(1, "no read response");
      data = rsp_rdata;
    end
  endtask

  localparam logic [AW-1:0] Sentinel = AW'(32'h5a5a_1234);
  int M, K, N, KT, MT, NT, fin, fout, n, v;
  int a [0:65535];
  int b [0:65535];
  logic [DATA_W-1:0] row, ctrl;

  function automatic logic [DATA_W-1:0] sentinel_row();
    sentinel_row = '0;
    for (int c = 0; c < COLS; c++) sentinel_row[c*AW +: AW] = Sentinel;
  endfunction

  reg [8*256-1:0] path;
  initial begin
    if (!$value$plusargs("in=%s", path)) $fatal(1, "no +in");
    fin = $fopen(path, "r");
    n = $fscanf(fin, "%d %d %d", M, K, N);
    for (int i = 0; i < M * K; i++) begin n = $fscanf(fin, "%d", v); a[i] = v; end
    for (int i = 0; i < K * N; i++) begin n = $fscanf(fin, "%d", v); b[i] = v; end
    $fclose(fin);
    KT = (K + ROWS - 1) / ROWS;
    MT = (M + ROWS - 1) / ROWS;
    NT = (N + COLS - 1) / COLS;
    repeat (2) @(posedge clk_i);
    rst_ni = 1'b1;

    // After reset every CSR reads 0 (CTRL bit 3 reads 1 on os); an unknown CSR reads 0.
    for (int csr = 0; csr < 8; csr++) begin
      row = '0;
      request(0, 0, csr, row);
      if (row !== DATA_W'((csr == 0 && OS != 0) ? 8 : 0)) $fatal(1, "CSR %0d after reset reads %0h", csr, row);
    end
    row = '1;
    request(1, 0, 31, row);
    row = '1;
    request(0, 0, 31, row);
    if (row !== '0) $fatal(1, "unknown CSR 31 reads %0h", row);

    // Accumulator rows 0 .. NT M (one past the run's) hold a sentinel before the run.
    for (int r = 0; r <= NT * M; r++) begin
      row = sentinel_row();
      request(1, 3, r, row);
    end
    if (OS == 0) begin
      // ws: A row kt M + m holds A[m][kt ROWS + r] in element r; B row (nt KT + kt) ROWS + r
      // holds B[kt ROWS + r][nt COLS + c] in element c (zeros past K or N).
      for (int kt = 0; kt < KT; kt++) for (int m = 0; m < M; m++) begin
        row = '0;
        for (int r = 0; r < ROWS; r++) if (kt * ROWS + r < K) row[r*DW +: DW] = DW'(a[m * K + kt * ROWS + r]);
        request(1, 1, kt * M + m, row);
      end
      for (int nt = 0; nt < NT; nt++) for (int kt = 0; kt < KT; kt++) for (int r = 0; r < ROWS; r++) begin
        row = '0;
        for (int c = 0; c < COLS; c++)
          if (kt * ROWS + r < K && nt * COLS + c < N) row[c*DW +: DW] = DW'(b[(kt * ROWS + r) * N + nt * COLS + c]);
        request(1, 2, (nt * KT + kt) * ROWS + r, row);
      end
    end else begin
      // os: A row mt K + k holds A[mt ROWS + r][k] in element r (zeros past M);
      // B row nt K + k holds B[k][nt COLS + c] in element c (zeros past N).
      for (int mt = 0; mt < MT; mt++) for (int k = 0; k < K; k++) begin
        row = '0;
        for (int r = 0; r < ROWS; r++) if (mt * ROWS + r < M) row[r*DW +: DW] = DW'(a[(mt * ROWS + r) * K + k]);
        request(1, 1, mt * K + k, row);
      end
      for (int nt = 0; nt < NT; nt++) for (int k = 0; k < K; k++) begin
        row = '0;
        for (int c = 0; c < COLS; c++) if (nt * COLS + c < N) row[c*DW +: DW] = DW'(b[k * N + nt * COLS + c]);
        request(1, 2, nt * K + k, row);
      end
    end
    // CSRs: M, N, K, the three bases, then CTRL = start (no ReLU, no accumulate).
    row = DATA_W'(M); request(1, 0, 2, row);
    row = DATA_W'(N); request(1, 0, 3, row);
    row = DATA_W'(K); request(1, 0, 4, row);
    row = '0; request(1, 0, 5, row);
    row = '0; request(1, 0, 6, row);
    row = '0; request(1, 0, 7, row);
    ctrl = DATA_W'(1); request(1, 0, 0, ctrl);
    // An accumulator read now waits, held, until the run ends (the task checks the rest).
    row = '0;
    request(0, 3, 0, row);
    if (busy || !done) $fatal(1, "an accumulator read was answered during the run");

    // The accumulator row nt M + m holds C[m][nt COLS + c]; elements past N are 0 (no
    // accumulate), row NT M is untouched.
    if (!$value$plusargs("out=%s", path)) $fatal(1, "no +out");
    fout = $fopen(path, "w");
    for (int nt = 0; nt < NT; nt++) for (int m = 0; m < M; m++) begin
      row = '0;
      request(0, 3, nt * M + m, row);
      for (int c = 0; c < COLS; c++)
        if (nt * COLS + c >= N && row[c*AW +: AW] !== '0) $fatal(1, "row %0d element %0d past N reads %0h", nt * M + m, c, row[c*AW +: AW]);
    end
    row = '0;
    request(0, 3, NT * M, row);
    if (row !== sentinel_row()) $fatal(1, "row %0d past the run's was written: %0h", NT * M, row);
    for (int m = 0; m < M; m++) for (int j = 0; j < N; j++) begin
      row = '0;
      request(0, 3, (j / COLS) * M + m, row);
      $fwrite(fout, "%0d\n", $signed(row[(j % COLS) * AW +: AW]));
    end
    $fclose(fout);
    $finish;
  end
endmodule
