// accelforge assertion macros (after OpenTitan's prim_assert): one file for
// every design; the generator puts it at the top of each module that uses
// it (the guard keeps one definition per compilation), so a hand-off folder
// needs no include path. Simulation only: synthesis (SYNTHESIS, which Yosys
// defines) sees empty macros; Icarus 11 (__ICARUS__) runs each as an
// always block, all but the multi-cycle ones (AF_ASSERT_HIST).
// A failed assertion stops a Verilator run with its name and instance:
//   %Error: <file>:<line>: Assertion failed in TOP.<instance>.<NAME>: <NAME>
`ifndef AF_ASSERT_SVH
`define AF_ASSERT_SVH

`ifdef SYNTHESIS
`define AF_ASSERT(name, prop, msg = "", clk = clk_i, rst_n = rst_ni)
`define AF_ASSERT_KNOWN(name, sig, clk = clk_i, rst_n = rst_ni)
`define AF_ASSERT_NEVER(name, prop, msg = "", clk = clk_i, rst_n = rst_ni)
`define AF_ASSERT_HIST(name, prop, msg = "", clk = clk_i, rst_n = rst_ni)
`elsif __ICARUS__
// Icarus 11 has no concurrent assertions: the same check as an always block
// at the rising edge (it reads the values from before the edge, as SVA
// samples them; the testbenches change inputs between edges; a property that is
// X fails only through AF_ASSERT_KNOWN, as in two-state SVA), stopping the
// run with the name and instance:
//   FATAL: <file>:<line>: Assertion failed in <instance>.<NAME>: <message>
`define AF_ASSERT(name, prop, msg = "", clk = clk_i, rst_n = rst_ni) \
  always @(posedge clk) if ((rst_n) === 1'b1 && (prop) === 1'b0) \
    $fatal(1, "Assertion failed in %m.%s: %s", `"name`", msg);
`define AF_ASSERT_KNOWN(name, sig, clk = clk_i, rst_n = rst_ni) \
  `AF_ASSERT(name, !$isunknown(sig), "X or Z out of reset", clk, rst_n)
`define AF_ASSERT_NEVER(name, prop, msg = "", clk = clk_i, rst_n = rst_ni) \
  `AF_ASSERT(name, !(prop), msg, clk, rst_n)
// A property over more than one cycle ($past): Icarus 11 has no $past, so
// these run in SVA simulators only.
`define AF_ASSERT_HIST(name, prop, msg = "", clk = clk_i, rst_n = rst_ni)
`else
// A concurrent property that must hold at every rising clock edge out of
// reset; msg (no commas) says what broke.
`define AF_ASSERT(name, prop, msg = "", clk = clk_i, rst_n = rst_ni) \
  name: assert property (@(posedge clk) disable iff (!(rst_n)) (prop)) \
    else $error("%s %s", `"name`", msg);
// A signal that must never be X or Z out of reset (outputs, selects, valids).
`define AF_ASSERT_KNOWN(name, sig, clk = clk_i, rst_n = rst_ni) \
  `AF_ASSERT(name, !$isunknown(sig), "X or Z out of reset", clk, rst_n)
`define AF_ASSERT_NEVER(name, prop, msg = "", clk = clk_i, rst_n = rst_ni) \
  `AF_ASSERT(name, !(prop), msg, clk, rst_n)
// A property over more than one cycle ($past).
`define AF_ASSERT_HIST(name, prop, msg = "", clk = clk_i, rst_n = rst_ni) \
  `AF_ASSERT(name, prop, msg, clk, rst_n)
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
