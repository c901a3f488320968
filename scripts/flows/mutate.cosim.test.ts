// mutate (issue 28): a small mutation run per design in npm test (the bench
// runs 120 mutants per default preset). For each design, a multiplier made an
// adder must be killed by a wrong result, a few sampled mutants must each end
// in one class with its evidence, and the build cache must hold no mutant
// afterwards. ws also shows an equivalent mutant (logic of the os dataflow in
// a ws-only array, folded away) and the CLI's JSON and refusals.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { designByName } from '../../testbenches/registry.js';
import {
  mutateDesign,
  mutationPresets,
  type MutateOptions,
  type MutationReport,
} from '../../testbenches/mutation/run.js';
import { repoPath } from '../../golden/common/repo.js';

const full = Boolean(process.env.ACCELFORGE_FULL);

/** Each design's small configuration and the module and line of its multiplier. */
const small: Record<string, { raw: object; multiplier: string; line: RegExp }> = {
  ws: { raw: { rows: 2, cols: 2, aDepth: 64, bDepth: 64, accDepth: 64 }, multiplier: 'ws_pe', line: /prod\s*=/ },
  os: { raw: { rows: 2, cols: 2, aDepth: 64, bDepth: 64, accDepth: 64 }, multiplier: 'os_pe', line: /prod\s*=/ },
  rs: { raw: { peRows: 2, peCols: 2, glbBytes: 8192 }, multiplier: 'rs_pe', line: /prod_exact\s*=/ },
  eie: { raw: { pes: 2, rowsPerPe: 32 }, multiplier: 'eie_arith', line: /x1_prod\s*=/ },
};

/** The 1-based line of a design's multiplier in its generated module. */
function multiplierLine(name: string): number {
  const d = designByName(name);
  const m = d
    .generate(d.parseConfig(small[name]!.raw, 'test'))
    .modules.find((x) => x.name === small[name]!.multiplier)!;
  return m.text.split('\n').findIndex((l) => small[name]!.line.test(l)) + 1;
}

const run = (name: string, o: Partial<MutateOptions>): Promise<MutationReport> => {
  const d = designByName(name);
  return mutateDesign(d, d.parseConfig(small[name]!.raw, 'test'), {
    configArg: `${name} small`,
    seed: 3,
    cases: 2,
    sim: 'icarus',
    jobs: 2,
    // The module-level proofs of survivors: long enough for a small module (the bench gives a minute).
    proofMs: 15_000,
    log: () => {},
    ...o,
  });
};

/** Private build caches left in the temporary folder (there must be none after a run). */
const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('accelforge-mutants-'));

describe.each(Object.keys(small))('mutate %s (small configuration, Icarus)', (name) => {
  it('kills a multiplier turned adder by a wrong result, and classes every sampled mutant', async () => {
    const before = leftovers();
    const line = multiplierLine(name);
    const mult = await run(name, {
      filter: (m) => m.module === small[name]!.multiplier && m.line === line && m.what === '`*` -> `+`',
    });
    expect(mult.mutants).toBe(1);
    for (const r of mult.results) {
      expect(r.status, r.diff).toBe('killed');
      expect(r.killedBy!.check).toBe('mismatch');
      expect(r.killedBy!.case).toBe(1);
      expect(r.diff).toMatch(/^\+ .*\+/m);
    }
    const sampled = await run(name, { mutants: full ? 40 : 4 });
    expect(sampled.results).toHaveLength(full ? 40 : 4);
    expect(sampled.killed + sampled.survived + sampled.equivalent + sampled.stillborn).toBe(sampled.mutants);
    for (const r of sampled.results) {
      if (r.status === 'killed') expect(r.killedBy!.case).toBeLessThanOrEqual(2);
      if (r.status === 'survived') expect(r.cases).toBe(2);
      if (r.status === 'stillborn') expect(r.error).toBeTruthy();
    }
    expect(sampled.candidates).toBeGreaterThan(sampled.notElaborated);
    expect(leftovers()).toEqual(before);
  });
});

describe('mutate ws: equivalence and the CLI', () => {
  it("classes a mutant of the os dataflow's logic in a ws-only array as equivalent", async () => {
    const d = designByName('ws');
    const counters = d.generate(d.parseConfig(small.ws!.raw, 'test')).modules.find((x) => x.name === 'ws_counters')!;
    const line = counters.text.split('\n').findIndex((l) => /os_i \? steps - firsts/.test(l)) + 1;
    expect(line).toBeGreaterThan(0);
    const r = await run('ws', {
      filter: (m) => m.module === 'ws_counters' && m.line === line && m.kind === 'operator',
    });
    // The mutants inside the os branch of the register-file read count (os_i is 0 in a ws-only array).
    const os = r.results.filter((x) => /^\+ .*os_i \? steps \+ firsts/m.test(x.diff));
    expect(os.length).toBeGreaterThan(0);
    for (const x of os) {
      expect(x.status, x.diff).toBe('equivalent');
      expect(x.equivalentBy).toContain('optimized netlist');
    }
  });

  it('proves a counter bound off by one equivalent module by module (a case item above decodes its boundary)', async () => {
    const d = designByName('ws');
    const csr = d.generate(d.parseConfig(small.ws!.raw, 'test')).modules.find((x) => x.name === 'ws_csr')!;
    const line =
      csr.text.split('\n').findIndex((l) => /addr_i < HostAddrWidth'\(ws_pkg::FirstCounter \+ NumCounters\)/.test(l)) +
      1;
    expect(line).toBeGreaterThan(0);
    const r = await run('ws', {
      filter: (m) => m.module === 'ws_csr' && m.line === line && m.what === '`<` -> `<=`',
    });
    expect(r.mutants).toBe(1);
    expect(r.results[0]!.status, r.results[0]!.diff).toBe('equivalent');
    expect(r.results[0]!.equivalentBy).toMatch(/^ws_csr with the mutation is proven equivalent .*equiv_induct/);
  });

  it('writes the JSON, keeps the build cache clean and refuses bad flags (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'af-mut-'));
    const cache = join(dir, 'cache');
    const env = { ...process.env, ACCELFORGE_CACHE: cache };
    const cli = (args: string[]) =>
      execa('node', [repoPath('scripts/accelforge.mjs'), ...args], { reject: false, env, all: true });
    const json = join(dir, 'm.json');
    const ok = await cli([
      'mutate',
      'ws',
      '-c',
      'ws-4x4',
      '--module',
      'ws_pe',
      '--kind',
      'operator',
      '--mutants',
      '2',
      '--cases',
      '2',
      '--seed',
      '4',
      '--json',
      json,
    ]);
    expect(ok.exitCode, ok.all).toBe(0);
    const r = JSON.parse(readFileSync(json, 'utf8')) as MutationReport;
    expect(r.schema).toBe('accelforge.mutate/1');
    expect(r.results.map((x) => [x.module, x.kind])).toEqual([
      ['ws_pe', 'operator'],
      ['ws_pe', 'operator'],
    ]);
    expect(ok.all).toContain(`of ${r.killed + r.survived} mutants killed`);
    // Mutants built in a private cache: the user's cache holds nothing (the unmutated design built there too).
    expect(existsSync(cache) ? readdirSync(cache).filter((f) => !f.startsWith('.')) : []).toEqual([]);
    for (const [args, msg] of [
      [['--module', 'nope'], "--module 'nope' is not a module of ws ws-4x4"],
      [['--module', 'af_sram_1r1w'], "--module 'af_sram_1r1w' is never mutated"],
      [['--mutants', '3', '--all'], 'give --mutants N or --all, not both'],
      [['--kind', 'typo'], "argument 'typo' is invalid"],
    ] as const) {
      const bad = await cli(['mutate', 'ws', '-c', 'ws-4x4', ...args]);
      expect(bad.exitCode, bad.all).toBe(2);
      expect(bad.all).toContain(msg);
      expect(bad.all).not.toMatch(/\n\s+at /);
    }
  });
});

// test:full: the bench's whole set (120 mutants of each default preset, 10 cases,
// seed 1) again, mutant by mutant as committed in docs/results/mutate-<design>.json.
describe.runIf(full)('mutate: the full sets, as committed (test:full only: about 15 minutes of Icarus)', () => {
  it.for(Object.entries(mutationPresets))(
    '%s %s: every mutant ends as docs/results says',
    { timeout: 7200_000 },
    async ([name, preset]) => {
      const committed = JSON.parse(
        readFileSync(repoPath(`docs/results/mutate-${name}.json`), 'utf8'),
      ) as MutationReport;
      const d = designByName(name);
      const r = await mutateDesign(d, d.presets[preset]!, {
        configArg: preset,
        seed: committed.seed,
        cases: committed.casesPerMutant,
        mutants: committed.mutants,
        sim: 'icarus',
        jobs: 2,
        log: () => {},
      });
      const key = (x: MutationReport['results'][number]) => `${x.id} ${x.module}:${x.line} ${x.what}: ${x.status}`;
      expect(r.results.map(key)).toEqual(committed.results.map(key));
    },
  );
});
