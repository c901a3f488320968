// The host port (af_host_port: ws, os, eie) driven from a live test: a
// request is held until the design takes it, a read's data comes the cycle
// after, and nothing else may answer. The same moves as the batch harness
// (tools/verilator/host_harness.cpp.hbs), so a host program (W, R, WAIT,
// IDLE, RESET, MARK lines; common/host-program.ts) runs here unchanged and
// answers the same text, which the designs' decoders read.
import { InputError, SimError } from '../../../golden/common/errors.js';
import type { LiveSim, Value } from './sim.js';

/** The host port's signals, as every host-port design names them. */
export type HostPortName =
  | 'clk_i'
  | 'rst_ni'
  | 'host_req_valid_i'
  | 'host_req_ready_o'
  | 'host_req_write_i'
  | 'host_req_sel_i'
  | 'host_req_addr_i'
  | 'host_req_wdata_i'
  | 'host_rsp_valid_o'
  | 'host_rsp_rdata_o'
  | 'busy_o'
  | 'done_o';

export class HostPort {
  /** Clock periods since the driver started (or the last reset), as the batch harness counts them. */
  cycles = 0;

  constructor(readonly sim: LiveSim<HostPortName>) {
    sim.poke('host_req_valid_i', 0);
  }

  /** Resets the design (rst_ni low two periods) and the driver's cycle count. */
  async reset(): Promise<void> {
    this.sim.poke('host_req_valid_i', 0);
    await this.sim.reset(2);
    this.cycles = 0;
  }

  private async tick(readDue = false): Promise<void> {
    await this.sim.rising();
    this.cycles++;
    if (!readDue && this.sim.peek('host_rsp_valid_o') === 1n) {
      throw new SimError(`host port: host_rsp_valid_o high at cycle ${this.sim.cycle} without a read the cycle before`);
    }
  }

  private async request(write: boolean, sel: number, addr: number, data: Value = 0): Promise<void> {
    const s = this.sim;
    s.poke('host_req_valid_i', 1);
    s.poke('host_req_write_i', write);
    s.poke('host_req_sel_i', sel);
    s.poke('host_req_addr_i', addr);
    if (write) s.poke('host_req_wdata_i', data);
    // Held, unchanged, until the design takes it.
    for (;;) {
      const fire = s.peek('host_req_ready_o') === 1n;
      await this.tick(fire && !write);
      if (fire) break;
    }
    s.poke('host_req_valid_i', 0);
  }

  /** Writes `data` to target `sel`, address `addr` (waits while the design refuses it). */
  async write(sel: number, addr: number, data: Value): Promise<void> {
    await this.request(true, sel, addr, data);
  }

  /** Reads target `sel`, address `addr`: the data of the response the cycle after it was taken. */
  async read(sel: number, addr: number): Promise<bigint> {
    await this.request(false, sel, addr);
    if (this.sim.peek('host_rsp_valid_o') !== 1n) {
      throw new SimError(
        `host port: no read response one cycle after the read of ${sel}:${addr} (cycle ${this.sim.cycle})`,
      );
    }
    return this.sim.peek('host_rsp_rdata_o');
  }

  /** Clocks until the design is done and not busy; the periods waited. */
  async waitDone(opts: { timeout?: number } = {}): Promise<number> {
    const s = this.sim;
    const max = opts.timeout ?? 10_000_000;
    let waited = 0;
    while (!(s.peek('done_o') === 1n && s.peek('busy_o') === 0n)) {
      if (waited === max) throw new SimError(`host port: not done after ${max} cycles (cycle ${s.cycle})`);
      await this.tick();
      waited++;
    }
    return waited;
  }

  /** `n` idle periods. */
  async idle(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await this.tick();
  }

  /**
   * Runs a host program (the `run` verb's text) and answers what the batch
   * harness answers: `R <hex> <cycle>` per read, `MARK <label> <cycles>`,
   * and `cycles <n>` at the end.
   */
  async runProgram(program: string): Promise<string> {
    const out: string[] = [];
    for (const line of program.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[0] === '' || f[0] === undefined) continue;
      if (f[0] === 'W') await this.write(num(f[1], line), num(f[2], line), BigInt(`0x${f[3] ?? ''}`));
      else if (f[0] === 'R') {
        const v = await this.read(num(f[1], line), num(f[2], line));
        out.push(`R ${v.toString(16)} ${this.cycles}`);
      } else if (f[0] === 'WAIT') await this.waitDone();
      else if (f[0] === 'IDLE') await this.idle(num(f[1], line));
      else if (f[0] === 'RESET') {
        const c = this.cycles;
        await this.reset();
        this.cycles = c;
      } else if (f[0] === 'MARK') out.push(`MARK ${f[1]} ${this.cycles}`);
      else throw new InputError(`host program line '${line}': allowed: W, R, WAIT, IDLE, RESET, MARK`);
    }
    out.push(`cycles ${this.cycles}`);
    return out.join('\n') + '\n';
  }
}

function num(s: string | undefined, line: string): number {
  const v = Number(s);
  if (s === undefined || !Number.isSafeInteger(v) || v < 0)
    throw new InputError(`host program line '${line}': ${s} is not a number`);
  return v;
}
