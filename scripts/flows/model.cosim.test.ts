// `accelforge model` through the CLI on small configs: every layer
// bit-exact on the RTL, RTL predictions equal to the golden model's, the
// JSON of the issue, the dump; bad models refused with exit 2, nothing written.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../../testbenches/support/cli.js';
import { quickNet, quickOnnx } from '../../testbenches/support/nets.js';
import { encodeOnnx } from '../../golden/nn/onnx.js';
import type { Graph } from '../../golden/nn/graph.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'af-model-'));

function expectUsageError(r: { code: number; stderr: string }, ...parts: string[]) {
  expect(r.code, r.stderr).toBe(2);
  for (const p of parts) expect(r.stderr).toContain(p);
  expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
}

/** `model` of dir/m.onnx on `design` (config: a preset or a file) over 2 images with `flags`: its JSON (exit 0 asserted). */
async function lenetModel(dir: string, config: string, flags: string[], design = 'ws') {
  const out = join(dir, `${design}${flags.join('-').replace(/\W+/g, '')}.json`);
  const r = await cli([
    'model',
    join(dir, 'm.onnx'),
    '--design',
    design,
    '--config',
    config,
    '--images',
    '2',
    ...flags,
    '--json',
    out,
  ]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8'));
}
describe('accelforge model', () => {
  // LeNet-300-100 on ws (the FC path LeNet-5 also takes there) and LeNet-5 on rs (compare runs it there
  // too, and the PyTorch-style export below) in test:full.
  const full = Boolean(process.env.ACCELFORGE_FULL);
  for (const [net, design, config] of [
    ...(full ? ([['lenet-300-100', 'ws', 'ws-4x4']] as const) : []),
    ['lenet-5', 'ws', 'ws-4x4'],
    ...(full ? ([['lenet-5', 'rs', 'rs-4x4']] as const) : []),
    ['lenet-300-100', 'rs', 'rs-4x4'],
  ] as const) {
    it(`${net} on ${config}: bit-exact layers, RTL predictions = golden, JSON and dump`, async () => {
      const dir = tmp();
      writeFileSync(join(dir, 'm.onnx'), quickOnnx(net));
      const r = await cli([
        'model',
        join(dir, 'm.onnx'),
        '--design',
        design,
        '--config',
        config,
        '--images',
        '6',
        '--batch',
        '4',
        '--json',
        join(dir, 'r.json'),
        '--dump',
        join(dir, 'dump'),
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
      expect(j).toMatchObject({ schema: 'accelforge.model/1', design, config, model: join(dir, 'm.onnx'), batch: 4 });
      expect(j.imageIds).toHaveLength(6);
      expect(j.predictions).toEqual(j.goldenPredictions);
      expect(j.accuracy).toBe(j.quantizedAccuracy);
      expect(j.labels).toHaveLength(6);
      const g = quickNet(net);
      expect(j.layers.map((l: { name: string }) => l.name)).toEqual(
        g.nodes.filter((n) => n.op === 'Gemm' || n.op === 'Conv').map((n) => n.name),
      );
      for (const l of j.layers) {
        expect(l.cycles).toBeGreaterThan(0);
        expect(l.runs).toBe(2);
        expect(l.utilization).toBeGreaterThan(0);
        expect(l.utilization).toBeLessThanOrEqual(1);
        if (design === 'rs') expect(l.energy.total).toBeGreaterThan(l.macs);
        // ws runs convolutions natively: the ifmap moves once, its DRAM traffic is per layer in the JSON.
        if (design === 'ws' && l.op === 'conv') expect(l.mapping).toContain('native');
        if (design === 'ws') expect(l.counters.dramValues).toBeGreaterThan(0);
      }
      expect(r.stdout).toContain('RTL predictions identical to the golden model');
      const dumped = readdirSync(join(dir, 'dump'))
        .filter((f) => f.endsWith('.json'))
        .sort();
      expect(dumped).toContain('model.json');
      const l1 = JSON.parse(
        readFileSync(
          join(
            dir,
            'dump',
            dumped.find((f) => f.startsWith('layer1-'))!,
          ),
          'utf8',
        ),
      );
      expect(l1.input).toHaveLength(4);
      expect(l1.output).toHaveLength(4);
      expect(l1.weights).toHaveLength(l1.M);
      // An outside check can redo the arithmetic of layer 1 from the dump (fc layers).
      if (l1.op === 'fc') {
        const acc = l1.weights.map(
          (w: number[], m: number) => Number(l1.bias[m]) + w.reduce((s, v, k) => s + v * l1.input[0][k], 0),
        );
        expect(l1.output[0]).toEqual(acc.map((v: number) => (l1.relu && v < 0 ? 0 : v)));
      }
    });
  }

  // test:full: a third engine build (both dataflows) for npm test's budget.
  it.runIf(process.env.ACCELFORGE_FULL)(
    'lenet-5 on an array of both dataflows (test:full only): bit-exact in ws, in os (convolutions native), and auto picks the faster per layer',
    async () => {
      const dir = tmp();
      writeFileSync(join(dir, 'm.onnx'), quickOnnx('lenet-5'));
      writeFileSync(join(dir, 'both.json'), JSON.stringify({ rows: 4, cols: 4, dataflow: 'both' }));
      type Layer = { name: string; cycles: number; mapping: string };
      const layers: Record<string, Layer[]> = {};
      for (const df of ['ws', 'os', 'auto']) {
        const j = await lenetModel(dir, join(dir, 'both.json'), ['--dataflow', df]);
        expect(j.predictions, df).toEqual(j.goldenPredictions);
        layers[df] = j.layers;
      }
      for (const [i, l] of layers.auto!.entries()) {
        const ws = layers.ws![i]!,
          os = layers.os![i]!;
        expect(ws.mapping).toMatch(/, ws$/);
        expect(os.mapping).toMatch(/, os$/);
        // The convolutions run natively in either dataflow (the windows formed on chip).
        if (/^conv/.test(l.name)) for (const x of [ws, os, l]) expect(x.mapping, l.name).toMatch(/^conv .* native/);
        // Each layer's RTL cycles in the dataflow the cycle models chose: the faster of the two runs.
        expect(l.cycles, l.name).toBe(Math.min(ws.cycles, os.cycles));
        expect(l.mapping).toMatch(ws.cycles <= os.cycles ? /, ws$/ : /, os$/);
      }
      // Different dataflows really ran: the convolutions favour os here, the FC layers ws.
      expect(new Set(layers.auto!.map((l) => l.mapping.slice(-2)))).toEqual(new Set(['ws', 'os']));
    },
  );

  it('--conv auto on ws: im2col for the convolutions whose channels leave lanes empty, bit-exact; os offers native and im2col', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.onnx'), quickOnnx('lenet-5'));
    const j = await lenetModel(dir, 'ws-4x4', ['--conv', 'auto']);
    expect(j.predictions).toEqual(j.goldenPredictions);
    const mapping = (name: string) => j.layers.find((l: { name: string }) => l.name === name).mapping as string;
    // conv1 (C = 1) and conv2 (C = 6 on 4 rows: 38 K tiles by im2col against 50) go through the host's im2col.
    for (const l of j.layers.filter((x: { op: string }) => x.op === 'conv'))
      expect(mapping(l.name), l.name).toMatch(/\(im2col\)/);
    const onOs = await cli(['model', 'lenet-5', '--design', 'os', '--config', 'os-4x4', '--conv', 'auto']);
    expectUsageError(onOs, '--conv auto: os maps convolutions as native, im2col');
    const chained = await cli([
      'model',
      'lenet-5',
      '--design',
      'ws,eie',
      '--config',
      'ws-4x4,eie-4pe',
      '--conv',
      'auto',
    ]);
    expectUsageError(chained, '--conv auto: applies to a network run layer by layer on ws, os, not with eie');
  });

  it("os runs LeNet-5's convolutions natively (windows formed on chip) and through im2col, both bit-exact", async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.onnx'), quickOnnx('lenet-5'));
    const native = await lenetModel(dir, 'os-4x4', [], 'os');
    const im2col = await lenetModel(dir, 'os-4x4', ['--conv', 'im2col'], 'os');
    for (const j of [native, im2col]) expect(j.predictions).toEqual(j.goldenPredictions);
    const convs = (j: {
      layers: { op: string; mapping: string; cycles: number; counters: { dramValues: number } }[];
    }) => j.layers.filter((l) => l.op === 'conv');
    for (const l of convs(native)) expect(l.mapping).toMatch(/native \(windows formed on chip\)/);
    for (const l of convs(im2col)) expect(l.mapping).toMatch(/\(im2col\)/);
    // The ifmap crosses the chip boundary once natively, R S times (less the padding) through im2col.
    for (const [i, l] of convs(native).entries())
      expect(l.counters.dramValues).toBeLessThan(convs(im2col)[i]!.counters.dramValues);
  });

  it('refuses --dataflow on a design without it, and a dataflow the array cannot run (exit 2)', async () => {
    const dir = tmp();
    const onRs = await cli(['model', 'lenet-5', '--design', 'rs', '--config', 'rs-4x4', '--dataflow', 'os']);
    expectUsageError(onRs, "--dataflow 'os' applies to design ws, os only (not rs)");
    const v = await cli(['verify', 'os', '--config', 'os-4x4', '--cases', '1', '--dataflow', 'ws']);
    expectUsageError(v, "dataflow 'ws': this os configuration's array runs os only");
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs a PyTorch-style export (padding, Reshape) on rs-4x4 bit-exact', async () => {
    const { pytorchStyleOnnx } = await import('../../golden/nn/fixtures/pytorch-style.js');
    const dir = tmp();
    writeFileSync(join(dir, 'torch.onnx'), pytorchStyleOnnx(true));
    const r = await cli([
      'model',
      join(dir, 'torch.onnx'),
      '--design',
      'rs',
      '--config',
      'rs-4x4',
      '--images',
      '3',
      '--json',
      join(dir, 'r.json'),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(j.layers.map((l: { name: string }) => l.name)).toEqual(['/0/Conv', '/4/Gemm', '/6/Gemm']);
    expect(j.predictions).toEqual(j.goldenPredictions);
  });

  it('refuses bad models with exit 2 and writes nothing', async () => {
    const dir = tmp();
    const g = quickNet('lenet-300-100');
    const out = join(dir, 'r.json');
    const run = (model: string) =>
      cli(['model', model, '--design', 'ws', '--config', 'ws-4x4', '--images', '2', '--json', out]);
    const soft: Graph = {
      ...g,
      nodes: [...g.nodes, { op: 'Softmax' as never, name: 'probs', inputs: [g.output], outputs: ['p'], attrs: {} }],
      output: 'p',
    };
    writeFileSync(join(dir, 'soft.onnx'), encodeOnnx(soft));
    expectUsageError(await run(join(dir, 'soft.onnx')), "node 'probs' uses operator 'Softmax'");
    const bytes = encodeOnnx(g);
    writeFileSync(join(dir, 'cut.onnx'), bytes.slice(0, 2000));
    expectUsageError(await run(join(dir, 'cut.onnx')), 'cut.onnx');
    mkdirSync(join(dir, 'folder.onnx'));
    expectUsageError(await run(join(dir, 'folder.onnx')), 'is a folder');
    writeFileSync(
      join(dir, 'missing.onnx'),
      encodeOnnx({ ...g, initializers: new Map([...g.initializers].filter(([k]) => k !== 'fc1.bias')) }),
    );
    expectUsageError(await run(join(dir, 'missing.onnx')), "reads 'fc1.bias'", 'missing initializer');
    writeFileSync(join(dir, 'shape.onnx'), encodeOnnx({ ...g, input: { name: 'input', dims: [-1, 3, 16, 16] } }));
    expectUsageError(await run(join(dir, 'shape.onnx')), 'has shape [N,3,16,16]', '784 values');
    expectUsageError(await run('lenet-9000'), "'lenet-9000' is neither a built-in model");
    writeFileSync(join(dir, 'lenet5.onnx'), quickOnnx('lenet-5'));
    expectUsageError(
      await cli(['model', join(dir, 'lenet5.onnx'), '--design', 'eie', '--config', 'eie-4pe', '--json', out]),
      'eie',
    );
    expect(existsSync(out)).toBe(false);
  });
});
