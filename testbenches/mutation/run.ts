// `mutate`: how many realistic RTL bugs the verify cases catch. Each mutant is
// the generated design with one mutation (operators.ts) in one module; it runs
// the same random cases as `verify` (a fixed budget, stopping at the first
// that fails) and is killed by what fails first: a wrong output, cycles off the
// exact model, a failed assertion, a hang (watchdog) or unreadable output.
// Mutants build in a private cache that is removed at the end: no mutated RTL
// reaches the build cache or a user's folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccelforgeError,
  AssertionFailedError,
  BuildError,
  InputError,
  SimTimeoutError,
  ToolMissingError,
} from '../../golden/common/errors.js';
import { Random } from '../../golden/common/random.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { removeOnSignal } from '../common/cleanup.js';
import { modelFailure, type AnyDesign, type VerifyCase } from '../plugin.js';
import { CaseDraw } from '../verify/case-draw.js';
import { elaboratedLines, optimizedNetlist } from './elaborated.js';
import { moduleNetlists, provedEquivalent } from './module-equiv.js';
import { applyMutation, mutationPoints, type Mutation } from './operators.js';
import { resultLine, summarize, type MutantResult, type MutationReport } from './report.js';

export * from './report.js';
import { alwaysEven, explainSurvivor } from './survivors.js';

/** The default preset of each design: where the bench and test:full measure the score. */
export const mutationPresets: Record<string, string> = { ws: 'ws-4x4', os: 'os-4x4', rs: 'rs-4x4', eie: 'eie-4pe' };

/** Modules never mutated, with the reason (the report prints it). */
export const unmutated: Record<string, string> = {
  af_sram_1r1w: 'the behavioural model of the SRAM macro a user swaps in (manifest.json memories)',
};

export interface MutateOptions {
  configArg: string;
  seed: number;
  /** Cases per mutant (the verify budget). */
  cases: number;
  /** How many mutants to draw from the candidates (all when absent or larger). */
  mutants?: number;
  /** Only candidates this accepts (a module, a kind). */
  filter?: (m: Mutation) => boolean;
  /** Called with the results so far when the run stops on an error (a missing tool, an interrupted build). */
  onPartial?: (r: MutationReport) => void;
  sim: 'verilator' | 'icarus';
  jobs: number;
  /** How long the module-level proof of one survivor may take (default a minute). */
  proofMs?: number;
  log: (line: string) => void;
  /** Called once the mutants are drawn, with their number. */
  onPlan?: (total: number) => void;
  onMutant?: (done: number, total: number) => void;
}

interface Candidate extends Mutation {
  file: string;
}

/** The candidates of a design, split into elaborated ones and the count on lines the configuration does not build. */
export async function candidates(design: GeneratedDesign): Promise<{ run: Candidate[]; notElaborated: number }> {
  const lines = await elaboratedLines(design);
  const all = design.modules
    .filter((m) => !unmutated[m.name] && !m.name.endsWith('_pkg'))
    .flatMap((m) => mutationPoints(m.name, m.text).map((x) => ({ ...x, file: `${m.name}.sv` })));
  const run = all.filter((c) => lines.get(c.file)?.has(c.line));
  return { run, notElaborated: all.length - run.length };
}

/** A deterministic sample of `n` candidates: the first n of a seeded shuffle (each kind in proportion, on average). */
export function sample<T>(xs: T[], n: number | undefined, seed: number): T[] {
  const a = [...xs];
  const r = new Random(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return n === undefined ? a : a.slice(0, n);
}

/** `-`/`+` lines of a mutation in its module. */
export function mutationDiff(text: string, m: Mutation): string {
  const lineStart = text.lastIndexOf('\n', m.start - 1) + 1;
  const e = text.indexOf('\n', m.end);
  const lineEnd = e < 0 ? text.length : e;
  const before = text.slice(lineStart, lineEnd);
  const after = text.slice(lineStart, m.start) + m.text + text.slice(m.end, lineEnd);
  const mark = (p: string, s: string) => s.split('\n').map((l) => `${p} ${l}`);
  return [`${m.module}.sv:${m.line}`, ...mark('-', before), ...mark('+', after)].join('\n');
}

function mutantDesign(design: GeneratedDesign, m: Mutation, id: number): GeneratedDesign {
  return {
    ...design,
    configHash: `${design.configHash}-mutant${id}`,
    modules: design.modules.map((x) => (x.name === m.module ? { ...x, text: applyMutation(x.text, m) } : x)),
  };
}

interface Timed {
  c: VerifyCase<unknown>;
  /** Wall-clock limit for a mutant's run of this case. */
  timeoutMs: number;
  maxCycles: number;
}

/** Runs `f` with the build cache in a private folder (removed afterwards and on a signal). */
async function inPrivateCache<T>(f: () => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'accelforge-mutants-'));
  const unregister = removeOnSignal(dir);
  const saved = process.env.ACCELFORGE_CACHE;
  process.env.ACCELFORGE_CACHE = dir;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.ACCELFORGE_CACHE;
    else process.env.ACCELFORGE_CACHE = saved;
    rmSync(dir, { recursive: true, force: true });
    unregister();
  }
}

/** A verify case's run: its stalls and seed, every inline check on. */
const caseOptions = (design: GeneratedDesign, c: VerifyCase<unknown>, o: MutateOptions) => ({
  design,
  stallPermille: c.stallPermille,
  seed: c.seed,
  sim: o.sim,
  expectInline: true,
});

/** The cases, run on the unmutated design first: each must pass, and its run time bounds the mutants'. */
async function baseline(d: AnyDesign, cfg: object, design: GeneratedDesign, o: MutateOptions): Promise<Timed[]> {
  const out: Timed[] = [];
  const draw = new CaseDraw(d, cfg, o.seed, o.cases);
  for (let i = 0; i < o.cases; i++) {
    const c = draw.draw();
    const t0 = performance.now();
    const r = await d.simulate(cfg, c.problem, caseOptions(design, c, o));
    const ms = performance.now() - t0;
    draw.hit(i + 1, d.bins?.hit(cfg, c.problem, r, { stallPermille: c.stallPermille }) ?? []);
    const bad = d.firstMismatch(cfg, c.problem, r);
    if (bad || modelFailure(d, cfg, c.problem, r))
      throw new InputError(
        `mutate: the unmutated ${d.name} ${o.configArg} fails case ${i + 1} (seed ${c.seed}); a mutation score needs a passing design (run verify ${d.name} --config ${o.configArg} --seed ${c.seed} --cases 1)`,
      );
    // A mutant that hangs is stopped well after the good design finished.
    out.push({ c, timeoutMs: Math.max(10_000, 8 * ms), maxCycles: 50 * r.cycles + 200_000 });
  }
  return out;
}

/** What killed a mutant in one case, or undefined when the case passed. */
async function runCase(d: AnyDesign, cfg: object, design: GeneratedDesign, t: Timed, o: MutateOptions) {
  const { c } = t;
  try {
    const r = await d.simulate(cfg, c.problem, {
      ...caseOptions(design, c, o),
      timeoutMs: t.timeoutMs,
      maxCycles: t.maxCycles,
    });
    const bad = d.firstMismatch(cfg, c.problem, r);
    if (bad)
      return { check: 'mismatch' as const, message: `${bad.element} expected ${bad.expected}, got ${bad.actual}` };
    const off = modelFailure(d, cfg, c.problem, r);
    if (off) return { check: off.kind, message: off.message };
    return undefined;
  } catch (e) {
    if (e instanceof ToolMissingError || e instanceof BuildError) throw e;
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    if (e instanceof AssertionFailedError) return { check: 'assertion' as const, message };
    if (e instanceof SimTimeoutError) return { check: 'timeout' as const, message };
    if (e instanceof AccelforgeError || e instanceof Error) return { check: 'error' as const, message };
    throw e;
  }
}

async function runMutant(
  d: AnyDesign,
  cfg: object,
  design: GeneratedDesign,
  m: Candidate,
  id: number,
  cases: Timed[],
  o: MutateOptions & { goldNetlist?: string; goldModules?: Map<string, Promise<string[]>> },
): Promise<MutantResult> {
  const text = design.modules.find((x) => x.name === m.module)!.text;
  const base = { id, module: m.module, line: m.line, kind: m.kind, what: m.what, diff: mutationDiff(text, m) };
  const mutant = mutantDesign(design, m, id);
  for (let i = 0; i < cases.length; i++) {
    let kill;
    try {
      kill = await runCase(d, cfg, mutant, cases[i]!, o);
    } catch (e) {
      if (e instanceof BuildError)
        return { ...base, status: 'stillborn', error: e.message.split('\n').slice(0, 6).join('\n'), cases: 0 };
      throw e;
    }
    if (kill)
      return { ...base, status: 'killed', killedBy: { ...kill, case: i + 1, seed: cases[i]!.c.seed }, cases: i + 1 };
  }
  if (o.goldNetlist !== undefined && (await optimizedNetlist(mutant, blackbox)) === o.goldNetlist)
    return { ...base, status: 'equivalent', equivalentBy: equivalentReason, cases: cases.length };
  const even = alwaysEven(text, m);
  if (even) return { ...base, status: 'equivalent', equivalentBy: even, cases: cases.length };
  const proof = o.goldModules && (await moduleProof(design, mutant, m, o.goldModules, o.proofMs ?? proofMs));
  if (proof) return { ...base, status: 'equivalent', equivalentBy: proof, cases: cases.length };
  return { ...base, status: 'survived', explained: explainSurvivor(d.name, m, text), cases: cases.length };
}

/** How long the module-level proof of one survivor may take, unless the options say. */
const proofMs = 60_000;

/** The module-level SAT proof (module-equiv.ts) of a survivor that is not a reset value: its reason, or undefined. */
async function moduleProof(
  design: GeneratedDesign,
  mutant: GeneratedDesign,
  m: Candidate,
  gold: Map<string, Promise<string[]>>,
  ms: number,
): Promise<string | undefined> {
  if (m.kind === 'reset') return undefined;
  if (!gold.has(m.module)) gold.set(m.module, moduleNetlists(design, m.module, blackbox, 'gold'));
  const g = await gold.get(m.module)!;
  if (!(await provedEquivalent(g, await moduleNetlists(mutant, m.module, blackbox, 'gate'), ms))) return undefined;
  return `${m.module} with the mutation is proven equivalent to the original in ${g.length === 1 ? 'its parametrization' : `each of its ${g.length} parametrizations`}: the same outputs and next register values from the same inputs and register values (system Yosys: equiv_make, equiv_simple, equiv_induct), so it stays in step from reset in any design`;
}

const blackbox = 'af_sram_1r1w';
export const equivalentReason =
  "the optimized netlist equals the unmutated design's (system Yosys: proc, flatten, opt -full, opt_clean -purge; SRAM model as a blackbox; private names drawn from the structure)";

/** The mutation run of one configuration. */
export async function mutateDesign(d: AnyDesign, cfg: object, o: MutateOptions): Promise<MutationReport> {
  const t0 = performance.now();
  const design = d.generate(cfg);
  const { run, notElaborated } = await candidates(design);
  const picked = sample(o.filter ? run.filter(o.filter) : run, o.mutants, o.seed);
  o.log(
    `mutate ${d.name} ${o.configArg}: ${run.length + notElaborated} mutations of the logic, ${notElaborated} on lines this configuration does not elaborate; running ${picked.length} with ${o.cases} cases each (${o.sim}, seed ${o.seed})`,
  );
  o.onPlan?.(picked.length);
  const out: MutantResult[] = [];
  const report = () =>
    summarize(
      d.name,
      o,
      unmutated,
      design.configHash,
      run.length + notElaborated,
      notElaborated,
      out.filter(Boolean),
      (performance.now() - t0) / 1000,
    );
  try {
    await runAll(d, cfg, design, picked, out, o);
  } catch (e) {
    o.onPartial?.({ ...report(), incomplete: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  return report();
}

/** Runs the picked mutants, `jobs` at a time, into `out` (by index), in a private build cache. */
async function runAll(
  d: AnyDesign,
  cfg: object,
  design: GeneratedDesign,
  picked: Candidate[],
  out: MutantResult[],
  o: MutateOptions,
): Promise<void> {
  await inPrivateCache(async () => {
    const cases = await baseline(d, cfg, design, o);
    const goldNetlist = await optimizedNetlist(design, blackbox);
    const goldModules = new Map<string, Promise<string[]>>();
    let next = 0,
      done = 0;
    const worker = async () => {
      for (let i = next++; i < picked.length; i = next++) {
        out[i] = await runMutant(d, cfg, design, picked[i]!, i + 1, cases, { ...o, goldNetlist, goldModules });
        o.log(resultLine(out[i]!));
        o.onMutant?.(++done, picked.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));
  });
}
