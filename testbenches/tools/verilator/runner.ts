// Verilator runner: lint, build (content-hash cache, one builder per hash
// across processes), run (cycle watchdog + wall-clock limit). Tools are
// called with argument arrays through execa, never through a shell.
import { execa, type Options, type ResultPromise } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { runLimitedBuild } from './build-limits.js';
import { buildProfile, coverageFile, profileFlags } from './profile.js';

export { buildProfile, buildProfiles, type BuildProfile } from './profile.js';
import { mkdirp } from '../../common/fs.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  AssertionFailedError,
  BuildError,
  LintError,
  SimError,
  SimTimeoutError,
  ToolMissingError,
} from '../../../golden/common/errors.js';
import { withBlockStubs, type GeneratedDesign } from '../../../generators/common/design.js';
import { buildRoot, cachedBuild, ensureCacheRoot, type Build } from '../cache.js';

export { buildRoot, ensureCacheRoot, type Build };
import { repoPath } from '../../../golden/common/repo.js';

export const harnessIncludeDir = repoPath('testbenches/tools/verilator');

const INSTALL = { verilator: 'apt-get install -y verilator', ccache: 'apt-get install -y ccache' };

async function tool(cmd: string, args: string[], opts: Options = {}) {
  try {
    return await execa(cmd, args, { reject: false, all: true, ...opts });
  } catch (e) {
    throw new ToolMissingError(cmd, INSTALL[cmd as keyof typeof INSTALL] ?? `install ${cmd}`, { cause: e });
  }
}

let versionCache: Promise<string> | undefined;
/** `verilator --version`, once per process; ToolMissingError when absent. */
export function verilatorVersion(): Promise<string> {
  versionCache ??= (async () => {
    const r = await tool('verilator', ['--version']);
    if (r.failed && (r as { code?: string }).code === 'ENOENT') {
      throw new ToolMissingError('verilator', INSTALL.verilator);
    }
    if (r.exitCode !== 0) throw new ToolMissingError('verilator', INSTALL.verilator);
    return String(r.stdout).trim();
  })();
  versionCache.catch(() => (versionCache = undefined));
  return versionCache;
}

let ccacheCache: Promise<boolean> | undefined;
async function hasCcache(): Promise<boolean> {
  ccacheCache ??= execa('ccache', ['--version'], { reject: false }).then(
    (r) => r.exitCode === 0,
    () => false,
  );
  return ccacheCache;
}

function writeSources(dir: string, design: GeneratedDesign): string[] {
  mkdirp(dir);
  return design.modules.map((m) => {
    const p = join(dir, `${m.name}.sv`);
    writeFileSync(p, m.text);
    return p;
  });
}

/**
 * `verilator --lint-only -Wall`: resolves with no warnings, else LintError.
 * A design with hierarchy blocks is linted as it is built: with each block's
 * port-only stub, then each distinct parametrization of a block as the top
 * (256 x 256 in seconds instead of a flat elaboration of every PE).
 */
export async function lint(design: GeneratedDesign): Promise<void> {
  await verilatorVersion();
  const blocks = design.build?.blocks ?? [];
  await lintOnce({ ...design, modules: withBlockStubs(design) }, design.top, []);
  for (const b of blocks) {
    for (const params of b.params) {
      const g = Object.entries(params).map(([k, v]) => `-G${k}=${v}`);
      await lintOnce(design, b.module, g, ` (hierarchy block ${b.module} ${g.join(' ')})`);
    }
  }
}

async function lintOnce(design: GeneratedDesign, top: string, extra: string[], what = ''): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'accelforge-lint-'));
  try {
    const files = writeSources(dir, design);
    const r = await tool('verilator', ['--lint-only', '-Wall', '--top-module', top, ...extra, ...files], { cwd: dir });
    const msgs = String(r.all ?? '').trim();
    if (r.exitCode !== 0 || /%(Warning|Error)/.test(msgs)) throw new LintError(msgs.replaceAll(dir + '/', '') + what);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HarnessSource {
  /** File name, e.g. "harness.cpp". */
  name: string;
  text: string;
}

export interface BuildRequest {
  design: GeneratedDesign;
  harness: HarnessSource[];
  /** Extra Verilator flags (part of the cache key). */
  flags?: string[];
  /**
   * Tracing compiled in: FST (compact) or VCD (readable by the report tools);
   * none by default: a trace costs about half the model's C++ compile, so only
   * a run that writes one builds with it (tracedFormat).
   */
  traceFormat?: TraceFormat;
  /**
   * X-propagation build: uninitialized state and X assignments get random
   * values (--x-initial unique, --x-assign unique), chosen at run time by
   * +verilator+seed, so no result may depend on them.
   */
  xprop?: boolean;
}

/** The Verilator model class name for a top module. */
export function vtopName(top: string): string {
  return `V${top}`;
}

export type TraceFormat = 'fst' | 'vcd';

/**
 * The tracing a run's Verilator build needs: the format asked for (maybe the build a re-run for
 * waveforms will use), else FST when the run writes a trace, else none (Icarus: no build option).
 */
export function tracedFormat(o: { trace?: string; traceFormat?: TraceFormat; sim?: string }): TraceFormat | undefined {
  if (o.sim === 'icarus' || o.traceFormat) return o.traceFormat;
  return o.trace ? 'fst' : undefined;
}

/** Flags every build uses; a traced build (FST or VCD) writes its trace when run with +trace. */
function baseFlags(top: string, traceFormat?: TraceFormat, xprop = false): string[] {
  return [
    '--cc',
    '--exe',
    '--build',
    '-j',
    '2',
    '--top-module',
    top,
    '--prefix',
    vtopName(top),
    '-o',
    'Vsim',
    ...(traceFormat === 'vcd'
      ? ['--trace', '--trace-structs', '-CFLAGS', '-DAF_TRACE_VCD']
      : traceFormat === 'fst'
        ? ['--trace-fst', '--trace-structs']
        : []),
    // The designs' SVA (one DRAM requester per cycle, FIFO bounds, ...):
    // a failed assertion stops the simulation with its name (AssertionError).
    '--assert',
    '-Wno-fatal',
    '--x-assign',
    xprop ? 'unique' : 'fast',
    '--x-initial',
    xprop ? 'unique' : 'fast',
    '-O3',
    '-CFLAGS',
    '-O2',
    // Verilator 5.006 multiplies two 16-bit values as uint16_t * uint16_t,
    // which C++ promotes to signed int: 0xffff * 0xffff overflows (undefined
    // behaviour that -O3 exploits). -fwrapv makes it wrap as Verilator assumes.
    '-CFLAGS',
    '-fwrapv',
    '-MAKEFLAGS',
    'OPT_FAST=-O3',
    ...profileFlags(buildProfile()),
  ];
}

/** The flags a design's build hints ask for (hierarchical verilation, threads). */
function hintFlags(d: GeneratedDesign): string[] {
  const h = d.build ?? {};
  return [
    ...(h.hierarchical ? ['--hierarchical'] : []),
    ...(h.threads && h.threads > 1 ? ['--threads', String(h.threads)] : []),
  ];
}

/** Content hash of everything that affects the binary. */
export async function buildKey(req: BuildRequest): Promise<string> {
  const h = createHash('sha256');
  h.update(await verilatorVersion());
  h.update(
    JSON.stringify([
      ...baseFlags(req.design.top, req.traceFormat, req.xprop),
      ...hintFlags(req.design),
      ...(req.flags ?? []),
    ]),
  );
  h.update(readFileSync(join(harnessIncludeDir, 'harness_common.h')));
  for (const m of req.design.modules) h.update(`\0${m.name}\0${m.text}`);
  for (const f of req.harness) h.update(`\0${f.name}\0${f.text}`);
  return h.digest('hex').slice(0, 20);
}

/**
 * Builds (or reuses) the simulator for a request, in the shared build cache
 * (../cache.ts: atomic entries, checksummed binaries, one builder per key).
 */
export async function build(req: BuildRequest): Promise<Build> {
  const key = await buildKey(req);
  return cachedBuild(key, 'obj/Vsim', req.design.top, async (tmp) => {
    const src = join(tmp, 'src');
    const rtl = writeSources(src, req.design);
    const cpp = req.harness.map((f) => {
      const p = join(src, f.name);
      writeFileSync(p, f.text);
      return p;
    });
    const flags = [
      ...baseFlags(req.design.top, req.traceFormat, req.xprop),
      ...hintFlags(req.design),
      ...(req.flags ?? []),
    ];
    if (await hasCcache()) flags.push('-MAKEFLAGS', 'OBJCACHE=ccache');
    const args = [...flags, '-CFLAGS', `-I${harnessIncludeDir}`, '--Mdir', join(tmp, 'obj'), ...rtl, ...cpp];
    // Paths below the build root are hashed relative, so ccache hits across keys.
    // The compilers' own temporary files go inside the work folder, so a signal removes them with it.
    const scratch = join(tmp, 'tmp');
    mkdirp(scratch);
    const r = await runLimitedBuild('verilator', args, {
      cwd: tmp,
      env: { CCACHE_BASEDIR: buildRoot(), CCACHE_NOHASHDIR: '1', TMPDIR: scratch },
    });
    if (!r.ok || !existsSync(join(tmp, 'obj', 'Vsim'))) {
      const log = tail(r.log, 60);
      throw new BuildError(r.limit ? `${r.limit}\n${log}` : log);
    }
    writeFileSync(join(tmp, 'build.log'), r.log);
  });
}

/** What every design's run function takes for the simulator itself. */
export interface SimRunOptions {
  /** Cycle watchdog of the harness. */
  maxCycles?: number;
  /** Wall-clock limit in milliseconds. */
  timeoutMs?: number;
  /** Trace file to write; with traceWindow, only those cycles. */
  trace?: string;
  traceWindow?: [number, number];
  traceFormat?: 'fst' | 'vcd';
  /** A design generated elsewhere (for example with an injected fault). */
  design?: GeneratedDesign;
  /** Run an X-propagation build with this +verilator+seed (random initial state). */
  xprop?: number;
  /** Host-port designs: assert reset in the middle of a run, then run again (core/host-program.ts). */
  resetMidRun?: boolean;
  /** The simulator (default Verilator; Icarus: toolchain/icarus). */
  sim?: 'verilator' | 'icarus';
}

export interface RunOptions {
  /** Plusargs without the leading '+', e.g. { in: 'x.txt', max_cycles: 1000 }. */
  plusargs: Record<string, string | number>;
  /** Wall-clock limit in milliseconds (default 10 minutes). */
  timeoutMs?: number;
  /** With an X-propagation build: randomize initial state with this seed. */
  xprop?: number;
}

/** Plusargs of the shared harness options (harness_common.h). */
export function harnessPlusargs(o: {
  in: string;
  out: string;
  maxCycles?: number;
  trace?: string;
  traceWindow?: [number, number];
  extra?: Record<string, string | number>;
}): Record<string, string | number> {
  const a: Record<string, string | number> = { in: o.in, out: o.out, ...o.extra };
  if (o.maxCycles !== undefined) a.max_cycles = o.maxCycles;
  if (o.trace) {
    a.trace = o.trace;
    if (o.traceWindow) [a.trace_start, a.trace_end] = o.traceWindow;
  }
  return a;
}

/** Runs a built simulator; SimTimeoutError on watchdog or wall clock. */
export async function runSim(b: Build, opts: RunOptions): Promise<{ stdout: string; stderr: string; seconds: number }> {
  const t0 = performance.now();
  const args = Object.entries(opts.plusargs).map(([k, v]) => `+${k}=${v}`);
  const cov = coverageFile();
  if (cov) args.push(`+coverage=${cov}`);
  if (opts.xprop !== undefined) args.push('+verilator+rand+reset+2', `+verilator+seed+${opts.xprop}`);
  const child: ResultPromise = execa(b.binary, args, {
    reject: false,
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const r = await child;
  const stderr = String(r.stderr ?? '');
  const seconds = (performance.now() - t0) / 1000;
  if (r.timedOut) {
    throw new SimTimeoutError(
      'wall-clock',
      undefined,
      `simulation exceeded the wall-clock limit of ${(opts.timeoutMs ?? 600_000) / 1000} s`,
    );
  }
  const wd = /ACCELFORGE_TIMEOUT cycle=(\d+)/.exec(stderr);
  if (wd) {
    const cycle = Number(wd[1]);
    throw new SimTimeoutError('cycles', cycle, `simulation watchdog: no completion by cycle ${cycle} (+max_cycles)`);
  }
  // Verilator prints a failed assertion on stdout, then stops ($stop: abort).
  const failed = assertionFailure(String(r.stdout ?? '') + '\n' + stderr);
  if (failed) throw failed;
  if (r.exitCode !== 0) {
    throw new SimError(`simulator exited with ${r.exitCode ?? r.signal}: ${tail(stderr, 20)}`);
  }
  return { stdout: String(r.stdout ?? ''), stderr, seconds };
}

/**
 * Verilator's report of a failed SVA (--assert), e.g.
 * "[40] %Error: rs_dram_arb.sv:61: Assertion failed in TOP.rs_engine.u_dram_arb.OneReader: <message>".
 */
export function assertionFailure(stderr: string): AssertionFailedError | undefined {
  const m = /\[(\d+)\] %Error: ([^:\s]+:\d+): Assertion failed in (\S+?)\.(\w+): ?(.*)/.exec(stderr);
  if (!m) return undefined;
  const [, time, where, scope, label, text] = m;
  // The harnesses advance two time units per cycle (the rising edge at 2 c + 1).
  return new AssertionFailedError(
    label!,
    scope!,
    Number(time),
    `assertion ${label} failed in ${scope} at cycle ${Math.floor(Number(time) / 2)} (time ${time}, ${where}): ${text!.trim() || 'no message'}`,
  );
}

function tail(s: string, lines: number): string {
  return s.trim().split('\n').slice(-lines).join('\n');
}
