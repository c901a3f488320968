// What a failed co-simulation check leaves behind: a short report naming the
// design, config hash, seed, output element, PE and cycle, expected and
// actual values and the command that reproduces it; the failing case re-run
// with tracing on a window of cycles (FST for viewers, a VCD of the signals
// that matter), a GTKWave save file with a marker at the failure, a WaveDrom
// SVG and a text mini-waveform. Everything lands in one artifacts folder.
import { writeFileSync, readFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { filteredVcd, gtkwSave, miniWave, waveDromSvg } from './waves.js';
import { claimDir } from '../../common/output.js';
import { InputError } from '../../../golden/common/errors.js';
import { join, resolve } from 'node:path';
import { timeOfCycle, readVcd, type VcdSignal, type VcdTrace } from './vcd.js';
import { configHash } from '../../../generators/common/render.js';
import { faultName } from '../../../generators/common/fault.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';

export interface FailureFacts {
  design: string;
  configArg: string;
  configHash: string;
  seed?: number;
  fault?: string;
  element: string;
  expected: bigint;
  actual: bigint;
  /** PE that produced the element, as far as the design can say. */
  pe?: string;
  /** Trace cycle at which the element left the RTL. */
  cycle?: number;
  /** How the cycle was found (e.g. "DRAM write of the element"). */
  cycleNote?: string;
  reproduce: string;
}

/** What a design's failure function needs: the case, what the RTL returned, how to run it again. */
export interface FailureInput<C, P, R> {
  cfg: C;
  configArg: string;
  problem: P;
  result: R;
  /** The design that ran (a faulty one, say); the config's default when absent. */
  design?: GeneratedDesign;
  /** The run's seed and host throttling, so the re-run repeats it cycle for cycle. */
  seed?: number;
  stallPermille?: number;
  reproduce: string;
  dir: string;
  /** Also write the FST (default true). */
  fst?: boolean;
}

/** The facts every design's report shares: which case, which element, which design build. */
export function caseFacts(
  design: string,
  i: FailureInput<object, unknown, unknown>,
  bad: { element: string; expected: bigint; actual: bigint },
): Pick<
  FailureFacts,
  'design' | 'configArg' | 'configHash' | 'seed' | 'fault' | 'element' | 'expected' | 'actual' | 'reproduce'
> {
  return {
    design,
    configArg: i.configArg,
    configHash: i.design?.configHash ?? configHash(design.split(' ')[0]!, i.cfg),
    seed: i.seed,
    fault: i.design?.fault ? faultName(i.design.fault) : undefined,
    element: bad.element,
    expected: bad.expected,
    actual: bad.actual,
    reproduce: i.reproduce,
  };
}

export interface TraceSpec {
  /** Hierarchical scopes whose signals matter (besides the top's ports), e.g. TOP.rs_engine.gen_row[1].gen_col[2].u_pe */
  scopes: string[];
  /** A few signals for the WaveDrom and text views (full paths). */
  key: string[];
}

/** Re-runs the failing case with a trace of [from, to] cycles in FST or VCD. */
export type Rerun = (format: 'fst' | 'vcd', tracePath: string, window: [number, number]) => Promise<void>;

export interface FailureArtifacts {
  dir: string;
  files: string[];
  report: string;
  /** Extra findings of a design-specific trace analysis (e.g. the PE row). */
  findings: string[];
}

const hex = (v: bigint) => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

export async function writeFailureArtifacts(
  facts: FailureFacts,
  dir: string,
  rerun: Rerun,
  window: [number, number],
  spec: TraceSpec,
  analyze?: (trace: VcdTrace) => string[],
  opts: { fst?: boolean } = {},
): Promise<FailureArtifacts> {
  // A fresh folder: nothing from an earlier failure of the same case
  // survives; a folder accelforge did not write is refused (core/output.ts).
  const claim = claimDir('--artifacts', dir, 'failure', { legacy: isLegacyFailureDir });
  const own = (name: string) => {
    claim.add(name);
    return join(dir, name);
  };
  const files: string[] = [];
  const fst = own('waves.fst');
  const vcdFull = own('waves.full.vcd');
  const vcd = own('waves.vcd');
  // FST for viewers (compact, complete in the window); skipped on request
  // (tests that only check localization save a build).
  const withFst = opts.fst !== false;
  if (withFst) {
    await rerun('fst', fst, window);
    files.push(fst);
  }
  await rerun('vcd', vcdFull, window);
  const matters = (s: VcdSignal) =>
    /^TOP\.[^.]+$/.test(s.path) ||
    spec.scopes.some((p) => s.path.startsWith(p + '.')) ||
    spec.key.includes(s.path) ||
    (s.path.startsWith('TOP.') && s.path.split('.').length === 3);
  const trace = await readVcd(vcdFull, matters);
  writeFileSync(vcd, filteredVcd(trace, matters));
  rmSync(vcdFull, { force: true });
  files.push(vcd);
  const findings = analyze ? analyze(trace) : [];

  const markerCycle = facts.cycle ?? window[1] - 8;
  const gtkw = own('waves.gtkw');
  writeFileSync(
    gtkw,
    gtkwSave(resolve(withFst ? fst : vcd), trace, spec, matters, timeOfCycle(markerCycle) + 1n, timeOfCycle(window[0])),
  );
  files.push(gtkw);
  const keySignals = spec.key.map((p) => trace.signals.find((s) => s.path === p)).filter((s): s is VcdSignal => !!s);
  // A few dozen cycles up to the marker (kept inside the window).
  const to = Math.max(window[0], Math.min(window[1], markerCycle + 4)),
    from = Math.max(window[0], Math.min(to, markerCycle) - 24);
  const svg = own('waves.svg');
  writeFileSync(svg, waveDromSvg(trace, keySignals, from, to, markerCycle));
  files.push(svg);
  const text = miniWave(
    trace,
    keySignals,
    Math.max(from, markerCycle - 12),
    Math.min(to, markerCycle + 2),
    markerCycle,
  );

  const report = reportText(facts, findings, dir, window, gtkw, vcd, text);
  writeFileSync(own('report.txt'), report + '\n');
  writeFileSync(
    own('report.json'),
    JSON.stringify(
      {
        ...facts,
        expected: facts.expected.toString(),
        actual: facts.actual.toString(),
        window,
        findings,
        files: files.map((f) => resolve(f)),
      },
      null,
      2,
    ) + '\n',
  );
  files.push(join(dir, 'report.txt'), join(dir, 'report.json'));
  return { dir: resolve(dir), files: files.map((f) => resolve(f)), report, findings };
}

/** The report's text: the failure in a few lines, the reproduce command, where the waves are, the text wave. */
function reportText(
  facts: FailureFacts,
  findings: string[],
  dir: string,
  window: [number, number],
  gtkw: string,
  vcd: string,
  text: string,
): string {
  const lines = [
    `FAIL ${facts.design} ${facts.configArg} (config ${facts.configHash})${facts.seed !== undefined ? ` seed ${facts.seed}` : ''}${facts.fault ? ` injected fault ${facts.fault}` : ''}`,
    `  ${facts.element}: expected ${facts.expected} (${hex(facts.expected)}), got ${facts.actual} (${hex(facts.actual)})`,
    ...(facts.pe ? [`  produced by ${facts.pe}`] : []),
    ...(facts.cycle !== undefined
      ? [`  left the RTL at cycle ${facts.cycle}${facts.cycleNote ? ` (${facts.cycleNote})` : ''}`]
      : []),
    ...findings.map((f) => `  ${f}`),
    `  reproduce: ${facts.reproduce}`,
    `  artifacts: ${resolve(dir)} (trace window cycles ${window[0]}..${window[1]})`,
    `  view: gtkwave ${resolve(gtkw)}   (or: surfer ${resolve(vcd)})`,
    '',
    text,
  ];
  return lines.join('\n');
}

const failureFiles = [
  'report.json',
  'report.txt',
  'waves.fst',
  'waves.full.vcd',
  'waves.gtkw',
  'waves.svg',
  'waves.vcd',
];

/** A failure folder written before accelforge marked its folders: only its files, and its report. */
function isLegacyFailureDir(dir: string, names: string[]): boolean {
  if (!names.every((n) => failureFiles.includes(n))) return false;
  try {
    const j = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    return typeof j.reproduce === 'string' && typeof j.configHash === 'string';
  } catch {
    return false;
  }
}

/** Reprints a report written by writeFailureArtifacts; InputError when the folder holds none or a damaged one. */
export function readFailureReport(dir: string): { text: string; json: Record<string, unknown> } | undefined {
  const t = join(dir, 'report.txt'),
    j = join(dir, 'report.json');
  if (!existsSync(t) || !existsSync(j)) return undefined;
  const read = (p: string) => {
    try {
      if (!statSync(p).isFile())
        throw new InputError(`'${p}' is not a file; this is not a failure folder written by accelforge`);
      return readFileSync(p, 'utf8');
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`'${p}' cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  };
  const text = read(t);
  let json: unknown;
  try {
    json = JSON.parse(read(j));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `'${j}' is not valid JSON (${(e as Error).message}); the failure folder is damaged: rerun the reproduce command`,
    );
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new InputError(`'${j}' is not a failure report (expected a JSON object)`);
  return { text, json: json as Record<string, unknown> };
}
