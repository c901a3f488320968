// The CLI contract (../shared/spec/cli.md), driven as an outside tool would.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../../testbenches/support/cli.js';
import { gemm } from '../../golden/common/gemm.js';
import { conv, convShape } from '../../golden/rs/golden.js';
import { mapConv } from '../../golden/rs/mapper.js';
import { rsPresets } from '../../golden/rs/config.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'af-cli-'));

function expectUsageError(r: { code: number; stderr: string }, ...parts: string[]) {
  expect(r.code).toBe(2);
  for (const p of parts) expect(r.stderr).toContain(p);
  expect(r.stderr).not.toMatch(/\n\s+at .*\(/); // no stack trace
}

describe('accelforge CLI', () => {
  it('generate writes the RTL, files.f, manifest and binding', async () => {
    const out = join(tmp(), 'rtl');
    const r = await cli(['generate', 'ws', '--config', 'ws-4x4', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      '.accelforge-output.json',
      'af_delay.sv',
      'af_host_port.sv',
      'af_sram_1r1w.sv',
      'binding.ts',
      'datasheet.md',
      'files.f',
      'icarus.cmd',
      'manifest.json',
      'ws_array.sv',
      'ws_convaddr.sv',
      'ws_counters.sv',
      'ws_csr.sv',
      'ws_ctrl.sv',
      'ws_engine.core',
      'ws_engine.sv',
      'ws_out.sv',
      'ws_pe.sv',
      'ws_pkg.sv',
      'ws_tile.sv',
      'ws_wsout.sv',
      'ws_wsseq.sv',
      'yosys.tcl',
    ]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.top).toBe('ws_engine');
    expect(m.parameters.Rows).toBe(4);
  });

  it('run writes what the RTL computed and verify passes', async () => {
    const dir = tmp();
    const input = {
      a: [
        [1, -2, 3],
        [4, 5, -6],
      ],
      b: [
        [7, 8],
        [9, -10],
        [11, 12],
      ],
      d: [
        [1000, -1000],
        [0, 1],
      ],
      relu: true,
    };
    writeFileSync(join(dir, 'in.json'), JSON.stringify(input));
    const r = await cli([
      'run',
      'ws',
      '--config',
      'ws-4x4',
      '--input',
      join(dir, 'in.json'),
      '--output',
      join(dir, 'out.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    const big = (m: number[][]) => m.map((row) => row.map(BigInt));
    const want = gemm(
      { dataWidth: 8, accWidth: 32, signed: true },
      { a: big(input.a), b: big(input.b), d: big(input.d), relu: true },
    );
    expect(o.c).toEqual(want.map((row) => row.map(Number)));
    // One tile, M = 2 < R: weight-load bound (golden/gemm/cycles.ts), and the RTL's counters agree.
    expect(o.cycles).toBe(o.modelCycles);
    expect(o.cycles).toBe(1 + 2 + 4 + 4 + 1);
    expect(o.counters.macs).toBe(2 * 3 * 2);
    const v = await cli(['verify', 'ws', '--config', 'ws-4x4', '--seed', '11', '--cases', '3']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout.match(/^PASS case/gm)).toHaveLength(3);
    expect(v.stdout).toContain('3 passed, 0 failed');
    // A few cases build in the fast-build profile, many in fast-sim; the variable overrides both.
    expect(v.stdout).toContain('cases from seed 11, profile fast-build');
    const many = await cli(['verify', 'ws', '--config', 'ws-4x4', '--seed', '11', '--cases', '17']);
    expect(many.stdout).toContain('17 cases from seed 11, profile fast-sim');
    expect(many.stdout).toContain('17 passed, 0 failed');
    const forced = await cli(['verify', 'ws', '--config', 'ws-4x4', '--seed', '11', '--cases', '1'], {
      ACCELFORGE_BUILD_PROFILE: 'fast-sim',
    });
    expect(forced.stdout).toContain('profile fast-sim');
  });

  it('run rs: the ofmap the RTL wrote, its cycles, counters and energy; a layer that cannot fit is exit 2', async () => {
    const dir = tmp();
    const input = {
      ifmap: [
        [
          [
            [1, -2, 3, 4],
            [5, 6, -7, 8],
            [9, 10, 11, -12],
          ],
          [
            [0, 1, 0, 1],
            [1, 0, 1, 0],
            [2, 2, 2, 2],
          ],
        ],
      ],
      filters: [
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [-1, 0],
            [0, 1],
          ],
        ],
        [
          [
            [5, -6],
            [7, 8],
          ],
          [
            [1, 1],
            [1, 1],
          ],
        ],
        [
          [
            [0, 0],
            [0, -1],
          ],
          [
            [2, 0],
            [0, 2],
          ],
        ],
      ],
      bias: [10, -20, 300],
      stride: 1,
      padding: 1,
      relu: true,
    };
    writeFileSync(join(dir, 'in.json'), JSON.stringify(input));
    const r = await cli([
      'run',
      'rs',
      '--config',
      'rs-4x4',
      '--input',
      join(dir, 'in.json'),
      '--output',
      join(dir, 'out.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    const want = conv(32, { ...input, bias: input.bias.map(BigInt) });
    expect(o.ofmap).toEqual(want.map((a) => a.map((b) => b.map((c) => c.map(Number)))));
    expect(o.cycles).toBe(o.counters.cycles);
    expect(o.macs).toBe(3 * 2 * 2 * 2 * 4 * 5);
    expect(o.energy.total).toBeGreaterThan(o.energy.mac);
    // The energy objective: the mapper's energy-minimal mapping, same ofmap.
    const e = await cli([
      'run',
      'rs',
      '--config',
      'rs-4x4',
      '--input',
      join(dir, 'in.json'),
      '--output',
      join(dir, 'out-e.json'),
      '--objective',
      'energy',
    ]);
    expect(e.code, e.stderr).toBe(0);
    const oe = JSON.parse(readFileSync(join(dir, 'out-e.json'), 'utf8'));
    expect(oe.ofmap).toEqual(o.ofmap);
    const sh = convShape({ ...input, bias: input.bias.map(BigInt) });
    expect(oe.mapping).toEqual(mapConv(rsPresets['rs-4x4']!, sh, true, 'energy'));
    expect(oe.energy.total).toBeLessThanOrEqual(o.energy.total);
    writeFileSync(
      join(dir, 'wide.json'),
      JSON.stringify({
        ...input,
        filters: input.filters.map((f) => f.map((c) => c.map((row) => [...row, ...Array(11).fill(0)]))),
        padding: 7,
      }),
    );
    expectUsageError(
      await cli([
        'run',
        'rs',
        '--config',
        'rs-4x4',
        '--input',
        join(dir, 'wide.json'),
        '--output',
        join(dir, 'o2.json'),
      ]),
      'filter width S=13',
      'ifmapSpad is 12',
    );
    expect(existsSync(join(dir, 'o2.json'))).toBe(false);
  });

  // A fault build per PE: test:full (npm test injects faults through the API: testbenches/*/fault.cosim.test.ts).
  it.runIf(Boolean(process.env.ACCELFORGE_FULL))(
    'verify --inject-fault fails (exit 1), names the PE, writes artifacts that waves reprints (test:full only)',
    async () => {
      const art = tmp();
      // The same fault as the first case of fault-ws.test.ts, so the two share their builds.
      const verifyArgs = [
        'verify',
        'ws',
        '--config',
        'ws-4x4',
        '--seed',
        '2',
        '--cases',
        '1',
        '--inject-fault',
        'pe[0][0]:bit1',
        '--artifacts',
        art,
      ];
      const v = await cli(verifyArgs);
      expect(v.code, v.stderr).toBe(1);
      expect(v.stdout).toMatch(/^FAIL case 1\/1 seed 2 /m);
      expect(v.stdout).toContain('injected fault pe[0][0]:bit1');
      expect(v.stdout).toContain('trace: PE (0, 0)');
      expect(v.stdout).toContain(
        "reproduce: npx accelforge verify ws --config ws-4x4 --seed 2 --cases 1 --inject-fault 'pe[0][0]:bit1'",
      );
      const dir = readdirSync(art).find((d) => d.startsWith('ws-'))!;
      expect(readdirSync(join(art, dir)).sort()).toEqual([
        '.accelforge-output.json',
        'report.json',
        'report.txt',
        'waves.fst',
        'waves.gtkw',
        'waves.svg',
        'waves.vcd',
      ]);
      const w = await cli(['waves', join(art, dir)]);
      expect(w.code).toBe(0);
      expect(w.stdout).toContain('trace: PE (0, 0)');
      expect(w.stdout).toContain(`gtkwave ${join(art, dir, 'waves.gtkw')}`);
      // The same failure folder, now holding a user's file and no marker: not replaced, and the
      // failure is still reported (FAIL line, reproduce command, exit 1); no --force is suggested.
      rmSync(join(art, dir), { recursive: true });
      mkdirSync(join(art, dir));
      writeFileSync(join(art, dir, 'notes.txt'), 'mine');
      const again = await cli(verifyArgs);
      expect(again.code, again.stderr).toBe(1);
      expect(again.stdout).toMatch(/^FAIL case 1\/1 seed 2 /m);
      expect(again.stdout).toContain('no failure folder written');
      expect(again.stdout).toContain('give a new or empty folder');
      expect(again.stdout).not.toContain('--force');
      expect(again.stdout).toContain(
        "reproduce: npx accelforge verify ws --config ws-4x4 --seed 2 --cases 1 --inject-fault 'pe[0][0]:bit1'",
      );
      expect(readdirSync(join(art, dir))).toEqual(['notes.txt']);
    },
  );
});
