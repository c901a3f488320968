// A generated design under a test's control, cycle by cycle (cocotb's model
// in TypeScript): poke and peek any top-level port or internal signal, run
// clock periods, wait for a value, expect one. The clock is the design's
// clk_i, driven by the harness: `rising()` is one period (inputs poked before
// it are sampled at the edge; peeks after it see the state after the edge).
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mkdirp } from '../../common/fs.js';
import { InputError, SimTimeoutError } from '../../../golden/common/errors.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';
import { renderTemplate } from '../../../generators/common/render.js';
import { repoPath } from '../../../golden/common/repo.js';
import { build, vtopName } from '../verilator/runner.js';
import { buildIcarus } from '../icarus/runner.js';
import { Channel } from './channel.js';
import { expectationFailure, type LiveFailureContext } from './failure.js';

export const liveTemplate = repoPath('testbenches/tools/live/live_harness.cpp.hbs');
const liveTbTemplate = repoPath('testbenches/tools/live/live_tb.sv.hbs');
const liveVpiSource = repoPath('testbenches/tools/live/live_vpi.c');

export interface LiveOptions {
  /** Record a VCD of the whole test: a file path, or true for `<artifacts>.vcd` beside the failure folder. */
  waves?: string | boolean;
  /** Where a failed expectation writes its report and waveform window (default artifacts/live/<name>). */
  artifacts?: string;
  /** The test's name, for the report and the default artifacts folder. */
  name?: string;
  /** How to re-run the test, printed in a failure report. */
  reproduce?: string;
  /** Wall-clock limit of one call into the simulator, in ms (default 10 minutes). */
  timeoutMs?: number;
  /** The simulator: Verilator (default; VPI into any signal) or Icarus (a VPI module in vvp). */
  sim?: 'verilator' | 'icarus';
}

export type Value = bigint | number | boolean;

/** What every design's live driver has: its simulation, and a way to end it. */
export interface LiveDriver {
  readonly sim: LiveSim<string>;
  close(): Promise<void>;
}

/** A signal handle: its name (relative to the top) and width in bits. */
export interface LiveSignal {
  readonly name: string;
  readonly width: number;
  readonly id: number;
}

const big = (v: Value) => (typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? Number(v) : v));

const livePorts = (design: GeneratedDesign) =>
  design.ports.map((p) => ({
    name: p.name,
    width: p.width,
    input: p.direction === 'input',
    quad: p.width > 32 && p.width <= 64,
    wide: p.width > 64,
    words: Math.ceil(p.width / 32),
  }));

/** Builds (or reuses from the cache) the live simulator of a design: Verilator's model, or Icarus's with the VPI module. */
export async function buildLive(design: GeneratedDesign, sim: 'verilator' | 'icarus' = 'verilator') {
  if (sim === 'icarus') {
    const tb = renderTemplate(liveTbTemplate, {
      design: design.design,
      configHash: design.configHash,
      top: design.top,
      ports: livePorts(design),
    });
    return buildIcarus(design, [{ name: 'live_tb.sv', text: tb }], 'TOP', {
      name: 'live_vpi',
      text: readFileSync(liveVpiSource, 'utf8'),
    });
  }
  if (design.build?.hierarchical) {
    throw new InputError(
      `live simulation of ${design.design} ${design.configHash}: the design is built hierarchically (arrays above 32 x 32), ` +
        `which Verilator's VPI cannot reach into; use run or verify for it, or a smaller array`,
    );
  }
  const text = renderTemplate(liveTemplate, {
    design: design.design,
    configHash: design.configHash,
    vtop: vtopName(design.top),
    clock: 'clk_i',
    ports: livePorts(design),
  });
  return build({
    design,
    harness: [{ name: 'live_harness.cpp', text }],
    traceFormat: 'vcd',
    // VPI reaches every signal. The model compiles at -O1 in split files (the
    // fast-build profile's flags, after the base flags so they win): a live
    // test's speed is the channel's round trips, not the model's evaluation.
    flags: ['--vpi', '--public-flat-rw', '--output-split', '4000', '-MAKEFLAGS', 'OPT_FAST=-O1', '-CFLAGS', '-O1'],
  });
}

/**
 * Opens a live simulation of a generated design. `P` is the top's port
 * names (from the design's committed binding), so a renamed port is a type
 * error in the test; internal signals are named by path with `signal()`.
 */
export async function openLive<P extends string = string>(
  design: GeneratedDesign,
  opts: LiveOptions = {},
): Promise<LiveSim<P>> {
  const sim = opts.sim ?? 'verilator';
  const b = await buildLive(design, sim);
  const artifacts = resolve(opts.artifacts ?? join('artifacts', 'live', safeName(opts.name ?? design.top)));
  const waves = opts.waves ? resolve(typeof opts.waves === 'string' ? opts.waves : `${artifacts}.vcd`) : undefined;
  if (waves) mkdirp(dirname(waves));
  // Icarus opens its trace at time 0 (+trace); Verilator's starts with the TRACE op.
  const args = (chan: string) =>
    sim === 'icarus'
      ? ['-n', '-M', b.dir, '-m', 'live_vpi', b.binary, `+chan=${chan}`, ...(waves ? [`+trace=${waves}`] : [])]
      : [`+chan=${chan}`];
  return new LiveSim<P>(design, new Channel(sim === 'icarus' ? 'vvp' : b.binary, args), { ...opts, artifacts, waves });
}

export class LiveSim<P extends string = string> {
  private readonly handles = new Map<string, LiveSignal>();
  private readonly timeoutMs: number;
  readonly artifacts: string;
  readonly waves?: string;

  constructor(
    readonly design: GeneratedDesign,
    private readonly chan: Channel,
    private readonly opts: LiveOptions,
  ) {
    this.timeoutMs = opts.timeoutMs ?? 600_000;
    this.artifacts = resolve(opts.artifacts ?? join('artifacts', 'live', safeName(opts.name ?? design.top)));
    if (typeof opts.waves === 'string') {
      this.waves = opts.waves;
      this.traceTo(this.waves);
    }
  }

  /** The simulator's process id. */
  get pid(): number {
    return this.chan.pid;
  }

  /** Clock periods since the simulation opened. */
  get cycle(): number {
    return this.chan.cycle;
  }

  /** A signal by its path below the top (e.g. 'u_ctrl.state_q') or a port name; InputError naming it and the ports when absent. */
  signal(name: P | string): LiveSignal {
    const known = this.handles.get(name);
    if (known) return known;
    const c = this.chan;
    c.push(1);
    // A top-level port is the model's own (the harness sets it directly: the
    // copy inside the top instance is overwritten from it at every evaluation).
    const port = this.design.ports.some((p) => p.name === name);
    c.pushText(port ? name : `TOP.${this.design.top}.${name}`);
    const [status, id, width] = c.send(this.timeoutMs);
    if (status !== 0) {
      const ports = this.design.ports.map((p) => p.name).join(', ');
      throw new InputError(
        `signal '${name}' is not in ${this.design.top} (${this.design.design} ${this.design.configHash}); ` +
          `ports: ${ports}; internal signals are named by instance path, e.g. 'u_ctrl.state_q'`,
      );
    }
    const s = { name, width: width!, id: id! };
    this.handles.set(name, s);
    return s;
  }

  /** Sets a signal (taken at the next rising edge, or at once by combinational logic). */
  poke(sig: P | LiveSignal, value: Value): void {
    const s = this.resolve(sig);
    const v = big(value);
    if (v < 0n || v >> BigInt(s.width) !== 0n) {
      throw new InputError(`poke ${s.name}: ${v} does not fit its ${s.width} bits (0 .. 2^${s.width} - 1)`);
    }
    this.chan.push(2, s.id, ...words(v, s.width));
  }

  /** A signal's value now (after the last edge and any poke since). */
  peek(sig: P | LiveSignal): bigint {
    const s = this.resolve(sig);
    this.chan.push(3, s.id);
    const a = this.chan.send(this.timeoutMs);
    return fromWords(a.subarray(1, 1 + a[0]!));
  }

  /** Several values at once (one round trip to the simulator). */
  peekMany(sigs: readonly (P | LiveSignal)[]): bigint[] {
    const ss = sigs.map((x) => this.resolve(x));
    for (const s of ss) this.chan.push(3, s.id);
    const a = this.chan.send(this.timeoutMs);
    const out: bigint[] = [];
    for (let i = 0; i < a.length;) {
      const n = a[i]!;
      out.push(fromWords(a.subarray(i + 1, i + 1 + n)));
      i += 1 + n;
    }
    return out;
  }

  /** One clock period. */
  async rising(): Promise<void> {
    await this.cycles(1);
  }

  /** `n` clock periods. */
  async cycles(n: number): Promise<void> {
    if (!Number.isSafeInteger(n) || n < 0) throw new InputError(`cycles(${n}): a whole number of periods >= 0`);
    this.chan.push(4, n % 2 ** 32, Math.floor(n / 2 ** 32));
    this.chan.send(this.timeoutMs);
    await Promise.resolve();
  }

  /**
   * Runs clock periods until `sig` equals `value` (checked first, then after
   * each edge); resolves with the periods waited. SimTimeoutError after
   * `timeout` periods (default 100,000).
   */
  async until(sig: P | LiveSignal, value: Value, opts: { timeout?: number } = {}): Promise<number> {
    const s = this.resolve(sig);
    const max = opts.timeout ?? 100_000;
    this.chan.push(5, s.id, ...words(big(value), s.width), max % 2 ** 32, Math.floor(max / 2 ** 32));
    const [met, lo, hi] = this.chan.send(this.timeoutMs);
    await Promise.resolve();
    const waited = lo! + hi! * 2 ** 32;
    if (!met) {
      throw new SimTimeoutError(
        'cycles',
        this.cycle,
        `until ${s.name} == ${big(value)}: not reached in ${max} cycles (now ${this.peek(s)}, cycle ${this.cycle})`,
      );
    }
    return waited;
  }

  /** Runs periods until `pred()` holds (checked before each), at most `timeout`; the periods waited. */
  async waitFor(pred: () => boolean, opts: { timeout?: number; what?: string } = {}): Promise<number> {
    const max = opts.timeout ?? 100_000;
    for (let i = 0; ; i++) {
      if (pred()) return i;
      if (i === max) {
        throw new SimTimeoutError('cycles', this.cycle, `${opts.what ?? 'condition'}: not reached in ${max} cycles`);
      }
      await this.rising();
    }
  }

  /** Holds rst_ni low for `n` periods, then releases it. */
  async reset(n = 2): Promise<void> {
    this.poke('rst_ni' as P, 0);
    await this.cycles(n);
    this.poke('rst_ni' as P, 1);
  }

  /**
   * Checks a signal's value. On a mismatch: with waves on, the failure report
   * and waveform window (report.txt, waves.vcd, waves.svg, waves.gtkw) in
   * `artifacts`, as verify writes them; the thrown error carries the report.
   */
  async expect(sig: P | LiveSignal, value: Value, what?: string): Promise<void> {
    const s = this.resolve(sig);
    const actual = this.peek(s);
    const expected = big(value);
    if (actual === expected) return;
    throw await expectationFailure(this.failureContext(), s, expected, actual, what);
  }

  /** Checks a value the test computed from the design (a read-back word, say) the same way. */
  async expectEqual(element: string, actual: bigint, expected: bigint): Promise<void> {
    if (actual === expected) return;
    throw await expectationFailure(this.failureContext(), { name: element }, expected, actual);
  }

  private failureContext(): LiveFailureContext {
    return {
      design: this.design,
      cycle: this.cycle,
      name: this.opts.name,
      reproduce: this.opts.reproduce,
      artifacts: this.artifacts,
      watched: [...this.handles.values()].map((h) => h.name),
      waves: this.waves ? (dest: string) => this.copyWaves(dest) : undefined,
    };
  }

  private copyWaves(dest: string): void {
    this.chan.push(8);
    this.chan.send(this.timeoutMs);
    copyFileSync(this.waves!, dest);
  }

  private traceTo(path: string): void {
    this.chan.push(6);
    this.chan.pushText(path);
    this.chan.send(this.timeoutMs);
  }

  /** Ends the simulation and its process (the waves, if on, are complete after this). */
  async close(): Promise<void> {
    this.chan.close();
    await this.chan.exited();
  }

  private resolve(sig: P | LiveSignal): LiveSignal {
    return typeof sig === 'string' ? this.signal(sig) : sig;
  }
}

function words(v: bigint, width: number): number[] {
  const n = Math.max(1, Math.ceil(width / 32));
  const w: number[] = [n];
  for (let i = 0; i < n; i++) w.push(Number((v >> BigInt(32 * i)) & 0xffffffffn));
  return w;
}

function fromWords(a: Uint32Array): bigint {
  let v = 0n;
  for (let i = a.length - 1; i >= 0; i--) v = (v << 32n) | BigInt(a[i]!);
  return v;
}

const safeName = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 80);
