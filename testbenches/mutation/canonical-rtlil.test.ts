// The canonical netlist text: equal for renumbered private names and for a
// reduction's reordered inputs, different for any change of structure.
import { describe, expect, it } from 'vitest';
import { canonicalRtlil } from './canonical-rtlil.js';

const net = (o: { a?: string; b?: string; red?: string; add?: string; op?: string } = {}) => {
  const a = o.a ?? '$auto$opt.cc:12$101';
  const b = o.b ?? '$and$m.sv:3$7';
  return `autoidx 200
attribute \\top 1
module \\m
  wire width 4 input 1 \\x
  wire width 4 input 2 \\y
  wire output 3 \\z
  wire width 4 output 4 \\s
  wire width 4 ${a}
  wire ${b}
  cell ${o.op ?? '$and'} $and$m.sv:3$${a.length}
    parameter \\A_WIDTH 4
    parameter \\B_WIDTH 4
    parameter \\Y_WIDTH 4
    connect \\A \\x
    connect \\B \\y
    connect \\Y ${a}
  end
  cell $reduce_or $reduce_or$m.sv:4$9
    parameter \\A_WIDTH 5
    connect \\A ${o.red ?? `{ ${a} \\x [0] }`}
    connect \\Y ${b}
  end
  cell $add $add$m.sv:5$10
    connect \\A ${o.add ?? `{ ${a} [1:0] \\y [3:2] }`}
    connect \\B \\x
    connect \\Y \\s
  end
  connect \\z ${b}
end
`;
};

describe('canonicalRtlil', () => {
  it('is the same for the same netlist with its private objects numbered otherwise', () => {
    expect(canonicalRtlil(net({ a: '$auto$opt.cc:12$555', b: '$and$m.sv:9$3' }))).toBe(canonicalRtlil(net()));
  });

  it("is the same when a reduction's input parts come in another order", () => {
    const a = '$auto$opt.cc:12$101';
    expect(canonicalRtlil(net({ red: `{ \\x [0] ${a} }` }))).toBe(canonicalRtlil(net()));
  });

  it('differs for an operator, a moved bit or a reordered concatenation anywhere else', () => {
    const a = '$auto$opt.cc:12$101';
    expect(canonicalRtlil(net({ op: '$or' }))).not.toBe(canonicalRtlil(net()));
    expect(canonicalRtlil(net({ red: `{ ${a} \\x [1] }` }))).not.toBe(canonicalRtlil(net()));
    expect(canonicalRtlil(net({ add: `{ \\y [3:2] ${a} [1:0] }` }))).not.toBe(canonicalRtlil(net()));
  });

  it('renames private objects by structure, keeping public names', () => {
    const t = canonicalRtlil(net());
    expect(t).toContain('wire output 3 \\z');
    expect(t).not.toMatch(/\$auto|\$and\$m\.sv/);
    expect(t).toMatch(/connect \\z \$w\d+/);
  });
});
