// Native convolution on the ws engine (issue 27): random layers against the
// golden model with cycles and every counter equal to the exact models,
// across configurations (both dataflows, unsigned, channels past the rows),
// host stalls, Icarus; the same layer JSON as rs's answering the same ofmap;
// a faulty PE caught and localized; bad input refused.
import { randomGemmConvProblem } from '../../golden/gemm/conv-problem.js';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseWsConfig, wsPresets, type GemmConfig } from '../../golden/gemm/config.js';
import { Random } from '../../golden/common/random.js';
import { gemm } from '../../golden/common/gemm.js';
import { convGemm, convGeometry, convGolden, wsConvAccess } from '../../golden/gemm/conv.js';
import { convFit, convPasses, passGeometry, wsConvModel, type ConvPass } from '../../golden/gemm/conv-passes.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { firstGemmMismatch } from '../../golden/common/gemm.js';
import { runGemmEngine } from './sim.js';
import { gemmFailureArtifacts } from './failure.js';
import { testArtifactsDir } from '../support/failure.js';
import { cli, testSeed } from '../support/cli.js';

const seed = testSeed();
console.log(`ws conv seed ${seed} (replay with ACCELFORGE_SEED=${seed})`);
const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

// npm test builds two engines here (ws-4x4 is shared with the other tests); test:full six more.
const full = !!process.env.ACCELFORGE_FULL;
const configs: [string, GemmConfig][] = [
  ['ws-4x4', wsPresets['ws-4x4']!],
  // Small buffers: filters past the B buffer run in K passes that accumulate (bias first, ReLU last); images
  // taller than the A buffer one a pass in bands of output rows; small ones grouped.
  ['2x3 K passes, row bands', parseWsConfig({ rows: 2, cols: 3, aDepth: 48, bDepth: 6, accDepth: 24 })],
  ...(full
    ? ([
        ['3x5 both', parseWsConfig({ rows: 3, cols: 5, dataflow: 'both' })],
        // A row wider than the A buffer: one output row a pass, in bands of output columns.
        ['2x3 column bands', parseWsConfig({ rows: 2, cols: 3, aDepth: 16, bDepth: 96, accDepth: 8 })],
        ['4x2 unsigned 4-bit', parseWsConfig({ rows: 4, cols: 2, signed: false, dataWidth: 4, accWidth: 12 })],
        ['2x3 image passes', parseWsConfig({ rows: 2, cols: 3, aDepth: 160, bDepth: 96, accDepth: 96 })],
        ['2x3 K passes', parseWsConfig({ rows: 2, cols: 3, aDepth: 256, bDepth: 6, accDepth: 128 })],
      ] as [string, GemmConfig][])
    : []),
];

describe('ws native convolution', () => {
  for (const [label, cfg] of configs) {
    it(
      `${label}: 4 random layers bit-exact, cycles and counters equal to the models`,
      { timeout: 300_000 },
      async () => {
        const rng = new Random(seed);
        for (let i = 0; i < 4; i++) {
          let p = randomGemmConvProblem(cfg, rng);
          while (convFit(cfg, convGeometry(cfg, p))) p = randomGemmConvProblem(cfg, rng);
          const g = convGeometry(cfg, p);
          const what = `${label} case ${i} (seed ${seed}): ${show({ ...g })}`;
          const r = await runGemmEngine('ws', cfg, 'ws', p, { stallPermille: [0, 300][i % 2], seed: i });
          expect(show(r.conv!.ofmap), what).toBe(show(convGolden(cfg, p)));
          const model = wsConvModel(cfg, g, p.bias !== undefined);
          expect(r.cycles, what).toBe(model.cycles);
          expect(r.counters, what).toEqual(model.counters);
          expect(r.dramValues, what).toBe(model.dramValues);
          const passes = convPasses(cfg, g) as ConvPass[];
          expect(r.perPass, what).toEqual(
            passes.map((ps) => wsConvAccess(cfg, passGeometry(g, ps), p.bias !== undefined)),
          );
        }
      },
    );
  }

  it('Icarus runs one layer to the same ofmap and cycles', { timeout: 300_000 }, async () => {
    const cfg = configs[1]![1];
    const rng = new Random(seed + 1);
    let p = randomGemmConvProblem(cfg, rng);
    while (convFit(cfg, convGeometry(cfg, p))) p = randomGemmConvProblem(cfg, rng);
    const r = await runGemmEngine('ws', cfg, 'ws', p, { sim: 'icarus' });
    expect(show(r.conv!.ofmap)).toBe(show(convGolden(cfg, p)));
    expect(r.cycles).toBe(wsConvModel(cfg, convGeometry(cfg, p), false).cycles);
  });

  // test:full: two CLI builds of their own (about 27 s cold) for npm test's budget; the ofmap is the golden one either way.
  it.runIf(process.env.ACCELFORGE_FULL)(
    'rs, ws and os answer the same layer JSON with the same ofmap (run, CLI; test:full only)',
    { timeout: 300_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'af-wsconv-'));
      const rng = new Random(seed + 2);
      const t = (a: number, b: number, c: number, d: number) =>
        Array.from({ length: a }, () =>
          Array.from({ length: b }, () =>
            Array.from({ length: c }, () => Array.from({ length: d }, () => rng.int(-128, 127))),
          ),
        );
      const layer = {
        ifmap: t(2, 5, 6, 7),
        filters: t(3, 5, 3, 2),
        bias: [5, -7, 100],
        stride: 2,
        padding: 1,
        relu: true,
      };
      writeFileSync(join(dir, 'l.json'), JSON.stringify(layer));
      const out: Record<string, { ofmap: unknown; cycles: number; modelCycles?: number }> = {};
      for (const [d, c] of [
        ['ws', 'ws-4x4'],
        ['os', 'os-4x4'],
        ['rs', 'rs-4x4'],
      ] as const) {
        const r = await cli([
          'run',
          d,
          '--config',
          c,
          '--input',
          join(dir, 'l.json'),
          '--output',
          join(dir, `${d}.json`),
          '--expect',
        ]);
        expect(r.code, r.stderr).toBe(0);
        out[d] = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8'));
      }
      expect(out.ws!.ofmap).toEqual(out.rs!.ofmap);
      expect(out.os!.ofmap).toEqual(out.rs!.ofmap);
      expect(out.ws!.cycles).toBe(out.ws!.modelCycles);
      expect(out.os!.cycles).toBe(out.os!.modelCycles);
    },
  );

  it('a flipped product bit in PE (2, 1) is caught on a convolution and localized', { timeout: 300_000 }, async () => {
    const cfg = wsPresets['ws-4x4']!;
    // A layer that uses PE row 2 (a third channel) and column 1 (a second filter).
    const rng = new Random(11);
    let p = randomGemmConvProblem(cfg, rng);
    while (convGeometry(cfg, p).C < 3 || convGeometry(cfg, p).M < 2) p = randomGemmConvProblem(cfg, rng);
    const design = generateGemm('ws', cfg, { fault: { pe: [2, 1], bit: 1 } });
    const res = await runGemmEngine('ws', cfg, 'ws', p, { design, traceFormat: 'vcd' });
    const bad = firstGemmMismatch(gemm(cfg, convGemm(cfg, p)), res.c, res.cCycle);
    expect(bad, 'the fault must change the result').toBeDefined();
    expect(bad!.j % cfg.cols).toBe(1);
    const a = await gemmFailureArtifacts(
      {
        cfg,
        name: 'ws',
        configArg: 'ws-4x4',
        problem: p,
        result: res,
        design,
        reproduce: 'test',
        dir: testArtifactsDir('ws-conv-fault'),
        fst: false,
      },
      bad!,
    );
    expect(a.findings[0]).toContain('PE (2, 1)');
  });

  it('os runs a layer natively; both refuse what does not fit, naming why (exit 2)', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-wsconv-'));
    const layer = {
      ifmap: [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ],
      filters: [[[[1]]]],
      stride: 1,
    };
    writeFileSync(join(dir, 'l.json'), JSON.stringify(layer));
    const os = await cli([
      'run',
      'os',
      '--config',
      'os-4x4',
      '--input',
      join(dir, 'l.json'),
      '--output',
      join(dir, 'o.json'),
    ]);
    // os runs it natively too (its own layout); a budget that leaves less than one output row is refused by name.
    expect(os.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8')).ofmap).toEqual([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    writeFileSync(join(dir, 'acc.json'), JSON.stringify({ ...layer, buffers: { acc: 1 } }));
    const osAcc = await cli([
      'run',
      'os',
      '--config',
      'os-4x4',
      '--input',
      join(dir, 'acc.json'),
      '--output',
      join(dir, 'o2.json'),
    ]);
    expect(osAcc.code).toBe(2);
    expect(osAcc.stderr).toContain(
      "the layer does not fit this os configuration: one output row takes F = 2 accumulator rows; the input's buffers.acc leaves 1",
    );
    // One output pixel of a 74 x 74 filter over 9 channels (3 tiles of 4) reads 3 x 74 x 74 = 16,428 A rows, past
    // 16,384: not even a band of one pixel fits (larger images run in bands, larger filters in K passes).
    const t = (c: number, n: number) =>
      Array.from({ length: c }, () => Array.from({ length: n }, () => new Array(n).fill(1)));
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ ifmap: [t(9, 74)], filters: [t(9, 74)], stride: 1 }));
    const r = await cli([
      'run',
      'ws',
      '--config',
      'ws-4x4',
      '--input',
      join(dir, 'big.json'),
      '--output',
      join(dir, 'o.json'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'one output pixel reads ceil(C / rows) x min(H, R) x min(W, S) = 16428 A buffer rows; aDepth is 16384',
    );
    writeFileSync(join(dir, 'k.json'), JSON.stringify({ ...layer, dilation: 2 }));
    const k = await cli([
      'run',
      'ws',
      '--config',
      'ws-4x4',
      '--input',
      join(dir, 'k.json'),
      '--output',
      join(dir, 'o.json'),
    ]);
    expect(k.code).toBe(2);
    expect(k.stderr).toContain("unknown key 'dilation'");
  });
});
