// Property-based robustness of the CLI (in process, through main()): at
// least 300 generated bad inputs per verb (1,000 in test:full) (invalid configurations, mutated
// problem JSON, damaged ONNX files) each end with exit 2, a message that
// names the problem, no stack trace, and nothing written.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { main } from '../cli/index.js';
import { designs } from '../../testbenches/registry.js';
import { invalidConfigArb } from '../../testbenches/system/config-arb.js';
import { encodeOnnx, decodeOnnx } from '../../golden/nn/onnx.js';
import { initNet, type Net } from '../../golden/nn/train.js';
import { netToGraph } from '../../golden/nn/net-graph.js';
import { Dense, Flatten, Relu } from '../../golden/nn/layers.js';
import { propertySeed } from '../../testbenches/support/cli.js';

const full = !!process.env.ACCELFORGE_FULL;
const perVerb = full ? 1000 : 300;
const seed = propertySeed();
let dir: string;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'af-bad-'));
});
afterAll(() => vi.restoreAllMocks());

/** Runs the CLI in process; returns its exit code and what it printed. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'accelforge', ...args]);
    return { code, out, err };
  } finally {
    process.exitCode = undefined;
    so.mockRestore();
    se.mockRestore();
  }
}

function expectRefused(r: { code: number; err: string }, what: string) {
  expect(r.code, `${what}\n${r.err}`).toBe(2);
  expect(r.err, what).not.toMatch(/\n\s+at |internal error/);
  expect(r.err.length, what).toBeGreaterThan(10);
  expect(r.err.length, `${what}: the message is capped`).toBeLessThan(4000);
}

const file = (text: string | Uint8Array, ext = 'json') => {
  const p = join(dir, `in-${n++}.${ext}`);
  writeFileSync(p, text);
  return p;
};

describe('invalid configurations are refused naming the key (exit 2)', () => {
  for (const d of designs) {
    it(`${d.name}: ${perVerb} per verb over generate, lint, synth and verify`, async () => {
      const samples = fc.sample(invalidConfigArb(d), { numRuns: perVerb, seed: seed + d.order });
      const verbs = [
        (c: string) => ['generate', d.name, '--config', c, '--out', join(dir, `gen-${n}`)],
        (c: string) => ['lint', d.name, '--config', c],
        (c: string) => ['synth', d.name, '--config', c],
        (c: string) => ['verify', d.name, '--config', c, '--cases', '1', '--seed', '1'],
      ];
      for (const v of verbs) {
        for (const bad of samples) {
          const args = v(file(JSON.stringify(bad.raw)));
          const r = await run(args);
          expectRefused(r, `${args.join(' ')}: ${JSON.stringify(bad.raw)}`);
          expect(r.err, JSON.stringify(bad.raw)).toContain(`'${bad.key}'`);
          if (args[0] === 'generate') expect(existsSync(args[args.length - 1]!)).toBe(false);
        }
      }
    });
  }
});

// A valid problem per design (cli.md's input JSON) that the mutations start from.
// Each design's own example problem (Design.example) is the base the mutations start from.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Mutation {
  at: number;
  kind: string;
  value: Json;
  k: number;
}

/** Every node of a JSON tree with its parent and key. */
function nodes(root: Json): { parent: Json[] | Record<string, Json> | undefined; key: string | number; node: Json }[] {
  const all: ReturnType<typeof nodes> = [{ parent: undefined, key: '', node: root }];
  for (let i = 0; i < all.length; i++) {
    const x = all[i]!.node;
    if (Array.isArray(x)) x.forEach((c, j) => all.push({ parent: x, key: j, node: c }));
    else if (x && typeof x === 'object')
      for (const [k, c] of Object.entries(x)) all.push({ parent: x, key: k, node: c });
  }
  return all;
}

function mutate(base: unknown, ms: Mutation[]): Json {
  let root = structuredClone(base) as Json;
  for (const m of ms) {
    const all = nodes(root);
    const { parent, key, node } = all[m.at % all.length]!;
    let v: Json | undefined;
    switch (m.kind) {
      case 'replace':
        v = m.value;
        break;
      case 'huge':
        v = 2 ** (53 + (m.k % 20));
        break;
      case 'negative':
        v = typeof node === 'number' ? -node - 1000 * (m.k % 1000) : -1;
        break;
      case 'fraction':
        v = typeof node === 'number' ? node + 0.5 : 0.5;
        break;
      case 'string':
        v = JSON.stringify(node);
        break;
      case 'wrap':
        v = [node];
        break;
      case 'unwrap':
        v = Array.isArray(node) ? (node[0] ?? null) : node;
        break;
      case 'empty':
        v = Array.isArray(node) ? [] : {};
        break;
      case 'deep': {
        let d: Json = node;
        for (let i = 0; i < 40 + (m.k % 200); i++) d = [d];
        v = d;
        break;
      }
      case 'grow':
        v = Array.isArray(node) ? [...node, ...node.slice(0, 1 + (m.k % 3))] : node;
        break;
      case 'shrink':
        v = Array.isArray(node) ? node.slice(0, node.length - 1 - (m.k % 2)) : node;
        break;
      case 'delete':
        if (parent && !Array.isArray(parent)) delete parent[key as string];
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        continue;
      case 'unknownKey':
        if (node && typeof node === 'object' && !Array.isArray(node)) node[`extra${m.k % 5}`] = m.value;
        continue;
    }
    if (parent === undefined) root = v!;
    else if (Array.isArray(parent)) parent[key as number] = v!;
    else parent[key as string] = v!;
  }
  return root;
}

const mutationArb = fc.array(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom(
      'replace',
      'huge',
      'negative',
      'fraction',
      'string',
      'wrap',
      'unwrap',
      'empty',
      'deep',
      'grow',
      'shrink',
      'delete',
      'unknownKey',
    ),
    value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    k: fc.nat(),
  }),
  { minLength: 1, maxLength: 3 },
);

describe('mutated problem JSON against run (exit 2, never a stack, nothing written)', () => {
  for (const d of designs) {
    it(`run ${d.name}: ${perVerb} bad problems`, async () => {
      const base = d.example.problem;
      const cfg = d.presets[d.example.preset]!;
      d.parseProblem(base, cfg, 'base'); // the base is valid
      let bad = 0,
        valid = 0;
      const rng = fc.sample(mutationArb, { numRuns: perVerb * 4, seed: seed + 100 + d.order });
      for (const ms of rng) {
        if (bad >= perVerb) break;
        const raw = mutate(base, ms);
        try {
          d.parseProblem(raw, cfg, 'input');
          valid++; // still a valid problem: the simulation tests cover those
          continue;
        } catch {
          /* a bad input: the CLI must refuse it cleanly */
        }
        bad++;
        const out = join(dir, `out-${n}.json`);
        const r = await run([
          'run',
          d.name,
          '--config',
          d.example.preset,
          '--input',
          file(JSON.stringify(raw)),
          '--output',
          out,
        ]);
        expectRefused(r, `run ${d.name} on ${JSON.stringify(raw).slice(0, 300)}`);
        expect(existsSync(out)).toBe(false);
      }
      expect(bad).toBeGreaterThanOrEqual(perVerb);
      expect(valid).toBeLessThan(bad);
    });
  }

  it('text that is not JSON, too deep or out of range is refused for every design', async () => {
    const texts = [
      '',
      '{',
      '\uFEFF{}',
      '{"a": 1e400}',
      '[]',
      'null',
      '"x"',
      '1',
      '['.repeat(100_000) + ']'.repeat(100_000),
      `{"a": [${'1,'.repeat(200_000)}1]}`,
    ];
    for (const d of designs) {
      for (const t of texts) {
        const out = join(dir, `out-${n}.json`);
        const r = await run(['run', d.name, '--config', d.example.preset, '--input', file(t), '--output', out]);
        expectRefused(r, `run ${d.name} on ${t.slice(0, 40)}`);
        expect(existsSync(out)).toBe(false);
      }
    }
  });
});

describe('damaged ONNX files against model and compress (exit 2, nothing written)', () => {
  const net: Net = {
    name: 'fuzz',
    inShape: [1, 28, 28],
    layers: [new Flatten(), new Dense(784, 8, 'fc1'), new Relu(), new Dense(8, 10, 'fc2')],
  };
  initNet(net, 1);
  const bytes = encodeOnnx(netToGraph(net), 'fuzz');
  const damage = fc.record({
    cut: fc.option(fc.nat(), { freq: 3 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 0, maxLength: 6 }),
  });

  for (const verb of ['model', 'compress'] as const) {
    it(`${verb}: ${perVerb} damaged files`, async () => {
      let bad = 0;
      for (const dm of fc.sample(damage, { numRuns: perVerb * 6, seed: seed + 200 })) {
        if (bad >= perVerb) break;
        let b = Uint8Array.from(bytes);
        for (const [at, x] of dm.flips) b[at % b.length] = b[at % b.length]! ^ x;
        if (dm.cut !== null) b = b.slice(0, dm.cut % b.length);
        try {
          decodeOnnx(b, 'x');
          continue; // still readable: weights changed, not a bad file
        } catch {
          /* bad */
        }
        bad++;
        const f = file(b, 'onnx');
        const o = join(dir, `o-${n}`);
        const args =
          verb === 'model'
            ? ['model', f, '--design', 'ws', '--config', 'ws-4x4', '--images', '1', '--json', `${o}.json`]
            : ['compress', f, '--out', o];
        const r = await run(args);
        expectRefused(r, `${args.join(' ')}`);
        expect(existsSync(o) || existsSync(`${o}.json`)).toBe(false);
      }
      expect(bad).toBe(perVerb);
      expect(readdirSync(dir).some((x) => x.includes('.tmp-'))).toBe(false);
    });
  }
});

describe('damaged failure folders against waves (exit 0 or 2, never a stack)', () => {
  it(`${perVerb} random report.json / report.txt contents`, async () => {
    const cases = fc.sample(
      fc.record({
        json: fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        txt: fc.option(fc.string(), { freq: 4 }),
        txtIsDir: fc.boolean(),
      }),
      { numRuns: perVerb, seed: seed + 300 },
    );
    const { mkdirSync } = await import('node:fs');
    for (const c of cases) {
      const f = join(dir, `w-${n++}`);
      mkdirSync(f);
      writeFileSync(join(f, 'report.json'), c.json);
      if (c.txtIsDir) mkdirSync(join(f, 'report.txt'));
      else if (c.txt !== null) writeFileSync(join(f, 'report.txt'), c.txt);
      const r = await run(['waves', f]);
      expect([0, 2], `${c.json.slice(0, 200)}\n${r.err}`).toContain(r.code);
      expect(r.err).not.toMatch(/\n\s+at |internal error/);
      // No wave files here: none is offered, the reproduce command is.
      if (r.code === 0) expect(r.out).toContain('no waveform files in');
    }
  });
});
