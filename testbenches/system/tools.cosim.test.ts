// Every preset of every design as generated, through every tool here:
// Verilator 5.006 -Wall (no warning), Icarus Verilog 11 (compiles with its
// testbench), Debian's Yosys 0.23 (read_verilog -sv, hierarchy, proc, no
// latch, check -assert). Constructs the
// older tools reject (multi-dimensional packed arrays, `parameter int
// unsigned`) are kept out of the RTL; this test keeps them out.
import { describe, expect, it } from 'vitest';
import { designs } from '../registry.js';
import type { AnyDesign } from '../plugin.js';
import { tools } from '../tools/sim.js';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { designFiles } from '../../generators/common/emit.js';
import { writeDirAtomic } from '../common/output.js';

const full = !!process.env.ACCELFORGE_FULL;
// npm test: the small presets; test:full: every preset. The fourth tool, the
// npm Yosys, is toolchain/yosys/synth.cosim.test.ts (small presets in npm
// test, every preset in test:full: eie-64pe alone takes about 13 minutes there).
const small = new Set(['ws-4x4', 'rs-4x4', 'eie-4pe', 'os-4x4']);

for (const d of designs as AnyDesign[]) {
  describe(`${d.name}: the generated RTL in every tool`, () => {
    for (const [preset, cfg] of Object.entries(d.presets).filter(([n]) => full || small.has(n))) {
      it(`${preset}: Verilator -Wall, Icarus 11, Yosys 0.23`, { timeout: 1_800_000 }, async () => {
        const design = d.generate(cfg);
        // Each tool's own check: Verilator -Wall lint, Icarus compile, Yosys 0.23 front end.
        for (const tool of tools) await tool.check(design);
        // Icarus: the design with its testbench compiles (run comparisons: simulators.cosim.test.ts).
        const p = d.randomCase(cfg, 1);
        await expect(
          d
            .simulate(cfg, p.problem, { design, sim: 'icarus', maxCycles: 1 })
            .catch((e: Error) => (e.name === 'SimTimeoutError' ? 'ran' : Promise.reject(e))),
        ).resolves.toBeDefined();
      });
      it(
        `${preset}: the generated folder compiles from its lists in another folder (verilator -F, iverilog -c, yosys -c)`,
        { timeout: 600_000 },
        async () => {
          const tmp = mkdtempSync(join(tmpdir(), 'accelforge-handoff-'));
          try {
            const design = d.generate(cfg);
            const out = join(tmp, 'rtl');
            writeDirAtomic(out, await designFiles(design, d.datasheet(cfg)));
            const v = await execa(
              'verilator',
              ['--lint-only', '-Wall', '-F', join(out, 'files.f'), '--top-module', design.top],
              { cwd: tmp, reject: false, all: true },
            );
            expect(v.exitCode, String(v.all)).toBe(0);
            // Icarus and Yosys from another folder too, with their own lists (issue 30).
            const i = await execa(
              'iverilog',
              ['-g2012', '-s', design.top, '-o', join(tmp, 'x.vvp'), '-c', join(out, 'icarus.cmd')],
              { cwd: tmp, env: { AF_RTL: out }, reject: false, all: true },
            );
            expect(i.exitCode, String(i.all)).toBe(0);
            expect(existsSync(join(tmp, 'x.vvp'))).toBe(true);
            const y = await execa(
              'yosys',
              ['-q', '-c', join(out, 'yosys.tcl'), '-p', 'proc; check -assert; tee -q -o stat.txt stat'],
              { cwd: tmp, reject: false, all: true },
            );
            expect(y.exitCode, String(y.all)).toBe(0);
            expect(readFileSync(join(tmp, 'stat.txt'), 'utf8')).toContain(design.top);
            // A testbench declaring its own `timescale compiles with the package (which declares none).
            writeFileSync(join(tmp, 'tb.sv'), '`timescale 1ns / 1ps\nmodule tb;\n  initial $finish;\nendmodule\n');
            const tv = await execa(
              'verilator',
              ['--lint-only', join(tmp, 'tb.sv'), '-F', join(out, 'files.f'), '--top-module', design.top],
              { cwd: tmp, reject: false, all: true },
            );
            expect(tv.exitCode, String(tv.all)).toBe(0);
            const ti = await execa(
              'iverilog',
              ['-g2012', '-o', join(tmp, 'tb.vvp'), join(tmp, 'tb.sv'), '-c', join(out, 'icarus.cmd')],
              { cwd: tmp, env: { AF_RTL: out }, reject: false, all: true },
            );
            expect(ti.exitCode, String(ti.all)).toBe(0);
          } finally {
            rmSync(tmp, { recursive: true, force: true });
          }
        },
      );
    }
  });
}
