// Code coverage from Verilator's coverage builds (`verify --coverage`):
// every run of a 'coverage' profile build writes its counters
// (coverage.dat, "SystemC::Coverage-3": one line per point, `C '<key>' n`
// with the key's fields as \x01name\x02value); verilator_coverage merges
// the runs; this module reads the merged file and sums it up per module.
// A line point is covered when it ran once; a toggle point (one bit of a
// signal) when it changed both ways (Verilator counts every change, and
// changes alternate, so a count of 2 or more). Instances of one module are
// merged (and parameter specializations of one module): a point is covered
// when any instance covered it.
import { execa } from 'execa';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ToolMissingError } from '../../../golden/common/errors.js';

export interface CoverPoint {
  kind: 'line' | 'toggle';
  module: string;
  /** Source file (base name: the generated design's file). */
  file: string;
  line: number;
  column: number;
  /** Line points: the block kind (if, else, block, case, ...); toggle points: the signal bit. */
  what: string;
  count: number;
}

const kinds: Record<string, CoverPoint['kind']> = { v_line: 'line', v_toggle: 'toggle' };

/** The points of a coverage.dat text (other point kinds, such as user cover points, are skipped). */
export function parseCoverage(text: string): CoverPoint[] {
  const out: CoverPoint[] = [];
  for (const row of text.split('\n')) {
    const m = /^C '(.*)' (\d+)$/.exec(row);
    if (!m) continue;
    const f = new Map<string, string>();
    for (const kv of m[1]!.split('\x01').slice(1)) {
      const at = kv.indexOf('\x02');
      f.set(kv.slice(0, at), kv.slice(at + 1));
    }
    const [page, specialized] = (f.get('page') ?? '').split('/');
    const kind = kinds[page ?? ''];
    if (!kind || !specialized) continue;
    // Verilator names each parameter specialization module__<params>; coverage is per source module.
    const module = specialized.replace(/__.*$/, '');
    out.push({
      kind,
      module,
      file: basename(f.get('f') ?? ''),
      line: Number(f.get('l') ?? 0),
      column: Number(f.get('n') ?? 0),
      what: f.get('o') ?? '',
      count: Number(m[2]),
    });
  }
  return out;
}

export interface Ratio {
  covered: number;
  total: number;
}

export interface ModuleCoverage {
  module: string;
  file: string;
  lines: Ratio;
  toggles: Ratio;
  /** Line points never reached: file line and block kind. */
  uncoveredLines: { line: number; what: string }[];
  /** Signal bits that did not change both ways. */
  uncoveredToggles: { line: number; signal: string; count: number }[];
  /** Signal bits left out of `toggles` (constant in the configuration: `CoverageSummary.excluded`). */
  excludedToggles: number;
}

export interface CoverageSummary {
  lines: Ratio;
  toggles: Ratio;
  modules: ModuleCoverage[];
  /** Toggle points left out of the ratios, and why (none when absent). */
  excluded?: { toggles: number; reason: string };
}

/** Toggle points that cannot toggle in the configuration, and why. */
export interface ToggleExclusion {
  /** Of the toggle points (instances merged), those left out. */
  pick: (toggles: CoverPoint[]) => CoverPoint[];
  reason: string;
}

const covered = (p: CoverPoint) => p.count >= (p.kind === 'toggle' ? 2 : 1);

/** Per module (instances merged) and in total; toggle points `exclusion` names are left out of the ratios and counted. */
export function summarizeCoverage(all: CoverPoint[], exclusion?: ToggleExclusion): CoverageSummary {
  const merged = new Map<string, CoverPoint>();
  for (const p of all) {
    const key = [p.kind, p.module, p.file, p.line, p.column, p.what].join('\0');
    const m = merged.get(key);
    // Instances merged: a line ran if it ran in any instance; a bit toggled both ways if it did in one.
    if (m) m.count = Math.max(m.count, p.count);
    else merged.set(key, { ...p });
  }
  // Excluded points counted once per module (after merging), kept out of everything else.
  const picked = new Set(exclusion?.pick([...merged.values()].filter((p) => p.kind === 'toggle')) ?? []);
  const isOut = (p: CoverPoint) => picked.has(p);
  const out = new Map<string, number>();
  const byModule = new Map<string, CoverPoint[]>();
  for (const p of merged.values()) {
    if (isOut(p)) out.set(p.module, (out.get(p.module) ?? 0) + 1);
    else byModule.set(p.module, [...(byModule.get(p.module) ?? []), p]);
  }
  const ratio = (ps: CoverPoint[]): Ratio => ({ covered: ps.filter(covered).length, total: ps.length });
  const modules = [...byModule.entries()]
    .map(([module, ps]) => {
      const lines = ps.filter((p) => p.kind === 'line'),
        toggles = ps.filter((p) => p.kind === 'toggle');
      const byPlace = (a: CoverPoint, b: CoverPoint) => a.line - b.line || a.column - b.column;
      return {
        module,
        file: ps[0]!.file,
        lines: ratio(lines),
        toggles: ratio(toggles),
        uncoveredLines: lines
          .filter((p) => !covered(p))
          .sort(byPlace)
          .map((p) => ({ line: p.line, what: p.what })),
        uncoveredToggles: toggles
          .filter((p) => !covered(p))
          .sort(byPlace)
          .map((p) => ({ line: p.line, signal: p.what, count: p.count })),
        excludedToggles: out.get(module) ?? 0,
      };
    })
    .sort((a, b) => a.module.localeCompare(b.module));
  const kept = [...byModule.values()].flat();
  return {
    lines: ratio(kept.filter((p) => p.kind === 'line')),
    toggles: ratio(kept.filter((p) => p.kind === 'toggle')),
    modules,
    ...(exclusion
      ? { excluded: { toggles: [...out.values()].reduce((a, b) => a + b, 0), reason: exclusion.reason } }
      : {}),
  };
}

/** Merges coverage files with verilator_coverage (summing the counts of equal points) into `out`. */
export async function mergeCoverage(files: string[], out: string): Promise<void> {
  try {
    await execa('verilator_coverage', ['--write', out, ...files]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ToolMissingError('verilator_coverage', 'apt-get install verilator (it comes with Verilator)', {
        cause: e,
      });
    throw e;
  }
}

/** Merges the runs' files and sums them up. */
export async function coverageOf(
  files: string[],
  merged: string,
  exclusion?: ToggleExclusion,
): Promise<CoverageSummary> {
  await mergeCoverage(files, merged);
  return summarizeCoverage(parseCoverage(readFileSync(merged, 'latin1')), exclusion);
}

/**
 * Coverage exclusions in RTL sources: Verilator's `verilator coverage_off`
 * pragma, allowed only with a written reason (`reason:` on the pragma's
 * line or the line before). Returns the lines (1-based) that lack one.
 */
export function unexplainedExclusions(text: string): number[] {
  const lines = text.split('\n');
  return lines.flatMap((l, i) =>
    /verilator\s+coverage_off/.test(l) && !/reason:/.test(l) && !/reason:/.test(lines[i - 1] ?? '') ? [i + 1] : [],
  );
}

export const pct = (r: Ratio) => (r.total ? (100 * r.covered) / r.total : 100);

/**
 * Runs `fn` with every Verilator build in the coverage profile and every run
 * writing its counts into `dir` (created), then merges and sums them up.
 */
export async function withCoverage<T>(
  dir: string,
  fn: () => Promise<T>,
  exclusion?: (runs: number) => Promise<ToggleExclusion | undefined>,
): Promise<{ value: T; coverage: CoverageSummary }> {
  mkdirSync(dir, { recursive: true });
  const saved = [process.env.ACCELFORGE_BUILD_PROFILE, process.env.ACCELFORGE_COVERAGE_DIR];
  process.env.ACCELFORGE_BUILD_PROFILE = 'coverage';
  process.env.ACCELFORGE_COVERAGE_DIR = dir;
  let value: T;
  try {
    value = await fn();
  } finally {
    const put = (k: string, v: string | undefined) => (v === undefined ? delete process.env[k] : (process.env[k] = v));
    put('ACCELFORGE_BUILD_PROFILE', saved[0]);
    put('ACCELFORGE_COVERAGE_DIR', saved[1]);
  }
  const runs = readdirSync(dir)
    .filter((f) => /^run-.*\.dat$/.test(f))
    .map((f) => join(dir, f));
  if (!runs.length) throw new Error(`coverage: no run wrote counts into ${dir}`);
  return { value, coverage: await coverageOf(runs, join(dir, 'merged.dat'), await exclusion?.(runs.length)) };
}
