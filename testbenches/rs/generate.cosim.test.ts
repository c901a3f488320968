import { describe, expect, it } from 'vitest';
import { generateRs } from '../../generators/rs/generate.js';
import { parseRsConfig, rsPresets } from '../../golden/rs/config.js';
import { lint } from '../tools/verilator/runner.js';

describe('rs generator', () => {
  it.each([
    ['rs-4x4', rsPresets['rs-4x4']!],
    ['eyeriss', rsPresets.eyeriss!],
    [
      '1 x 1 PE, 1-entry spads, 4-bit data',
      parseRsConfig({
        peRows: 1,
        peCols: 1,
        dataWidth: 2,
        accWidth: 4,
        ifmapSpad: 1,
        filterSpad: 1,
        psumSpad: 1,
        glbBytes: 256,
      }),
    ],
    ['3 x 5 PEs, 48-bit psums', parseRsConfig({ peRows: 3, peCols: 5, accWidth: 48 })],
  ])('%s is -Wall clean with PE scopes gen_row[a].gen_col[b]', async (_n, cfg) => {
    const d = generateRs(cfg);
    await lint(d);
    expect(d.modules.at(-1)!.name).toBe('rs_engine');
    const top = d.modules.find((m) => m.name === 'rs_array')!.text;
    expect(top).toContain('for (genvar a = 0; a < PeRows; a++) begin : gen_row');
    expect(top).toContain('for (genvar b = 0; b < PeCols; b++) begin : gen_col');
    expect(d.parameters.PeRows).toBe(cfg.peRows);
  });
  it('refuses bad keys with the key, value and range', () => {
    expect(() => parseRsConfig({ peRows: 40 })).toThrow("key 'peRows' has value 40");
    expect(() => parseRsConfig({ dataWidth: 16, accWidth: 24 })).toThrow(
      "key 'accWidth' has value 24; allowed: an integer from 32",
    );
  });
});
