// A generated design written as a folder: every file, files.f in dependency
// order, the manifest's widths, and the folder replaced as a whole (never
// over a file accelforge did not write).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { generateGemm, generateGemmArray } from '../../generators/gemm/generate.js';
import { parseWsConfig } from '../../golden/gemm/config.js';
import { designFiles, type Manifest } from '../../generators/common/emit.js';
import { writeDirAtomic } from '../common/output.js';

describe('a generated design on disk', () => {
  const cfg = parseWsConfig({ rows: 3, cols: 5, dataWidth: 6, accWidth: 20, signed: false });
  const d = generateGemmArray('ws', cfg);
  const engine = generateGemm('ws', cfg);

  it('writes .sv files, files.f in dependency order, manifest and binding atomically', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'af-gen-')), 'out');
    writeDirAtomic(dir, await designFiles(engine));
    expect(readFileSync(join(dir, 'files.f'), 'utf8')).toBe(
      'ws_pkg.sv\naf_sram_1r1w.sv\naf_host_port.sv\naf_delay.sv\nws_pe.sv\nws_tile.sv\nws_array.sv\nws_convaddr.sv\nws_wsseq.sv\nws_wsout.sv\nws_ctrl.sv\nws_out.sv\nws_counters.sv\nws_csr.sv\nws_engine.sv\n',
    );
    expect(readdirSync(dir).sort()).toEqual(
      [
        '.accelforge-output.json',
        'binding.ts',
        'files.f',
        'icarus.cmd',
        'manifest.json',
        'ws_engine.core',
        'yosys.tcl',
        ...engine.modules.map((m) => `${m.name}.sv`),
      ].sort(),
    );
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.top).toBe('ws_engine');
    expect(m.parameters).toEqual({
      Rows: 3,
      Cols: 5,
      DataWidth: 6,
      AccWidth: 20,
      Signed: false,
      ADepth: 16384,
      BDepth: 16384,
      AccDepth: 16384,
      Dataflow: 0,
    });
    // Host data carries the widest buffer row: 5 x 20-bit accumulators.
    expect(m.ports.find((p) => p.name === 'host_req_wdata_i')).toMatchObject({ direction: 'input', width: 100 });
    expect(m.ports.find((p) => p.name === 'host_req_addr_i')).toMatchObject({ width: 14 });
    expect(readFileSync(join(dir, 'binding.ts'), 'utf8')).toContain(
      "host_rsp_rdata_o: { name: 'host_rsp_rdata_o', direction: 'output', width: 100, dims: [100] }",
    );
    const arr = await designFiles(d);
    expect(
      JSON.parse(arr.get('manifest.json')!).ports.find((p: { name: string }) => p.name === 'a_data_i'),
    ).toMatchObject({ width: 18, dims: [3, 6] });
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
});
