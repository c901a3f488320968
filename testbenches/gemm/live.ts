// A systolic engine (ws, os) under a live test: the host-port driver plus
// the engine's registers and buffers by name. `gemm()` moves a whole problem
// with the `run` verb's host program (host.ts) and reads C back; the
// arithmetic is the RTL's, the layouts are the datasheet's.
import type { GemmProblem } from '../../golden/common/gemm.js';
import { InputError } from '../../golden/common/errors.js';
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import { planPasses } from '../../golden/gemm/mapper.js';
import { ctrlBits, Csr, Sel, counterNames, type GemmCounters } from '../../golden/gemm/interface.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import type { WsEnginePortName } from '../../generators/gemm/ws_engine.binding.js';
import type { OsEnginePortName } from '../../generators/gemm/os_engine.binding.js';
import { packHex, unpackRow } from '../common/host-program.js';
import { HostPort } from '../tools/live/host-port.js';
import { openLive, type LiveOptions, type LiveSim } from '../tools/live/sim.js';
import { decodeGemmEngineOutput, gemmProgram } from './host.js';

/** The ports both engines have (today all of them: one host port). */
export type GemmPortName = Extract<WsEnginePortName, OsEnginePortName>;
export type CsrName = keyof typeof Csr;
export type Target = keyof typeof Sel;

export interface LiveGemmResult {
  c: bigint[][];
  /** The engine's busy cycles (its cycles counter, summed over passes). */
  cycles: number;
  counters: GemmCounters;
  /** Host-port cycles of the whole program (loads, run, read-back). */
  totalCycles: number;
}

/** Opens a live ws or os engine (reset, idle) with its host-port driver. */
export async function openGemmLive(
  df: Dataflow,
  cfg: GemmConfig,
  opts: LiveOptions & { design?: GeneratedDesign } = {},
): Promise<GemmLive> {
  const design = opts.design ?? generateGemm(df, cfg);
  const sim = await openLive<GemmPortName>(design, opts);
  const g = new GemmLive(df, cfg, sim);
  await g.host.reset();
  return g;
}

export class GemmLive {
  readonly host: HostPort;

  constructor(
    readonly dataflow: Dataflow,
    readonly cfg: GemmConfig,
    readonly sim: LiveSim<GemmPortName>,
  ) {
    this.host = new HostPort(sim);
  }

  /** Writes a CSR by name (datasheet "CSRs"). */
  async writeCsr(name: CsrName, value: bigint | number): Promise<void> {
    await this.host.write(Sel.csr, csr(name), value);
  }

  async readCsr(name: CsrName): Promise<bigint> {
    return this.host.read(Sel.csr, csr(name));
  }

  /** Writes one buffer row: `values` (at most Cols, element 0 in the low bits) at the buffer's element width. */
  async writeRow(target: Exclude<Target, 'csr'>, row: number, values: readonly (bigint | number)[]): Promise<void> {
    const w = target === 'acc' ? this.cfg.accWidth : this.cfg.dataWidth;
    const lanes = target === 'a' ? this.cfg.rows : this.cfg.cols;
    if (values.length > lanes)
      throw new InputError(`writeRow ${target}: ${values.length} values; a row holds ${lanes}`);
    await this.host.write(Sel[target], row, BigInt(`0x${packHex(values.map(BigInt), w)}`));
  }

  /** Reads an accumulator row: Cols results, signed as the configuration says. */
  async readAccRow(row: number): Promise<bigint[]> {
    const v = await this.host.read(Sel.acc, row);
    return unpackRow(v, this.cfg.cols, this.cfg.accWidth, this.cfg.signed);
  }

  /** Starts a run with the CSRs as written (CTRL: start, and ReLU / accumulate as asked). */
  async start(o: { relu?: boolean; accumulate?: boolean } = {}): Promise<void> {
    const ctrl =
      (1 << ctrlBits.start) |
      (o.relu ? 1 << ctrlBits.relu : 0) |
      (o.accumulate ? 1 << ctrlBits.accumulate : 0) |
      (this.dataflow === 'os' ? 1 << ctrlBits.os : 0);
    await this.writeCsr('ctrl', ctrl);
  }

  async waitDone(opts: { timeout?: number } = {}): Promise<number> {
    return this.host.waitDone(opts);
  }

  /** The counters of the last run (CSRs from `cycles` on). */
  async counters(): Promise<GemmCounters> {
    const out = {} as GemmCounters;
    for (const n of counterNames) out[n] = Number(await this.readCsr(n));
    return out;
  }

  /** A whole GEMM (passes as `run` plans them): loads, starts, waits and reads C back. */
  async gemm(p: GemmProblem): Promise<LiveGemmResult> {
    const m = p.a.length,
      k = p.b.length,
      n = p.b[0]?.length ?? 0;
    const passes = planPasses(this.cfg, this.dataflow, m, k, n);
    const answers = await this.host.runProgram(gemmProgram(this.cfg, this.dataflow, p, passes));
    const r = decodeGemmEngineOutput(this.cfg, this.dataflow, answers, m, n, passes);
    return { c: r.c, cycles: r.counters.cycles, counters: r.counters, totalCycles: r.totalCycles };
  }

  async close(): Promise<void> {
    await this.sim.close();
  }
}

function csr(name: CsrName): number {
  const a = Csr[name];
  if (a === undefined) throw new InputError(`CSR '${String(name)}': allowed: ${Object.keys(Csr).join(', ')}`);
  return a;
}
