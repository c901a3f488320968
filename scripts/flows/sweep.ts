// `accelforge sweep`: `verify` over a grid of configurations. A grid file
// (JSON or YAML) names a design and, per parameter, the values to take (a
// list, or {from, to, step}); the configurations are the cartesian product
// in a fixed order, combinations that break a config rule are skipped (and
// counted). `--shard i/n` takes every n-th configuration starting at the
// i-th, so the n shards are disjoint and together are the whole grid;
// `--jobs` verifies that many configurations at once; the JUnit report has a
// test case per configuration. Sweeps build in the fast-build profile
// (toolchain/verilator/runner.ts) unless ACCELFORGE_BUILD_PROFILE says otherwise:
// each configuration is a new compile that runs only a few cases.
import { parse as parseYaml } from 'yaml';
import { readBoundedFile } from '../../testbenches/common/read-file.js';
import { maxDepth, maxJsonBytes } from '../../testbenches/common/json.js';
import { jsonDepth } from '../../golden/common/show.js';
import { InputError } from '../../golden/common/errors.js';
import { show } from '../../golden/common/show.js';
import { designByName, type AnyDesign } from '../../testbenches/registry.js';
import { verifyDesign, type VerifyCase } from '../../testbenches/verbs.js';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirp } from '../../testbenches/common/fs.js';
import {
  withCoverage,
  type CoverageSummary,
  type ToggleExclusion,
} from '../../testbenches/tools/verilator/coverage.js';
import { constantToggles } from '../../testbenches/tools/yosys/constants.js';
import { coverageText } from '../../testbenches/tools/verilator/coverage-text.js';

export const sweepSchema = 'accelforge.sweep/1';

export interface SweepGrid {
  design: AnyDesign;
  /** Every combination, in order (shard by index). */
  configs: { name: string; raw: Record<string, number | boolean | string> }[];
  /** Combinations refused by a config rule, with the first reason. */
  skipped: number;
  firstSkip?: string;
}

type Values = (number | boolean | string)[];

function valuesOf(key: string, v: unknown, source: string): Values {
  if (Array.isArray(v)) {
    if (v.length === 0 || !v.every((x) => ['number', 'boolean', 'string'].includes(typeof x)))
      throw new InputError(
        `${source}: params.${key} is ${show(v)}; expected a non-empty list of numbers, booleans or names, or {from, to, step}`,
      );
    return v as Values;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return [v];
  if (v && typeof v === 'object') {
    const r = v as Record<string, unknown>;
    const from = r.from,
      to = r.to,
      step = r.step ?? 1;
    if (
      typeof from !== 'number' ||
      typeof to !== 'number' ||
      typeof step !== 'number' ||
      !Number.isSafeInteger(from) ||
      !Number.isSafeInteger(to) ||
      !Number.isSafeInteger(step) ||
      step < 1 ||
      to < from
    ) {
      throw new InputError(
        `${source}: params.${key} is ${show(v)}; expected {from, to, step} with safe integers from <= to and step >= 1`,
      );
    }
    // Counted before it is expanded: {from: 1, to: 1e12} must not allocate.
    const count = Math.floor((to - from) / step) + 1;
    if (count > 10000) throw new InputError(`${source}: params.${key} has ${count} values; at most 10000`);
    return Array.from({ length: count }, (_, i) => from + i * step);
  }
  throw new InputError(`${source}: params.${key} is ${show(v)}; expected a list, a single value, or {from, to, step}`);
}

/** Reads and expands a grid file. */
export function readGrid(path: string): SweepGrid {
  const yaml = /\.ya?ml$/i.test(path);
  const text = readBoundedFile(path, 'grid', `a ${yaml ? 'YAML' : 'JSON'} grid file`, maxJsonBytes).toString('utf8');
  let raw: unknown;
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    // The yaml package reports its own stack overflow as a parse error.
    const deep = /call stack/i.test((e as Error).message);
    throw new InputError(
      deep
        ? `grid file '${path}' nests lists or mappings too deeply to read; a grid needs at most ${maxDepth} levels`
        : `grid file '${path}' is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`,
      { cause: e },
    );
  }
  if (jsonDepth(raw, maxDepth) > maxDepth)
    throw new InputError(
      `grid file '${path}' nests lists or mappings more than ${maxDepth} levels deep; a grid needs at most ${maxDepth}`,
    );
  return expandGrid(raw, path);
}

export function expandGrid(raw: unknown, source: string): SweepGrid {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError(`${source}: a grid is an object {design, params}`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['design', 'params'].includes(k))
      throw new InputError(`${source}: unknown key '${k}'; allowed: design, params`);
  if (typeof o.design !== 'string')
    throw new InputError(`${source}: 'design' is ${show(o.design)}; expected a design name`);
  const d = designByName(o.design);
  const params = (o.params === undefined ? {} : o.params) as Record<string, unknown>;
  if (!params || typeof params !== 'object' || Array.isArray(params))
    throw new InputError(`${source}: 'params' is ${show(o.params)}; expected an object of parameter -> values`);
  const keys = Object.keys(params);
  for (const k of keys)
    if (!Object.hasOwn(d.params, k))
      throw new InputError(
        `${source}: params.${k} is not a ${d.name} parameter; allowed: ${Object.keys(d.params).join(', ')}`,
      );
  const lists = keys.map((k) => valuesOf(k, params[k], source));
  const total = lists.reduce((a, l) => a * l.length, 1);
  if (total > 100000) throw new InputError(`${source}: the grid has ${total} combinations; at most 100000`);
  const configs: SweepGrid['configs'] = [];
  let skipped = 0,
    firstSkip: string | undefined;
  for (let i = 0; i < total; i++) {
    const rawCfg: Record<string, number | boolean | string> = {};
    let rest = i;
    for (let j = keys.length - 1; j >= 0; j--) {
      const l = lists[j]!;
      rawCfg[keys[j]!] = l[rest % l.length]!;
      rest = Math.floor(rest / l.length);
    }
    try {
      d.parseConfig(rawCfg, `${source} combination ${i}`);
      configs.push({ name: keys.map((k) => `${k}=${rawCfg[k]}`).join(' ') || 'defaults', raw: rawCfg });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      skipped++;
      firstSkip ??= e.message;
    }
  }
  if (configs.length === 0)
    throw new InputError(
      `${source}: no combination is a valid ${d.name} configuration${firstSkip ? ` (${firstSkip})` : ''}`,
    );
  return { design: d, configs, skipped, firstSkip };
}

/** `--shard i/n`: [i, n] with 1 <= i <= n. */
export function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m ? Number(m[1]) : NaN,
    n = m ? Number(m[2]) : NaN;
  // Safe integers only: 10^20 would be read as another number and run nothing.
  if (!m || !Number.isSafeInteger(n) || n < 1 || i < 1 || i > n)
    throw new InputError(`--shard '${text}': expected i/n with 1 <= i <= n (safe integers), e.g. 2/4`);
  return [i, n];
}

/** The indices of shard i of n: every n-th from i - 1. */
export const shardIndices = (count: number, [i, n]: [number, number]) =>
  Array.from({ length: count }, (_, k) => k).filter((k) => k % n === i - 1);

export interface SweepCase {
  index: number;
  name: string;
  config: Record<string, number | boolean | string>;
  passed: boolean;
  seconds: number;
  log: string[];
  /** The failed verify cases, each with its artifacts folder and reproduce command. */
  failures?: VerifyCase[];
}

export interface SweepReport {
  schema: string;
  design: string;
  shard: [number, number];
  total: number;
  skipped: number;
  cases: SweepCase[];
  /** `sweep --coverage`: line and toggle coverage of every configuration's cases together, per module. */
  coverage?: CoverageSummary & { dir: string };
}

/** runSweep, with every run counting coverage into one folder under ARTIFACTS/coverage (one summary for the grid). */
export async function runSweepWithCoverage(g: SweepGrid, o: Parameters<typeof runSweep>[1]): Promise<SweepReport> {
  const root = join(o.artifacts, 'coverage');
  mkdirp(root);
  const dir = mkdtempSync(join(root, `sweep-${g.design.name}-shard${o.shard[0]}of${o.shard[1]}-`));
  const { value, coverage } = await withCoverage(
    dir,
    () => runSweep(g, o),
    (runs) => sweptConstants(g, o.shard, runs),
  );
  for (const l of coverageText(coverage)) o.log(l);
  return { ...value, coverage: { ...coverage, dir } };
}

/**
 * The toggle points constant in every configuration of the shard (each
 * proven by the system Yosys, as verify --coverage does): the intersection,
 * none when some configuration is too large to flatten.
 */
async function sweptConstants(
  g: SweepGrid,
  shard: [number, number],
  runs: number,
): Promise<ToggleExclusion | undefined> {
  const each: ToggleExclusion[] = [];
  for (const k of shardIndices(g.configs.length, shard)) {
    const c = g.configs[k]!;
    const x = await constantToggles(g.design.generate(g.design.parseConfig(c.raw, c.name)), runs);
    if (!x) return undefined;
    each.push(x);
  }
  if (!each.length) return undefined;
  return {
    pick: (toggles) => each.reduce((kept, x) => x.pick(kept), toggles),
    get reason() {
      return `constant in every configuration of the sweep, each ${each[0]!.reason.replace(/^constant in this configuration: /, '')}`;
    },
  };
}

export async function runSweep(
  g: SweepGrid,
  o: {
    shard: [number, number];
    jobs: number;
    cases: number;
    seed: number;
    artifacts: string;
    log: (l: string) => void;
  },
): Promise<SweepReport> {
  const mine = shardIndices(g.configs.length, o.shard);
  const results: SweepCase[] = [];
  let next = 0;
  const worker = async () => {
    while (next < mine.length) {
      const index = mine[next++]!;
      const c = g.configs[index]!;
      const t0 = performance.now();
      const lines: string[] = [];
      let passed = false;
      let failures: VerifyCase[] | undefined;
      try {
        const cfg = g.design.parseConfig(c.raw, c.name);
        const v = await verifyDesign(g.design, cfg, JSON.stringify(c.raw), o.seed, o.cases, (l) => lines.push(l), {
          artifacts: o.artifacts,
        });
        passed = v.failed === 0;
        if (!passed) failures = v.cases.filter((x) => !x.passed);
      } catch (e) {
        lines.push(`ERROR ${(e as Error).message}`);
      }
      const seconds = (performance.now() - t0) / 1000;
      results.push({
        index,
        name: c.name,
        config: c.raw,
        passed,
        seconds,
        log: lines,
        ...(failures ? { failures } : {}),
      });
      o.log(`${passed ? 'PASS' : 'FAIL'} ${g.design.name} [${index}] ${c.name} (${seconds.toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, mine.length)) }, worker));
  results.sort((a, b) => a.index - b.index);
  return {
    schema: sweepSchema,
    design: g.design.name,
    shard: o.shard,
    total: g.configs.length,
    skipped: g.skipped,
    cases: results,
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: one test case per configuration. */
export function sweepJunit(r: SweepReport): string {
  const failures = r.cases.filter((c) => !c.passed).length;
  const time = r.cases.reduce((a, c) => a + c.seconds, 0);
  const suite = `sweep ${r.design} shard ${r.shard[0]}/${r.shard[1]}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="accelforge sweep" tests="${r.cases.length}" failures="${failures}" time="${time.toFixed(3)}">`,
    `  <testsuite name="${xml(suite)}" tests="${r.cases.length}" failures="${failures}" time="${time.toFixed(3)}">`,
    ...r.cases.map((c) => {
      const head = `    <testcase classname="${xml(`sweep.${r.design}`)}" name="${xml(`[${c.index}] ${c.name}`)}" time="${c.seconds.toFixed(3)}"`;
      if (c.passed) return `${head}>\n      <system-out>${xml(c.log.join('\n'))}</system-out>\n    </testcase>`;
      const first = c.log.find((l) => l.startsWith('FAIL') || l.startsWith('ERROR')) ?? 'failed';
      return `${head}>\n      <failure message="${xml(first)}">${xml(c.log.join('\n'))}</failure>\n    </testcase>`;
    }),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
