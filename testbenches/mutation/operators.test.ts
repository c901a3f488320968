import { describe, expect, it } from 'vitest';
import { tokenize } from './sv-tokens.js';
import { applyMutation, mutationPoints } from './operators.js';
import { parseSrcLines } from './elaborated.js';
import { mutationDiff, sample } from './run.js';
import { explainSurvivor, reloadedOnStart, survivorReasons } from './survivors.js';

const mod = `module m #(
  parameter int W = 8
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic en_i,
  input  logic [W-1:0] a_i,
  output logic [W-1:0] q_o
);
  // a + b in a comment is not code
  logic [W-1:0] x_q, x_d;
  assign x_d = en_i ? a_i + 8'd1 : x_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      x_q <= '0;
    end else if (en_i) begin
      x_q <= x_d;
    end
  end
  assign q_o = (x_q <= a_i) ? x_q[W-1:0] : W'(a_i - 1);
  \`AF_ASSERT_NEVER(Never, x_q == 8'hFF && en_i)
endmodule
`;

describe('SystemVerilog tokens', () => {
  it('skips comments, directives and macro calls, and keeps offsets and lines', () => {
    const t = tokenize("// c\n`ifdef X\nassign a = b + 8'hF0; /* x */ `M(a, (b))\n");
    expect(t.map((k) => k.text)).toEqual(['assign', 'a', '=', 'b', '+', "8'hF0", ';']);
    expect(t[0]!.line).toBe(3);
    expect(t[4]!.kind).toBe('op');
    expect(t[5]!.kind).toBe('num');
  });
});

describe('mutation operators', () => {
  const points = mutationPoints('m', mod);
  const whats = points.map((p) => `${p.line} ${p.kind} ${p.what}`);

  it('finds each kind where a designer would slip, and nothing in the header, comments or assertions', () => {
    expect(whats).toEqual(
      expect.arrayContaining([
        '12 mux mux inputs swapped',
        '12 operator `+` -> `-`',
        "15 reset reset value of x_q: '0 -> '1",
        '16 enable enable `en_i` dropped (always on)',
        '17 stuck-at bit 0 of x_q stuck at 0',
        '17 stuck-at bit 0 of x_q stuck at 1',
        '20 bound `<=` -> `<`',
        '20 bound `- 1` -> `- 2`',
        '20 operator `-` -> `+`',
        '14 operator `!` dropped',
      ]),
    );
    // The header (W-1 in the port list), the comment, the declaration and the assertion are not mutated.
    expect(points.every((p) => p.line >= 12 && p.line <= 20)).toBe(true);
    // The non-blocking `<=` of line 17 is an assignment, not a comparison.
    expect(whats.filter((w) => w.startsWith('17 bound'))).toEqual([]);
    // In a select, W-1 becomes W-2 (a bound), never W+1.
    expect(whats).toContain('20 bound `- 1` -> `- 2`');
    expect(points.filter((p) => p.line === 20 && p.kind === 'operator' && p.what === '`-` -> `+`')).toHaveLength(1);
  });

  it('applies one edit, and the diff shows the line before and after', () => {
    const mux = points.find((p) => p.kind === 'mux' && p.line === 20)!;
    const text = applyMutation(mod, mux);
    expect(text.split('\n')[19]).toBe("  assign q_o = (x_q <= a_i) ? W'(a_i - 1) : x_q[W-1:0];");
    expect(mutationDiff(mod, mux).split('\n')).toEqual([
      'm.sv:20',
      "-   assign q_o = (x_q <= a_i) ? x_q[W-1:0] : W'(a_i - 1);",
      "+   assign q_o = (x_q <= a_i) ? W'(a_i - 1) : x_q[W-1:0];",
    ]);
    const stuck = points.find((p) => p.what === 'bit 0 of x_q stuck at 1')!;
    expect(applyMutation(mod, stuck).split('\n')[16]).toBe('      x_q <= (x_d) | 1;');
  });

  it('samples deterministically by seed', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    expect(sample(xs, 10, 3)).toEqual(sample(xs, 10, 3));
    expect(sample(xs, 10, 3)).not.toEqual(sample(xs, 10, 4));
    expect(new Set(sample(xs, undefined, 1)).size).toBe(50);
  });
});

describe('elaborated lines', () => {
  it('takes the src ranges of wires, cells and processes, not of modules', () => {
    const il = [
      'attribute \\src "m.sv:1.1-30.10"',
      'module \\m',
      '  attribute \\src "m.sv:12.3-12.40"',
      '  wire \\x_d',
      '  attribute \\keep 1',
      '  attribute \\src "m.sv:13.3-15.6|n.sv:4.1-4.9"',
      '  cell $add $1',
    ].join('\n');
    const l = parseSrcLines(il);
    expect([...l.get('m.sv')!].sort((a, b) => a - b)).toEqual([12, 13, 14, 15]);
    expect([...l.get('n.sv')!]).toEqual([4]);
  });
});

describe('survivor reasons', () => {
  it('every written reason names a real design and module kind, and matches by line', () => {
    for (const r of survivorReasons) {
      expect(['ws', 'os', 'rs', 'eie', '*']).toContain(r.design);
      expect(r.reason.length).toBeGreaterThan(20);
    }
    const p = mutationPoints('m', mod).find((x) => x.kind === 'reset')!;
    expect(explainSurvivor('nope', p, mod)).toBeUndefined();
  });
});

describe('elaboration-time expressions', () => {
  it('leaves cast widths and $clog2 arguments alone', () => {
    const text =
      "module c (input logic [3:0] a_i, output logic [7:0] y_o);\n  assign y_o = (W+1)'(a_i) + 8'($clog2(N + 1)) + 32'(a_i);\nendmodule\n";
    const whats = mutationPoints('c', text).map((p) => p.what);
    // Only the two additions between the casts are logic.
    expect(whats).toEqual(['`+` -> `-`', '`+` -> `-`']);
  });
});

describe('survivors explained from the source', () => {
  it('finds a reset value the start branch reloads, and not one it leaves', () => {
    const text = [
      'always_ff @(posedge clk_i or negedge rst_ni) begin',
      '  if (!rst_ni) begin',
      "    a_q <= '0; b_q <= '0;",
      "    c_q <= '0;",
      '  end else if (start_i) begin',
      "    a_q <= '0;",
      '  end else begin',
      '    c_q <= c_d;',
      '  end',
      'end',
    ].join('\n');
    expect(reloadedOnStart(text, { line: 3, kind: 'reset', what: "reset value of a_q: '0 -> '1" })).toBe(6);
    expect(reloadedOnStart(text, { line: 3, kind: 'reset', what: "reset value of b_q: '0 -> '1" })).toBeUndefined();
    expect(reloadedOnStart(text, { line: 4, kind: 'reset', what: "reset value of c_q: '0 -> '1" })).toBeUndefined();
  });
});
