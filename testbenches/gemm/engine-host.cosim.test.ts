// The systolic engines' host interface and their corners: results and
// compute cycles independent of the host's timing, a reset in the middle of
// a run, accumulator reads held while busy, CSR read-back (CTRL's dataflow
// bit, the dataflows CSR); os tiles shorter than 2R - 1 steps and passes
// through small buffers; an array of both running one problem in each
// dataflow, and switching dataflow between runs of one program.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { osPresets, parseOsConfig, parseWsConfig, type Dataflow, type GemmConfig } from '../../golden/gemm/config.js';
import { gemm, randomGemmProblem } from '../../golden/common/gemm.js';
import { Random } from '../../golden/common/random.js';
import { passCycles } from '../../golden/gemm/cycles.js';
import { planPasses } from '../../golden/gemm/mapper.js';
import { Csr, Sel, counterNames } from '../../golden/gemm/interface.js';
import { buildGemmEngine, runGemmEngine } from './sim.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { gemmProgram } from './host.js';
import { runSim } from '../tools/verilator/runner.js';
import { parseHostOutput, unpackRow } from '../common/host-program.js';
import { testSeed } from '../support/cli.js';
import { registerFailureCapture } from '../support/failure.js';
import { expectExact } from './exact.js';

const seed = testSeed();
console.log(`systolic host-interface seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
registerFailureCapture();
const testFile = 'testbenches/gemm/engine-host.cosim.test.ts';

/** Runs a raw host program on an engine; the answers to its reads and the marks. */
async function rawRun(name: Dataflow, cfg: GemmConfig, program: string) {
  const b = await buildGemmEngine(name, cfg);
  const dir = mkdtempSync(join(tmpdir(), 'af-host-'));
  writeFileSync(join(dir, 'p.txt'), program);
  await runSim(b, { plusargs: { in: join(dir, 'p.txt'), out: join(dir, 'o.txt') } });
  return parseHostOutput(readFileSync(join(dir, 'o.txt'), 'utf8'));
}

const program = (cfg: GemmConfig, df: Dataflow, p: ReturnType<typeof randomGemmProblem>) =>
  gemmProgram(cfg, df, p, planPasses(cfg, df, p.a.length, p.b.length, p.b[0]!.length));

for (const [name, df] of [
  ['ws', 'ws'],
  ['os', 'os'],
] as const) {
  describe(`${name} engine host interface`, () => {
    const cfg =
      name === 'ws'
        ? parseWsConfig({ rows: 3, cols: 4, aDepth: 64, bDepth: 64, accDepth: 64 })
        : parseOsConfig({ rows: 3, cols: 4, aDepth: 64, bDepth: 64, accDepth: 64 });

    it('gives the same results and compute cycles whatever the host timing', async () => {
      const p = randomGemmProblem(cfg, { m: 11, k: 10, n: 9 }, new Random(seed), { d: true });
      const calm = await runGemmEngine(name, cfg, df, p);
      const busy = await runGemmEngine(name, cfg, df, p, { stallPermille: 700, seed: seed + 1 });
      expect(busy.c).toEqual(calm.c);
      expect(busy.cycles).toBe(calm.cycles);
      expect(busy.totalCycles).toBeGreaterThan(calm.totalCycles);
    });

    it('computes the right answer for a new GEMM after a reset in the middle of one', async () => {
      const rng = new Random(seed + 99);
      const p1 = randomGemmProblem(cfg, { m: 9, k: 12, n: 8 }, rng, { d: true });
      const p2 = randomGemmProblem(cfg, { m: 7, k: 5, n: 6 }, rng, { relu: true });
      const prog1 = program(cfg, df, p1).split('\n');
      const started = prog1.findIndex((l) => l.startsWith(`W ${Sel.csr} ${Csr.ctrl} `));
      const interrupted = [...prog1.slice(0, started + 1), 'IDLE 7', 'RESET'].join('\n') + '\n';
      const r = await runGemmEngine(name, cfg, df, p2, { program: interrupted + program(cfg, df, p2) });
      await expectExact(cfg, p2, r, 'after reset', { name, seed, testFile });
    });

    it('holds accumulator reads until the engine is idle and reads back CSRs', async () => {
      const p = randomGemmProblem(cfg, { m: 6, k: 6, n: 4 }, new Random(seed + 5));
      const normal = program(cfg, df, p).split('\n');
      const start = normal.findIndex((l) => l.startsWith(`W ${Sel.csr} ${Csr.ctrl} `));
      // Read ACC row 0 right after start (no WAIT): the port is not ready until done.
      const reads = [
        `R ${Sel.acc} 0`,
        `R ${Sel.csr} ${Csr.status}`,
        `R ${Sel.csr} ${Csr.m}`,
        `R ${Sel.csr} ${Csr.k}`,
        `R ${Sel.csr} ${Csr.ctrl}`,
        `R ${Sel.csr} ${Csr.dataflows}`,
      ];
      const out = await rawRun(name, cfg, [...normal.slice(0, start + 1), ...reads, 'MARK end'].join('\n') + '\n');
      const row0 = Array.from({ length: 4 }, (_, c) =>
        BigInt.asIntN(32, (out.reads[0]! >> BigInt(32 * c)) & 0xffffffffn),
      );
      expect(row0).toEqual(gemm(cfg, p)[0]);
      expect(out.reads.slice(1, 4)).toEqual([2n, 6n, 6n]); // done, not busy; M; K
      expect(out.reads[4]! >> 3n).toBe(df === 'os' ? 1n : 0n); // CTRL bit 3: the dataflow of the run
      expect(out.reads[5]).toBe(df === 'ws' ? 1n : 2n);
      expect(out.marks.end! - out.marks.start0!).toBeGreaterThan(passCycles(cfg, df, { m: 6, k: 6, n: 4 }));
    });

    it('a checked run fails a design that takes buffer writes for CSR writes; unchanged, it passes', async () => {
      const design = generateGemm(name, cfg);
      const needle = '.csr_write_i(csr_write)';
      const engine = design.modules.find((m) => m.name === `${name}_engine`)!;
      expect(engine.text).toContain(needle);
      const broken = {
        ...design,
        configHash: `${design.configHash}-csr-on-every-write`,
        modules: design.modules.map((m) =>
          m === engine ? { ...m, text: m.text.replace(needle, '.csr_write_i(csr_write || req_write)') } : m,
        ),
      };
      // A rows 0..5: rows 2, 3 and 4 are also the numbers of CSRs M, N and K.
      const p = randomGemmProblem(cfg, { m: 6, k: 3, n: 4 }, new Random(seed + 7));
      // In Icarus: a design this small compiles there in a second or two (its Verilator build: 15 s);
      // the broken one may never finish its run (a CSR changed), so a cycle watchdog ends it.
      const good = await runGemmEngine(name, cfg, df, p, { design, expectInline: true, sim: 'icarus' });
      expect(good.c).toEqual(gemm(cfg, p));
      const bad = await runGemmEngine(name, cfg, df, p, {
        design: broken,
        expectInline: true,
        sim: 'icarus',
        maxCycles: 20_000,
      }).then(
        (r) => r.c,
        (e: Error) => e,
      );
      expect(bad instanceof Error ? bad.message : bad).not.toEqual(gemm(cfg, p));
    });
  });
}

describe('os engine corners', () => {
  const cfg = osPresets['os-4x4']!;
  it('K = 1 and K < 2R - 1 (padded tiles), one row, one column, a single tile', async () => {
    const rng = new Random(seed ^ 0x55);
    for (const shape of [
      { m: 9, k: 1, n: 7 },
      { m: 8, k: 3, n: 8 },
      { m: 1, k: 20, n: 1 },
      { m: 4, k: 7, n: 4 },
      { m: 13, k: 6, n: 2 },
    ]) {
      const p = randomGemmProblem(cfg, shape, rng, { d: true, relu: true });
      await expectExact(cfg, p, await runGemmEngine('os', cfg, 'os', p), `edge ${JSON.stringify(shape)}`, {
        name: 'os',
        seed,
        testFile,
      });
    }
  });

  it('splits M, N and K over passes through small buffers (K passes accumulate), exact', async () => {
    const small = parseOsConfig({ rows: 4, cols: 4, aDepth: 24, bDepth: 20, accDepth: 24 });
    const p = randomGemmProblem(small, { m: 19, k: 45, n: 11 }, new Random(seed ^ 0x66), { d: true, relu: true });
    const r = await runGemmEngine('os', small, 'os', p);
    expect(r.passes.length).toBeGreaterThan(3);
    expect(r.passes.some((ps) => !ps.firstK)).toBe(true);
    await expectExact(small, p, r, 'small buffers', { name: 'os', seed, testFile });
  });
});

describe('an array of both dataflows', () => {
  const cfg = parseWsConfig({ rows: 3, cols: 4, dataflow: 'both' });
  it('gives the same C in either dataflow, each with its own exact cycles and counters', async () => {
    const p = randomGemmProblem(cfg, { m: 10, k: 9, n: 11 }, new Random(seed ^ 0x77), { d: true, relu: true });
    const ws = await runGemmEngine('ws', cfg, 'ws', p);
    const os = await runGemmEngine('ws', cfg, 'os', p);
    expect(os.c).toEqual(ws.c);
    expect(ws.dataflow).toBe('ws');
    expect(os.dataflow).toBe('os');
    expect(os.cycles).not.toBe(ws.cycles);
    await expectExact(cfg, p, ws, 'both in ws', { name: 'ws', seed, testFile });
    await expectExact(cfg, p, os, 'both in os', { name: 'ws', seed, testFile });
  });

  it('switches dataflow from one run to the next in one program', async () => {
    const rng = new Random(seed ^ 0x88);
    const p1 = randomGemmProblem(cfg, { m: 5, k: 7, n: 6 }, rng);
    const p2 = randomGemmProblem(cfg, { m: 8, k: 4, n: 9 }, rng, { relu: true });
    // One program: p1 in os, then p2 in ws; each run reads its counters, then its C rows (nt M + m).
    const out = await rawRun('ws', cfg, program(cfg, 'os', p1) + program(cfg, 'ws', p2));
    let at = 0;
    for (const p of [p1, p2]) {
      at += counterNames.length;
      const M = p.a.length,
        N = p.b[0]!.length,
        want = gemm(cfg, p);
      for (let nt = 0; nt < Math.ceil(N / cfg.cols); nt++) {
        for (let m = 0; m < M; m++) {
          const row = unpackRow(out.reads[at++]!, cfg.cols, cfg.accWidth, cfg.signed);
          for (let c = 0; c < cfg.cols && nt * cfg.cols + c < N; c++)
            expect(row[c], `C[${m}][${nt * cfg.cols + c}]`).toBe(want[m]![nt * cfg.cols + c]);
        }
      }
    }
    expect(at).toBe(out.reads.length);
  });
});
