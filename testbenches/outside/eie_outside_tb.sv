// An outside testbench for eie_engine, written from its datasheet alone (no
// accelforge harness or encoder code): it encodes one layer itself (rows
// interleaved over the PEs, compressed sparse columns with relative indices
// and padding entries, absolute pointers in two banks), loads it through the
// host port, runs it and reads the outputs back. +in: "rows cols shift relu
// has_bias", the 2^CB codebook values, the rows x cols codebook indices
// row-major, cols activations, rows biases. +out: rows outputs. On the way
// it checks the datasheet's "Host port details": reset values, an unknown
// CSR, reads of write-only targets, requests held while busy, CSR reads
// answered during a run, activations sign-extended.
`timescale 1ns / 1ps
module eie_outside_tb #(
  parameter int PES = 4, CB = 4, IB = 4, EPL = 8, PTR_AW = 12, LOCAL_W = 13, ADDR_W = 15, DATA_W = 64
);
  localparam int ENTRY = CB + IB;
  localparam int PE_W = (PES > 1) ? $clog2(PES) : 1;
  localparam int MAXZ = (1 << IB) - 1;
  logic clk_i = 1'b0, rst_ni = 1'b0;
  always #5 clk_i = ~clk_i;
  logic              req_valid = 1'b0, req_write = 1'b0;
  logic [2:0]        req_sel = '0;
  logic [ADDR_W-1:0] req_addr = '0;
  logic [DATA_W-1:0] req_wdata = '0;
  logic              req_ready, rsp_valid, busy, done;
  logic [DATA_W-1:0] rsp_rdata;

  eie_engine dut (
    .clk_i, .rst_ni,
    .host_req_valid_i(req_valid), .host_req_ready_o(req_ready), .host_req_write_i(req_write),
    .host_req_sel_i(req_sel), .host_req_addr_i(req_addr), .host_req_wdata_i(req_wdata),
    .host_rsp_valid_o(rsp_valid), .host_rsp_rdata_o(rsp_rdata), .busy_o(busy), .done_o(done)
  );

  // One request, held unchanged until accepted at a rising edge with ready high; a read's data
  // (the cycle after) is kept in `rdata`. Only non-CSR requests wait, and only while busy.
  logic [DATA_W-1:0] rdata;
  task automatic request(input bit write, input int sel, input longint addr, input logic [DATA_W-1:0] data);
    @(negedge clk_i);
    req_valid = 1'b1; req_write = write; req_sel = 3'(sel); req_addr = ADDR_W'(addr); req_wdata = data;
    @(posedge clk_i);
    while (!req_ready) begin
      if (sel == 0 || !busy) $fatal(1, "request sel %0d refused while busy=%0d", sel, busy);
      @(posedge clk_i);
    end
    @(negedge clk_i);
    req_valid = 1'b0;
    if (!write) begin
      if (!rsp_valid) $fatal(1, "no read response");
      rdata = rsp_rdata;
    end
  endtask

  task automatic expect_read(input int sel, input longint addr, input logic [DATA_W-1:0] want, input string what);
    request(0, sel, addr, '0);
    if (rdata !== want) $fatal(1, "%s reads %0h, not %0h", what, rdata, want);
  endtask

  function automatic longint pe_addr(input int pe, input int local_addr);
    return (longint'(pe) << LOCAL_W) | longint'(local_addr);
  endfunction

  int rows, cols, shift, relu, has_bias, fin, fout, n, v, count, zeros;
  int cb [0:255];
  int x [0:65535];
  int act [0:4095];
  int bias [0:4095];
  int ev [0:65535];
  int ez [0:65535];
  int ptr [0:4096];
  logic [DATA_W-1:0] line;
  reg [8*256-1:0] path;

  initial begin
    if (!$value$plusargs("in=%s", path)) $fatal(1, "no +in");
    fin = $fopen(path, "r");
    n = $fscanf(fin, "%d %d %d %d %d", rows, cols, shift, relu, has_bias);
    for (int i = 0; i < (1 << CB); i++) begin n = $fscanf(fin, "%d", v); cb[i] = v; end
    for (int i = 0; i < rows * cols; i++) begin n = $fscanf(fin, "%d", v); x[i] = v; end
    for (int j = 0; j < cols; j++) begin n = $fscanf(fin, "%d", v); act[j] = v; end
    for (int i = 0; i < rows; i++) begin n = $fscanf(fin, "%d", v); bias[i] = v; end
    $fclose(fin);
    repeat (2) @(posedge clk_i);
    rst_ni = 1'b1;
    // After reset every CSR reads 0; CSR 7 is not in the tables: reads 0, ignores writes.
    for (int csr = 0; csr < 12; csr++) expect_read(0, csr, '0, $sformatf("CSR %0d after reset", csr));
    request(1, 0, 7, '1);
    expect_read(0, 7, '0, "unknown CSR 7");
    request(1, 0, 0, DATA_W'(2));  // CTRL: clear every activation, its own write
    // Per PE: its rows (i = k, k + PES, ...) as compressed sparse columns.
    for (int k = 0; k < PES; k++) begin
      count = 0;
      for (int j = 0; j < cols; j++) begin
        ptr[j] = count;
        zeros = 0;
        for (int i = k; i < rows; i += PES) begin
          if (x[i * cols + j] == 0) zeros++;
          else begin
            while (zeros > MAXZ) begin  // padding entry: v = 0, z = MAXZ
              ev[count] = 0; ez[count] = MAXZ; count++;
              zeros -= MAXZ + 1;
            end
            ev[count] = x[i * cols + j]; ez[count] = zeros; count++;
            zeros = 0;
          end
        end
      end
      ptr[cols] = count;
      // Pointer j: bank j % 2, word j / 2 (PTR_BASE 0); absolute entry indices.
      for (int j = 0; j <= cols; j++) request(1, 1, pe_addr(k, ((j % 2) << PTR_AW) | (j / 2)), DATA_W'(ptr[j]));
      // Lines of EPL entries {z, v}, slot s at bits [s ENTRY +: ENTRY].
      for (int e = 0; e < count; e += EPL) begin
        line = '0;
        for (int s = 0; s < EPL; s++) if (e + s < count) line[s*ENTRY +: ENTRY] = ENTRY'((ez[e + s] << CB) | ev[e + s]);
        request(1, 2, pe_addr(k, e / EPL), line);
      end
    end
    if (has_bias) for (int i = 0; i < rows; i++) request(1, 3, pe_addr(i % PES, i / PES), DATA_W'(16'(bias[i])));
    for (int c = 0; c < (1 << CB); c++) request(1, 4, c, DATA_W'(16'(cb[c])));
    request(1, 0, 8, DATA_W'(rows));
    request(1, 0, 9, '0);
    request(1, 0, 10, DATA_W'(shift | (relu << 4) | (has_bias << 5)));
    for (int j = 0; j < cols; j++) if (act[j] != 0) request(1, 5, pe_addr(j % PES, j / PES), DATA_W'(16'(act[j])));
    expect_read(1, pe_addr(0, 0), '0, "a pointer (write-only target)");
    request(1, 0, 2, DATA_W'(1));  // NUM_LAYERS
    request(1, 0, 0, DATA_W'(1));  // start
    // During the run a CSR read is answered (status: busy); an activation read waits, held.
    expect_read(0, 1, DATA_W'(1), "status during the run");
    request(0, 5, pe_addr(0, 0), '0);
    if (busy || !done) $fatal(1, "an activation read was answered during the run");
    if (!$value$plusargs("out=%s", path)) $fatal(1, "no +out");
    fout = $fopen(path, "w");
    for (int i = 0; i < rows; i++) begin
      request(0, 5, pe_addr(i % PES, i / PES), '0);
      if (rdata !== DATA_W'($signed(rdata[15:0]))) $fatal(1, "output %0d not sign-extended: %0h", i, rdata);
      $fwrite(fout, "%0d\n", $signed(rdata[15:0]));
    end
    $fclose(fout);
    $finish;
  end
endmodule
