// The CLI contract's refusals (../shared/spec/cli.md): bad configurations,
// problems and flags are exit 2 with a message naming them, and nothing a user
// owns is overwritten.
import { describe, expect, it } from 'vitest';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { cli } from '../../testbenches/support/cli.js';
import { repoPath } from '../../golden/common/repo.js';
import { crafted, floats, init, node, setFloats, setInts } from '../../testbenches/support/onnx-craft.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'af-cli-'));

function expectUsageError(r: { code: number; stderr: string }, ...parts: string[]) {
  expect(r.code).toBe(2);
  for (const p of parts) expect(r.stderr).toContain(p);
  expect(r.stderr).not.toMatch(/\n\s+at .*\(/); // no stack trace
}

describe('accelforge CLI refusals', () => {
  it('generate never destroys what it did not write: empty path, ., .., a checkout, a folder of user files, a file (exit 2, all kept)', async () => {
    const home = tmp();
    const checkout = join(home, 'checkout');
    mkdirSync(join(checkout, '.git'), { recursive: true });
    mkdirSync(join(checkout, 'node_modules'));
    writeFileSync(join(checkout, 'README.md'), 'mine');
    const user = join(home, 'results');
    mkdirSync(user);
    writeFileSync(join(user, 'data.csv'), '1,2,3');
    writeFileSync(join(home, 'notes.txt'), 'notes');
    const gen = (out: string, cwd = home, ...extra: string[]) =>
      cli(['generate', 'ws', '--config', 'ws-4x4', '--out', out, ...extra], {}, cwd);
    expectUsageError(await gen('', checkout), '--out is empty');
    expectUsageError(await gen('.', checkout, '--force'), 'the current directory');
    expectUsageError(await gen('..', checkout, '--force'), 'contains the current directory');
    expectUsageError(await gen(checkout, home, '--force'), 'repository root');
    expectUsageError(
      await gen(join(checkout, 'node_modules', '..', '..', 'results')),
      "'data.csv'",
      'no accelforge marker',
      '--force',
    );
    expectUsageError(await gen(join(home, 'notes.txt'), home, '--force'), 'an existing file');
    expectUsageError(await gen(join(home, 'notes.txt', 'rtl')), 'is a file, not a folder');
    expect(readdirSync(checkout).sort()).toEqual(['.git', 'README.md', 'node_modules']);
    expect(readFileSync(join(user, 'data.csv'), 'utf8')).toBe('1,2,3');
    expect(readFileSync(join(home, 'notes.txt'), 'utf8')).toBe('notes');
    // Its own output is replaced; --force replaces a plain folder of the user's on request.
    expect((await gen(join(home, 'rtl'))).code).toBe(0);
    expect((await gen(join(home, 'rtl'))).code).toBe(0);
    expect((await gen(user, home, '--force')).code).toBe(0);
    expect(existsSync(join(user, 'data.csv'))).toBe(false);
    expect(readdirSync(home).sort()).toEqual(['checkout', 'notes.txt', 'results', 'rtl']);
  });

  it('demo never replaces what it did not write: a folder of user files, an empty path (issue 32; exit 2, all kept)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'report.html'), 'my report');
    mkdirSync(join(dir, 'results'));
    writeFileSync(join(dir, 'results', 'verify-ws-4x4.json'), '{"mine": true}');
    writeFileSync(join(dir, 'notes.txt'), 'precious');
    expectUsageError(
      await cli(['demo', '--out', dir]),
      `--out '${dir}' is a folder holding 3 entries`,
      'accelforge replaces only empty folders or folders it wrote',
    );
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('my report');
    expect(readFileSync(join(dir, 'results', 'verify-ws-4x4.json'), 'utf8')).toBe('{"mine": true}');
    expectUsageError(await cli(['demo', '--out', '']), '--out');
  });

  it('an output path that is also an input is refused, the input kept (issue 32: run, report, model)', async () => {
    const dir = tmp();
    const f = join(dir, 'p.json');
    const text = JSON.stringify({ a: [[1]], b: [[1]] });
    writeFileSync(f, text);
    expectUsageError(
      await cli(['run', 'ws', '--config', 'ws-4x4', '--input', f, '--output', f]),
      `--output '${f}' is also --input; accelforge never writes over an input`,
    );
    expectUsageError(await cli(['report', f, '--out', f]), `--out '${f}' is also a results file`);
    const onnx = join(dir, 'm.onnx');
    writeFileSync(onnx, 'not read: refused before');
    expectUsageError(
      await cli(['model', onnx, '--design', 'ws', '--config', 'ws-4x4', '--json', onnx]),
      `--json '${onnx}' is also the model`,
    );
    expect(readFileSync(f, 'utf8')).toBe(text);
    expect(readFileSync(onnx, 'utf8')).toBe('not read: refused before');
  });

  it('model and compress refuse broken models by node and rule before any work (issue 32: silent wrong results)', async () => {
    const dir = tmp();
    const env = { ACCELFORGE_MODELS: join(dir, 'models') };
    const file = (name: string, bytes: Uint8Array) => (writeFileSync(join(dir, name), bytes), join(dir, name));
    const thousand = file(
      '1000.onnx',
      crafted('lenet-300-100', (m) => {
        const w = init(m, 'fc3.weight'),
          b = init(m, 'fc3.bias');
        w.dims = [1000, 100];
        setFloats(w, new Float32Array(1000 * 100));
        b.dims = [1000];
        setFloats(b, new Float32Array(1000));
      }),
    );
    const nan = file(
      'nan.onnx',
      crafted('lenet-300-100', (m) => {
        const t = init(m, 'fc1.weight');
        const v = floats(t);
        v[7] = NaN;
        setFloats(t, v);
      }),
    );
    const pads = file(
      'kernel.onnx',
      crafted('lenet-5', (m) => setInts(node(m, 'Conv'), 'pads', [-1, 0, 0, 0])),
    );
    for (const verb of [
      ['model', '--design', 'ws', '--config', 'ws-4x4'],
      ['compress', '--out', join(dir, 'c')],
    ]) {
      const run = (f: string) => cli([verb[0]!, f, ...verb.slice(1)], env);
      expectUsageError(await run(thousand), "output 'logits' has shape [N, 1000]", 'an MNIST classifier has 10');
      expectUsageError(await run(nan), "initializer 'fc1.weight' holds NaN at element 7");
      expectUsageError(await run(pads), "node 'conv1' (Conv) has pads = [-1,0,0,0]", 'must be 0..4');
    }
    expect(existsSync(join(dir, 'c'))).toBe(false);
    expect(existsSync(join(dir, 'models'))).toBe(false);
  });

  it('a very long unknown key is named shortened, not echoed whole (issue 32)', async () => {
    const dir = tmp();
    const key = 'k'.repeat(100_000);
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ [key]: 1 }));
    const r = await cli(['lint', 'ws', '--config', join(dir, 'c.json')]);
    expectUsageError(r, `unknown key '${'k'.repeat(120)}...' (100000 characters)`);
    expect(r.stderr.length).toBeLessThan(1000);
  });

  it('config: unknown key, value out of range, bad JSON, missing file (exit 2)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'c1.json'), JSON.stringify({ rows: 4, colz: 4 }));
    writeFileSync(join(dir, 'c2.json'), JSON.stringify({ dataWidth: 40 }));
    writeFileSync(join(dir, 'c3.json'), '{ rows: 4 ');
    const out = join(dir, 'rtl');
    expectUsageError(
      await cli(['generate', 'ws', '--config', join(dir, 'c1.json'), '--out', out]),
      "unknown key 'colz'",
      'allowed keys',
    );
    expectUsageError(
      await cli(['generate', 'ws', '--config', join(dir, 'c2.json'), '--out', out]),
      "key 'dataWidth' has value 40",
      'from 2 to 16',
    );
    expectUsageError(
      await cli(['generate', 'ws', '--config', join(dir, 'c3.json'), '--out', out]),
      'is not valid JSON',
    );
    expectUsageError(
      await cli(['generate', 'ws', '--config', join(dir, 'none.json'), '--out', out]),
      'none.json',
      'no such file',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('problem: wrong shape, entry out of range, missing input file (exit 2, no output left)', async () => {
    const dir = tmp();
    const out = join(dir, 'out.json');
    const run = (input: unknown) => {
      const p = join(dir, `in-${Math.random()}.json`);
      writeFileSync(p, JSON.stringify(input));
      return cli(['run', 'ws', '--config', 'ws-4x4', '--input', p, '--output', out]);
    };
    expectUsageError(await run({ a: [[1, 2]], b: [[1], [2], [3]] }), "'b' has 3 rows; expected 2");
    expectUsageError(await run({ a: [[1, 2], [3]], b: [[1], [2]] }), "'a'[1] has 1 entries; expected 2");
    expectUsageError(await run({ a: [[1, 200]], b: [[1], [2]] }), "'a'[0][1] = 200 is out of range", '-128..127');
    expectUsageError(await run({ a: [[1, 2]], b: [[1], [2]], d: [[1, 2]] }), "'d'[0] has 2 entries; expected 1");
    expectUsageError(await run({ a: [[1.5]], b: [[1]] }), "'a'[0][0] is 1.5; expected an integer");
    expectUsageError(await run({ a: [[1]], b: [[1]], extra: 1 }), "unknown key 'extra'");
    expectUsageError(
      await cli(['run', 'ws', '--config', 'ws-4x4', '--input', join(dir, 'missing.json'), '--output', out]),
      'missing.json',
      'no such file',
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('out'))).toEqual([]);
  });

  it('flags: unknown design, bad option values, missing options (exit 2)', async () => {
    expectUsageError(await cli(['lint', 'tpu', '--config', 'x']), "unknown design 'tpu'", 'ws, rs, eie');
    expectUsageError(
      await cli(['verify', 'ws', '--config', 'ws-4x4', '--cases', 'many']),
      '--cases must be an integer',
    );
    expectUsageError(await cli(['lint', 'ws']), "required option '-c, --config");
    expectUsageError(await cli(['frobnicate']), "unknown command 'frobnicate'");
    expectUsageError(
      await cli(['verify', 'ws', '--config', 'ws-4x4', '--inject-fault', 'pe[4][0]']),
      "--inject-fault 'pe[4][0]': row 4 is out of range; allowed: 0..3",
    );
    // Issue 32: an empty fault was read as "no fault".
    expectUsageError(
      await cli(['verify', 'ws', '--config', 'ws-4x4', '--inject-fault', '']),
      "--inject-fault '' is not a PE; allowed: 'pe[r][c]' or 'pe[r][c]:bitN'",
    );
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('generate');
    // The exit codes of the help paths, as the README states them: asked-for help and the version are
    // success; no command at all is bad usage (2), with the help on stderr.
    for (const args of [['verify', '--help'], ['help', 'run'], ['help'], ['--version']])
      expect((await cli(args)).code, args.join(' ')).toBe(0);
    expect((await cli(['--version'])).stdout.trim()).toBe(
      (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version,
    );
    const bare = await cli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: accelforge');
  });

  // More of the same refusals, one process each (half a second apiece since the CLI runs compiled).
  it('flags: fault coordinates per design, waves, --objective', async () => {
    expectUsageError(
      await cli(['verify', 'eie', '--config', 'eie-4pe', '--inject-fault', 'pe[1][1]']),
      "has 2 coordinates; allowed: 'pe[k]'",
    );
    expectUsageError(
      await cli(['verify', 'rs', '--config', 'rs-4x4', '--inject-fault', 'pe[0][0]:bit16']),
      'bit 16 is out of range; allowed: 0..15',
    );
    expectUsageError(await cli(['waves', tmp()]), 'holds no failure report');
    expectUsageError(
      await cli(['run', 'rs', '--config', 'rs-4x4', '--input', 'x.json', '--output', 'y.json', '--objective', 'speed']),
      "argument 'speed' is invalid",
      'cycles, energy',
    );
    expectUsageError(
      await cli([
        'run',
        'ws',
        '--config',
        'ws-4x4',
        '--input',
        'x.json',
        '--output',
        'y.json',
        '--objective',
        'energy',
      ]),
      "--objective 'energy' applies to design rs only",
    );
  });

  it('output that cannot be written is a failure, not silence (issue 32: `presets > /dev/full` exited 0)', async () => {
    // The device itself as the child's stdout, as the shell's `>` does.
    const full = openSync('/dev/full', 'w');
    const r = spawn(process.execPath, [repoPath('scripts/accelforge.mjs'), 'presets'], {
      stdio: ['ignore', full, 'pipe'],
    });
    let stderr = '';
    r.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise((done) => r.on('close', done)).finally(() => closeSync(full));
    expect(code).toBe(1);
    expect(stderr).toContain('accelforge: the output could not be written (ENOSPC); it is incomplete');
    // A closed pipe still ends quietly with the verb's own status.
    const head = spawn(process.execPath, [repoPath('scripts/accelforge.mjs'), 'presets'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    head.stdout.destroy();
    expect(await new Promise((done) => head.on('close', done))).toBe(0);
  });
});
