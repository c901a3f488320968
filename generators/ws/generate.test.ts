import { describe, expect, it } from 'vitest';
import { generateWsArray, wsArrayPorts } from './generate.js';
import { parseWsConfig } from '../../golden/ws/config.js';

describe('ws generator', () => {
  const cfg = parseWsConfig({ rows: 3, cols: 5, dataWidth: 6, accWidth: 20, signed: false });
  const d = generateWsArray(cfg);

  it('bakes the config into parameter defaults and names PE scopes by coordinate', () => {
    const top = d.modules.find((m) => m.name === 'ws_array')!.text;
    expect(top).toMatch(/parameter int Rows\s+= 3,/);
    expect(top).toMatch(/parameter int Cols\s+= 5,/);
    expect(top).toMatch(/parameter bit\s+Signed\s+= 1'b0/);
    expect(top).toContain('begin : gen_row');
    expect(top).toContain('begin : gen_col');
    expect(top).toContain('ws_pe #(');
    const pe = d.modules.find((m) => m.name === 'ws_pe')!.text;
    expect(pe).toContain('always_ff @(posedge clk_i or negedge rst_ni)');
    expect(pe).toContain('{{DataWidth{Signed & a_i[DataWidth-1]}}, a_i}'); // not HTML-escaped, braces kept
    expect(pe).not.toMatch(/&amp;|&lt;|&#x3D;/);
  });

  it('declares every port of the port model, with lowRISC suffixes', () => {
    const top = d.modules.find((m) => m.name === 'ws_array')!.text;
    for (const p of wsArrayPorts(cfg)) {
      expect(top).toContain(`${p.decl}${p.name}`);
      expect(p.name).toMatch(p.direction === 'input' ? /_n?i$/ : /_o$/);
    }
    expect(wsArrayPorts(cfg).find((p) => p.name === 'psum_i')!.width).toBe(5 * 20);
  });
});
