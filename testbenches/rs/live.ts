// The rs engine under a live test, with its DRAM played in TypeScript: the
// same memory as the batch harness (dram_harness.cpp.hbs): every read
// answered in order `latency` cycles later, every write kept, a read served
// from memory before the same cycle's write. It moves data only.
import type { RsConfig } from '../../golden/rs/config.js';
import type { ConvProblem } from '../../golden/rs/golden.js';
import type { RsMapping } from '../../golden/rs/contract.js';
import { InputError, SimError } from '../../golden/common/errors.js';
import { generateRs } from '../../generators/rs/generate.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import type { RsEnginePortName } from '../../generators/rs/rs_engine.binding.js';
import { openLive, type LiveOptions, type LiveSim } from '../tools/live/sim.js';
import { rsImage } from './host.js';
import { decodeRun, parseDramLog } from './sim.js';

/** A word-addressed 64-bit DRAM for the engine's dram_* ports. */
export class DramModel {
  readonly mem = new Map<number, bigint>();
  /** Each written word's last value and the cycle it was written in. */
  readonly written = new Map<number, { value: bigint; cycle: number }>();
  private readonly pending: { due: number; data: bigint }[] = [];
  /** Cycles since the start pulse (the harness's numbering). */
  cycle = 0;

  constructor(
    readonly sim: LiveSim<RsEnginePortName>,
    readonly words: number,
    readonly latency = 1,
  ) {
    if (!Number.isSafeInteger(latency) || latency < 1) throw new InputError(`DRAM latency ${latency}: at least 1`);
  }

  private check(addr: number): number {
    if (addr >= this.words)
      throw new SimError(`DRAM address ${addr} beyond ${this.words} words at cycle ${this.cycle}`);
    return addr;
  }

  /** One cycle: answer a due read, take this cycle's read and write, clock. False once done_o is high. */
  async step(): Promise<boolean> {
    const s = this.sim;
    const due = this.pending[0] && this.pending[0].due <= this.cycle ? this.pending.shift() : undefined;
    s.poke('dram_rsp_valid_i', due ? 1 : 0);
    if (due) s.poke('dram_rsp_rdata_i', BigInt.asUintN(64, due.data));
    const [done, rdv, rda, wrv, wra, wrd] = s.peekMany([
      'done_o',
      'dram_rd_valid_o',
      'dram_rd_addr_o',
      'dram_wr_valid_o',
      'dram_wr_addr_o',
      'dram_wr_data_o',
    ]);
    if (done === 1n) return false;
    if (rdv === 1n) {
      const a = this.check(Number(rda));
      this.pending.push({ due: this.cycle + this.latency, data: this.mem.get(a) ?? 0n });
    }
    if (wrv === 1n) {
      const a = this.check(Number(wra));
      const v = BigInt.asIntN(64, wrd!);
      this.mem.set(a, v);
      this.written.set(a, { value: v, cycle: this.cycle + 1 });
    }
    await s.rising();
    this.cycle++;
    return true;
  }

  /** The batch harness's log of the run so far (what its decoder reads). */
  log(): string {
    const lines = [`CYCLES ${this.cycle}`];
    if (this.sim.peek('done_o') === 1n && this.sim.peek('error_o') === 1n) lines.push('ERROR');
    for (const [a, w] of [...this.written].sort((x, y) => x[0] - y[0]))
      lines.push(`W ${a} ${BigInt.asUintN(64, w.value).toString(16)} ${w.cycle}`);
    return lines.join('\n') + '\n';
  }
}

/** Opens a live rs engine (reset, idle: a layer's load resets and starts it). */
export async function openRsLive(cfg: RsConfig, opts: LiveOptions & { design?: GeneratedDesign } = {}) {
  const sim = await openLive<RsEnginePortName>(opts.design ?? generateRs(cfg), opts);
  const r = new RsLive(cfg, sim);
  await r.idle();
  return r;
}

export class RsLive {
  dram?: DramModel;

  constructor(
    readonly cfg: RsConfig,
    readonly sim: LiveSim<RsEnginePortName>,
  ) {}

  /** Resets the engine with start and the DRAM answers low. */
  async idle(): Promise<void> {
    const s = this.sim;
    s.poke('start_i', 0);
    s.poke('dram_rsp_valid_i', 0);
    s.poke('dram_rsp_rdata_i', 0);
    await s.reset(2);
  }

  /** Loads a layer's DRAM image, resets and starts the engine: the DRAM model to clock. */
  async load(p: ConvProblem, o: { mapping?: RsMapping; latency?: number } = {}) {
    const img = rsImage(this.cfg, p, o.mapping);
    const s = this.sim;
    const dram = new DramModel(s, img.size, o.latency);
    for (const [a, v] of img.words) dram.mem.set(a, v);
    await this.idle();
    s.poke('start_i', 1);
    await s.rising();
    s.poke('start_i', 0);
    dram.cycle = 0;
    this.dram = dram;
    return { dram, image: img };
  }

  /** A whole layer: load, clock the DRAM until done, decode the ofmap and counters from the words written. */
  async layer(p: ConvProblem, o: { mapping?: RsMapping; latency?: number; maxCycles?: number } = {}) {
    const { dram, image } = await this.load(p, o);
    const max = o.maxCycles ?? 10_000_000;
    while (await dram.step()) {
      if (dram.cycle > max) throw new SimError(`rs live: not done after ${max} cycles`);
    }
    const log = parseDramLog(dram.log());
    if (log.refused) throw new SimError('the rs engine refused the descriptor (error_o at done)');
    return { ...decodeRun(image, log), harnessCycles: log.harnessCycles };
  }

  async close(): Promise<void> {
    await this.sim.close();
  }
}
