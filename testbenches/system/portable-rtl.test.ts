// Fast guards (no tools) for the constructs the older tools reject, over
// every preset's generated modules: Icarus 11 rejects `parameter int
// unsigned`; Debian's Yosys 0.23 rejects multi-dimensional packed arrays.
// test/tools.cosim.test.ts runs the tools themselves.
import { describe, expect, it } from 'vitest';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';

describe('portable RTL', () => {
  for (const d of designs as AnyDesign[]) {
    for (const [preset, cfg] of Object.entries(d.presets)) {
      it(`${d.name} ${preset}: no 'int unsigned' parameters, no multi-dimensional packed arrays`, () => {
        for (const m of d.generate(cfg).modules) {
          expect(m.text, m.name).not.toMatch(/\b(parameter|localparam)\s+int\s+unsigned\b/);
          // A packed range directly followed by another packed range before the name.
          expect(m.text, m.name).not.toMatch(
            /\b(logic|bit|reg|wire)\s*(signed\s*)?\[[^\]]*\]\s*\[[^\]]*\]\s*[A-Za-z_]/,
          );
        }
      });
    }
  }
});
