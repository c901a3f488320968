import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { generateWs, generateWsArray, wsArrayPorts } from './generate.js';
import { parseWsConfig } from './config.js';
import { designFiles, writeDirAtomic, type Manifest } from '../../core/emit.js';
import { bindings } from '../../scripts/gen-bindings.js';
import { fileURLToPath } from 'node:url';

describe('ws generator', () => {
  const cfg = parseWsConfig({ rows: 3, cols: 5, dataWidth: 6, accWidth: 20, signed: false });
  const d = generateWsArray(cfg);
  const engine = generateWs(cfg);

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

  it('writes .sv files, files.f in dependency order, manifest and binding atomically', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'af-gen-')), 'out');
    writeDirAtomic(dir, await designFiles(engine));
    expect(readFileSync(join(dir, 'files.f'), 'utf8')).toBe('ws_pkg.sv\naf_sram_1r1w.sv\naf_host_port.sv\naf_delay.sv\nws_pe.sv\nws_array.sv\nws_ctrl.sv\nws_acc.sv\nws_engine.sv\n');
    expect(readdirSync(dir).sort()).toEqual(['.accelforge-output.json', 'binding.ts', 'files.f', 'manifest.json', 'ws_engine.core', ...engine.modules.map((m) => `${m.name}.sv`)].sort());
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.top).toBe('ws_engine');
    expect(m.parameters).toEqual({ Rows: 3, Cols: 5, DataWidth: 6, AccWidth: 20, Signed: false, ADepth: 16384, BDepth: 16384, AccDepth: 16384 });
    // Host data carries the widest buffer row: 5 x 20-bit accumulators.
    expect(m.ports.find((p) => p.name === 'host_req_wdata_i')).toMatchObject({ direction: 'input', width: 100 });
    expect(m.ports.find((p) => p.name === 'host_req_addr_i')).toMatchObject({ width: 14 });
    expect(readFileSync(join(dir, 'binding.ts'), 'utf8')).toContain("host_rsp_rdata_o: { name: 'host_rsp_rdata_o', direction: 'output', width: 100, dims: [100] }");
    const arr = await designFiles(d);
    expect(JSON.parse(arr.get('manifest.json')!).ports.find((p: { name: string }) => p.name === 'a_data_i')).toMatchObject({ width: 18, dims: [3, 6] });
    // Regenerating replaces the folder as a whole: files of the earlier generation do not survive.
    writeDirAtomic(dir, new Map([['stale.sv', '']]));
    writeDirAtomic(dir, await designFiles(engine));
    expect(existsSync(join(dir, 'stale.sv'))).toBe(false);
    // A file the user put there is not accelforge's: refused, and kept.
    writeFileSync(join(dir, 'mine.sv'), 'x');
    await expect(async () => writeDirAtomic(dir, await designFiles(engine))).rejects.toThrow(/mine\.sv/);
    expect(existsSync(join(dir, 'mine.sv'))).toBe(true);
    expect(readdirSync(join(dir, '..')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('keeps the committed testbench bindings in step with the generators', () => {
    for (const b of bindings) {
      const path = fileURLToPath(new URL(b.path, new URL('../../scripts/gen-bindings.ts', import.meta.url)));
      expect(readFileSync(path, 'utf8')).toBe(b.make());
    }
  });
});
