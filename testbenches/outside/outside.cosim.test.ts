// Outside-style testbenches (testbenches/outside/*.sv): written from each design's
// datasheet alone, with no accelforge harness, encoder or program code, as a
// user integrating the generated RTL would. Each runs a random problem,
// bit-exact against the golden model, in Icarus and in Verilator (--binary
// --timing). Their parameters are the numbers the datasheet gives.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { designByName } from '../registry.js';
import { designFiles } from '../../generators/common/emit.js';
import { writeDirAtomic } from '../common/output.js';
import { Random } from '../../golden/common/random.js';
import { gemm } from '../../golden/common/gemm.js';
import { gemmHostWidths } from '../../generators/gemm/generate.js';
import { eieWidths } from '../../generators/eie/generate.js';
import { eieLayer } from '../../golden/eie/golden.js';
import { randomEieProblem } from '../../golden/eie/problem.js';
import { conv } from '../../golden/rs/golden.js';
import { rsCase } from '../rs/check.js';
import { parseRsLayer, rsMapFiles } from '../rs/map.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`outside testbenches seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const tbDir = import.meta.dirname;
// Verilator builds of the testbenches take 10-60 s each: every design in test:full, ws in npm test.
const full = !!process.env.ACCELFORGE_FULL;

async function simulate(
  sim: 'icarus' | 'verilator',
  dir: string,
  tb: string,
  params: Record<string, number>,
  plusargs: string[],
  defines: string[] = [],
): Promise<void> {
  const tbFile = join(tbDir, `${tb}.sv`);
  if (sim === 'icarus') {
    const c = await execa(
      'iverilog',
      [
        '-g2012',
        '-s',
        tb,
        ...defines.map((d) => `-D${d}`),
        ...Object.entries(params).flatMap(([k, v]) => ['-P', `${tb}.${k}=${v}`]),
        '-o',
        join(dir, 'tb.vvp'),
        '-c',
        join(dir, 'rtl', 'files.f'),
        tbFile,
      ],
      { cwd: join(dir, 'rtl'), reject: false, all: true },
    );
    expect(c.exitCode, String(c.all)).toBe(0);
    const r = await execa('vvp', ['-n', join(dir, 'tb.vvp'), ...plusargs], { reject: false, all: true });
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(String(r.all)).not.toMatch(/FATAL|ERROR/i);
  } else {
    const c = await execa(
      'verilator',
      [
        '--binary',
        '--timing',
        '-Wno-fatal',
        '--top-module',
        tb,
        ...defines.map((d) => `-D${d}`),
        ...Object.entries(params).map(([k, v]) => `-G${k}=${v}`),
        '-F',
        join(dir, 'rtl', 'files.f'),
        tbFile,
        '--Mdir',
        join(dir, 'obj'),
        '-o',
        'tb',
      ],
      { cwd: dir, reject: false, all: true },
    );
    expect(c.exitCode, String(c.all).slice(-3000)).toBe(0);
    const r = await execa(join(dir, 'obj', 'tb'), plusargs, { reject: false, all: true });
    expect(r.exitCode, String(r.all)).toBe(0);
  }
}

async function withRtl(design: string, preset: string, body: (dir: string, cfg: never) => Promise<void>) {
  const d = designByName(design);
  const cfg = d.presets[preset]!;
  const dir = mkdtempSync(join(tmpdir(), `accelforge-outside-${design}-`));
  try {
    writeDirAtomic(join(dir, 'rtl'), await designFiles(d.generate(cfg), d.datasheet(cfg)));
    await body(dir, cfg as never);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nums = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => BigInt(l.trim()));

for (const sim of ['icarus', 'verilator'] as const) {
  describe(`outside testbenches on ${sim}`, () => {
    for (const design of ['ws', 'os'] as const)
      it.runIf(design === 'ws' || sim === 'icarus' || full)(
        `${design}-4x4: a GEMM and the host contract driven through the host port from the datasheet`,
        { timeout: 600_000 },
        async () => {
          await withRtl(
            design,
            `${design}-4x4`,
            async (dir, cfg: { rows: number; cols: number; dataWidth: number; accWidth: number }) => {
              const rng = new Random(seed);
              const [M, K, N] = [rng.int(1, 9), rng.int(1, 11), rng.int(1, 10)];
              const v = () => rng.int(-(2 ** (cfg.dataWidth - 1)), 2 ** (cfg.dataWidth - 1) - 1);
              const a = Array.from({ length: M }, () => Array.from({ length: K }, v));
              const b = Array.from({ length: K }, () => Array.from({ length: N }, v));
              writeFileSync(
                join(dir, 'in.txt'),
                [`${M} ${K} ${N}`, ...a.map((r) => r.join(' ')), ...b.map((r) => r.join(' '))].join('\n') + '\n',
              );
              const h = gemmHostWidths(cfg as never);
              await simulate(
                sim,
                dir,
                'gemm_outside_tb',
                {
                  OS: design === 'os' ? 1 : 0,
                  ROWS: cfg.rows,
                  COLS: cfg.cols,
                  DW: cfg.dataWidth,
                  AW: cfg.accWidth,
                  ADDR_W: h.addr,
                  DATA_W: h.data,
                },
                [`+in=${join(dir, 'in.txt')}`, `+out=${join(dir, 'out.txt')}`],
                design === 'os' ? ['OS_ENGINE'] : [],
              );
              const want = gemm(
                { accWidth: cfg.accWidth, signed: true, dataWidth: cfg.dataWidth },
                { a: a.map((r) => r.map(BigInt)), b: b.map((r) => r.map(BigInt)) },
              );
              expect(nums(join(dir, 'out.txt')), `M=${M} K=${K} N=${N}`).toEqual(want.flat());
            },
          );
        },
      );

    it.runIf(sim === 'icarus' || full)(
      'eie-4pe: a sparse layer encoded and loaded from the datasheet',
      { timeout: 600_000 },
      async () => {
        await withRtl(
          'eie',
          'eie-4pe',
          async (
            dir,
            cfg: {
              pes: number;
              codebookBits: number;
              indexBits: number;
              entriesPerLine: number;
              accWidth: number;
              rowsPerPe: number;
            },
          ) => {
            const rng = new Random(seed);
            const cols = rng.int(1, 60),
              rows = rng.int(1, cfg.pes * cfg.rowsPerPe);
            // Sparse enough that gaps exceed 2^indexBits - 1 (padding entries).
            const p = randomEieProblem(
              cfg as never,
              cols,
              [{ rows, weightDensity: [0.03, 0.2, 0.6][rng.int(0, 2)]!, bias: rng.bool(0.5), relu: rng.bool(0.5) }],
              0.5,
              rng,
            );
            const l = p.layers[0]!;
            writeFileSync(
              join(dir, 'in.txt'),
              [
                `${rows} ${cols} ${l.shift} ${l.relu ? 1 : 0} ${l.bias ? 1 : 0}`,
                l.codebook.join(' '),
                ...l.index.map((r) => Array.from(r).join(' ')),
                p.activations.join(' '),
                (l.bias ?? Array(rows).fill(0n)).join(' '),
              ].join('\n') + '\n',
            );
            const w = eieWidths(cfg as never);
            await simulate(
              sim,
              dir,
              'eie_outside_tb',
              {
                PES: cfg.pes,
                CB: cfg.codebookBits,
                IB: cfg.indexBits,
                EPL: cfg.entriesPerLine,
                PTR_AW: w.ptrAddr,
                LOCAL_W: w.local,
                ADDR_W: w.hostAddr,
                DATA_W: w.hostData,
              },
              [`+in=${join(dir, 'in.txt')}`, `+out=${join(dir, 'out.txt')}`],
            );
            expect(nums(join(dir, 'out.txt')), `rows=${rows} cols=${cols}`).toEqual(
              eieLayer(cfg.accWidth, l, p.activations),
            );
          },
        );
      },
    );

    it.runIf(sim === 'icarus' || full)(
      'rs-4x4: a convolution from the descriptor `map rs` writes, with an outside DRAM',
      { timeout: 600_000 },
      async () => {
        await withRtl('rs', 'rs-4x4', async (dir, cfg: { accWidth: number }) => {
          const c = rsCase(cfg as never, seed);
          const q = c.problem;
          const layer = {
            N: q.ifmap.length,
            C: q.ifmap[0]!.length,
            H: q.ifmap[0]![0]!.length,
            W: q.ifmap[0]![0]![0]!.length,
            M: q.filters.length,
            R: q.filters[0]![0]!.length,
            S: q.filters[0]![0]![0]!.length,
            stride: q.stride,
            padding: q.padding,
            bias: q.bias !== undefined,
            relu: !!q.relu,
          };
          const { files } = rsMapFiles(cfg as never, parseRsLayer(layer, 'layer.json'));
          writeFileSync(join(dir, 'descriptor.hex'), files.get('descriptor.hex')!);
          writeFileSync(
            join(dir, 'in.txt'),
            [
              q.ifmap.flat(3).join(' '),
              q.filters.flat(3).join(' '),
              (q.bias ?? Array(layer.M).fill(0n)).join(' '),
            ].join('\n') + '\n',
          );
          await simulate(sim, dir, 'rs_outside_tb', { LATENCY: 1 + (seed % 7) }, [
            `+desc=${join(dir, 'descriptor.hex')}`,
            `+in=${join(dir, 'in.txt')}`,
            `+out=${join(dir, 'out.txt')}`,
          ]);
          expect(nums(join(dir, 'out.txt')), c.describe).toEqual(conv(cfg.accWidth, q).flat(3));
        });
      },
    );
  });
}
