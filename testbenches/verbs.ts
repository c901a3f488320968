// The generic `run` and `verify` loops over the Design plugin: one shape for
// every design (parse, generate, simulate, compare, report).
import { InputError, MismatchError } from '../golden/common/errors.js';
import { faultName, type FaultSpec } from '../generators/common/fault.js';
import { modelFailure, type AnyDesign, type DesignRunOptions } from './plugin.js';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirp } from './common/fs.js';
import { withCoverage, type CoverageSummary } from './tools/verilator/coverage.js';
import { coverageText } from './tools/verilator/coverage-text.js';
import { constantToggles } from './tools/yosys/constants.js';
import { binsText, type FunctionalCoverage } from './common/bins.js';
import { CaseDraw } from './verify/case-draw.js';
import { failureDir, flagArgs, indent, reproduceRun, reproduceVerify, type CheckOptions } from './reproduce.js';

export type { CheckOptions };

export interface RunFlags extends Pick<DesignRunOptions, 'maxCycles'> {
  /** Trace file of the run. */
  waves?: string;
  stall?: number;
  fault?: FaultSpec;
  /** Check against the golden model; artifacts on a mismatch. */
  expect?: boolean;
  artifacts: string;
  configArg: string;
  /** Design-specific flags by key. */
  flags?: Record<string, unknown>;
  sim?: 'verilator' | 'icarus';
}

/** `run`: a user's problem on the RTL; the JSON of cli.md, with cycles and counters measured in the RTL. */
export async function runProblem(d: AnyDesign, cfg: object, raw: unknown, source: string, f: RunFlags) {
  const p = d.parseProblem(raw, cfg, source);
  const design = d.generate(cfg, { fault: f.fault });
  const r = await d.simulate(cfg, p, {
    design,
    trace: f.waves,
    maxCycles: f.maxCycles,
    stallPermille: f.stall ?? 0,
    flags: f.flags,
    expectInline: f.expect,
    sim: f.sim,
  });
  if (f.expect) {
    const bad = d.firstMismatch(cfg, p, r);
    if (bad) {
      const a = await d.failure(cfg, p, r, bad, {
        configArg: f.configArg,
        design,
        stallPermille: f.stall,
        flags: f.flags,
        reproduce: reproduceRun(d.name, f.configArg, source, f),
        dir: failureDir(f, d.name, design.configHash, 'run'),
      });
      throw new MismatchError({ ...bad }, `${d.name} ${f.configArg}\n${a.report}`);
    }
  }
  return d.summary(cfg, p, r, design);
}

export const verifySchema = 'accelforge.verify/1';

/** One verify case: what ran, what the RTL counted and, for a failure, where its report and waveform are. */
export interface VerifyCase {
  index: number;
  seed: number;
  describe: string;
  passed: boolean;
  cycles: number;
  modelCycles?: number;
  failure?: {
    kind: 'mismatch' | 'cycles' | 'counters';
    message: string;
    reproduce: string;
    /** The failure folder (report.txt, report.json, waves.svg, waves.vcd, waves.fst); mismatches only. */
    artifacts?: string;
    element?: string;
    expected?: string;
    actual?: string;
  };
}

/** `verify --json`: the whole run (schema accelforge.verify/1). */
export interface VerifyReport {
  /** `verify --coverage`: line and toggle coverage of the cases, per module (Verilator), and where the counts are. */
  coverage?: CoverageSummary & { dir: string };
  /** `verify --coverage` or `--until-covered`: the design's functional bins and the cases that hit each. */
  functional?: FunctionalCoverage;
  schema: string;
  design: string;
  config: string;
  configHash: string;
  fault?: string;
  seed: number;
  passed: number;
  failed: number;
  cases: VerifyCase[];
}

/** The failure folder's report, or (a folder accelforge may not write) a note saying so with the reproduce command. */
function failureOrNote(
  writing: Promise<{ dir: string; report: string }>,
  reproduce: string,
): Promise<{ dir?: string; report: string }> {
  return writing.catch((e: unknown) => {
    if (!(e instanceof InputError)) throw e;
    return { report: `no failure folder written: ${e.message}\nreproduce: ${reproduce}` };
  });
}

/** `verify`: random cases against the golden model (and the cycle model), a line per case. */
export async function verifyDesign(
  d: AnyDesign,
  cfg: object,
  configArg: string,
  seed: number,
  cases: number,
  log: (l: string) => void,
  o: VerifyOptions,
): Promise<VerifyReport> {
  if (!o.coverage) return verifyCases(d, cfg, configArg, seed, cases, log, o);
  if (o.sim === 'icarus')
    throw new InputError('--coverage counts with Verilator; leave out --sim icarus (or give --sim verilator)');
  const generated = d.generate(cfg, { fault: o.fault });
  const hash = generated.configHash;
  const root = join(o.artifacts, 'coverage');
  mkdirp(root);
  const dir = mkdtempSync(join(root, `${d.name}-${hash}-seed${seed}-`));
  const { value, coverage } = await withCoverage(
    dir,
    () => verifyCases(d, cfg, configArg, seed, cases, log, o),
    (runs) => constantToggles(generated, runs),
  );
  for (const l of coverageText(coverage)) log(l);
  log(`coverage counts: ${join(dir, 'merged.dat')} (verilator_coverage --annotate OUT ${join(dir, 'merged.dat')})`);
  return { ...value, coverage: { ...coverage, dir } };
}

const caseLine = (c: { seed: number; describe: string; stallPermille?: number }) => {
  const what = `${c.describe}${c.stallPermille !== undefined ? ` host-stalls=${c.stallPermille / 10}%` : ''}`;
  return { what, desc: `seed ${c.seed} ${what}` };
};

export type VerifyOptions = CheckOptions & {
  onCase?: (done: number, label: string) => void;
  /** Count line and toggle coverage (a coverage build; Verilator only) and the functional bins. */
  coverage?: boolean;
  /** Draw cases until every functional bin was hit (at most `cases`). */
  untilCovered?: boolean;
};

async function verifyCases(
  d: AnyDesign,
  cfg: object,
  configArg: string,
  seed: number,
  cases: number,
  log: (l: string) => void,
  o: VerifyOptions,
): Promise<VerifyReport> {
  const design = d.generate(cfg, { fault: o.fault });
  const out: VerifyCase[] = [];
  const draw = new CaseDraw(d, cfg, seed, cases, o.flags);
  const tally = draw.tally;
  // --until-covered: `cases` is the most it draws; it stops once every bin was hit.
  for (let i = 0; i < cases && !(o.untilCovered && tally && i > 0 && !tally.empty().length); i++) {
    const c = draw.draw();
    o.onCase?.(i, `seed ${c.seed}`);
    const { what, desc } = caseLine(c);
    const r = await d.simulate(cfg, c.problem, {
      design,
      stallPermille: c.stallPermille,
      seed: c.seed,
      expectInline: true,
      sim: o.sim,
      flags: o.flags,
    });
    draw.hit(i + 1, d.bins?.hit(cfg, c.problem, r, { stallPermille: c.stallPermille }) ?? []);
    const bad = d.firstMismatch(cfg, c.problem, r);
    const cyc = d.cycleCheck?.(cfg, c.problem, r);
    const model = bad ? undefined : modelFailure(d, cfg, c.problem, r);
    const reproduce = reproduceVerify(d.name, configArg, c.seed, o.fault, flagArgs(o.flags), o.sim);
    const base = { index: i + 1, seed: c.seed, describe: what, cycles: r.cycles, modelCycles: cyc?.model };
    if (bad) {
      const message = `${bad.element} expected ${bad.expected}, got ${bad.actual}`;
      // The FAIL line first: a failure folder that cannot be written must not hide the failure.
      log(`FAIL case ${i + 1}/${cases} ${desc}: ${message}`);
      const dir = failureDir(o, d.name, design.configHash, c.seed);
      const ctx = { configArg, design, seed: c.seed, stallPermille: c.stallPermille, reproduce, dir };
      const a = await failureOrNote(d.failure(cfg, c.problem, r, bad, ctx), reproduce);
      log(indent(a.report));
      out.push({
        ...base,
        passed: false,
        failure: {
          kind: 'mismatch',
          message,
          reproduce,
          artifacts: a.dir,
          element: bad.element,
          expected: String(bad.expected),
          actual: String(bad.actual),
        },
      });
    } else if (model) {
      log(`FAIL case ${i + 1}/${cases} ${desc}: ${model.message}`);
      log(`  reproduce: ${reproduce}`);
      out.push({ ...base, passed: false, failure: { ...model, reproduce } });
    } else {
      log(`PASS case ${i + 1}/${cases} ${desc} cycles=${r.cycles}${cyc ? ` (model ${cyc.model})` : ''}`);
      out.push({ ...base, passed: true });
    }
  }
  o.onCase?.(cases, 'done');
  const failed = out.filter((c) => !c.passed).length;
  log(`${out.length - failed} passed, ${failed} failed`);
  const functional = o.coverage || o.untilCovered ? tally?.summary() : undefined;
  if (functional) for (const l of binsText(functional, !!o.untilCovered, cases)) log(l);
  return {
    schema: verifySchema,
    design: d.name,
    config: configArg,
    configHash: design.configHash,
    fault: design.fault ? faultName(design.fault) : undefined,
    seed,
    passed: out.length - failed,
    failed,
    cases: out,
    ...(functional ? { functional } : {}),
  };
}
