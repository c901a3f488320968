// accelforge assertion macros (after OpenTitan's prim_assert): one file for
// every design; the generator puts it at the top of each module that uses
// it (the guard keeps one definition per compilation), so a hand-off folder
// needs no include path. Simulation only: synthesis (SYNTHESIS, which Yosys
// defines) and Icarus 11 (no concurrent assertions; __ICARUS__) see empty
// macros, except the parameter checks, which Icarus runs at time 0.
// A failed assertion stops a Verilator run with its name and instance:
//   %Error: <file>:<line>: Assertion failed in TOP.<instance>.<NAME>: <NAME>
`ifndef AF_ASSERT_SVH
`define AF_ASSERT_SVH

`ifdef SYNTHESIS
`define AF_NO_SVA
`elsif __ICARUS__
`define AF_NO_SVA
`endif

`ifdef AF_NO_SVA
`define AF_ASSERT(name, prop, msg = "", clk = clk_i, rst_n = rst_ni)
`define AF_ASSERT_KNOWN(name, sig, clk = clk_i, rst_n = rst_ni)
`define AF_ASSERT_NEVER(name, prop, msg = "", clk = clk_i, rst_n = rst_ni)
`else
// A concurrent property that must hold at every rising clock edge out of
// reset; msg (no commas) says what broke.
`define AF_ASSERT(name, prop, msg = "", clk = clk_i, rst_n = rst_ni) \
  name: assert property (@(posedge clk) disable iff (!(rst_n)) (prop)) \
    else $error("%s %s", `"name`", msg);
// A signal that must never be X or Z out of reset (outputs, selects, valids).
`define AF_ASSERT_KNOWN(name, sig, clk = clk_i, rst_n = rst_ni) \
  `AF_ASSERT(name, !$isunknown(sig), "X or Z out of reset", clk, rst_n)
// A condition that must never be true out of reset.
`define AF_ASSERT_NEVER(name, prop, msg = "", clk = clk_i, rst_n = rst_ni) \
  `AF_ASSERT(name, !(prop), msg, clk, rst_n)
`endif

// A parameter check at elaboration (time 0 in simulation): a configuration
// the module cannot implement stops the run with the reason.
`ifdef SYNTHESIS
`define AF_ASSERT_PARAM(name, cond)
`else
`define AF_ASSERT_PARAM(name, cond) \
  initial begin : name \
    if (!(cond)) $fatal(1, "%m: parameter check %s failed", `"name`"); \
  end
`endif

`endif  // AF_ASSERT_SVH
