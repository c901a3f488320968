// The EIE engine under a live test: the host-port driver plus the engine's
// registers by name. `layers()` moves a whole problem with the `run` verb's
// host program (host.ts) and reads the outputs and counters back.
import type { EieConfig } from '../../golden/eie/config.js';
import type { EieProblem } from '../../golden/eie/problem.js';
import { layoutEie } from '../../golden/eie/layout.js';
import { InputError } from '../../golden/common/errors.js';
import { EieCsr, EieSel, layerCsr } from '../../golden/eie/interface.js';
import { generateEie } from '../../generators/eie/generate.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import type { EieEnginePortName } from '../../generators/eie/eie_engine.binding.js';
import { parseHostOutput } from '../common/host-program.js';
import { HostPort } from '../tools/live/host-port.js';
import { openLive, type LiveOptions, type LiveSim } from '../tools/live/sim.js';
import { eieProgram } from './host.js';
import { decodeRun, type EieBatchRun } from './sim.js';

export type EieCsrName = keyof typeof EieCsr;
export type EieLayerCsrName = Parameters<typeof layerCsr>[1];

/** Opens a live eie engine (reset, idle) with its host-port driver. */
export async function openEieLive(cfg: EieConfig, opts: LiveOptions & { design?: GeneratedDesign } = {}) {
  const sim = await openLive<EieEnginePortName>(opts.design ?? generateEie(cfg), opts);
  const e = new EieLive(cfg, sim);
  await e.host.reset();
  return e;
}

export class EieLive {
  readonly host: HostPort;

  constructor(
    readonly cfg: EieConfig,
    readonly sim: LiveSim<EieEnginePortName>,
  ) {
    this.host = new HostPort(sim);
  }

  async writeCsr(name: EieCsrName, value: bigint | number): Promise<void> {
    await this.host.write(EieSel.csr, csrAddr(name), value);
  }

  async readCsr(name: EieCsrName): Promise<bigint> {
    return this.host.read(EieSel.csr, csrAddr(name));
  }

  /** Layer l's CSRs (rows, ptrBase, flags, cycles). */
  async writeLayerCsr(layer: number, name: EieLayerCsrName, value: bigint | number): Promise<void> {
    await this.host.write(EieSel.csr, layerCsr(layer, name), value);
  }

  async readLayerCsr(layer: number, name: EieLayerCsrName): Promise<bigint> {
    return this.host.read(EieSel.csr, layerCsr(layer, name));
  }

  /** Starts the layers as loaded (CTRL bit 0) and waits for done. */
  async run(opts: { timeout?: number } = {}): Promise<number> {
    await this.writeCsr('ctrl', 1);
    return this.host.waitDone(opts);
  }

  /** A whole problem: loads the matrices and activations, runs, reads the last layer's outputs and the counters. */
  async layers(p: EieProblem): Promise<EieBatchRun & { hostCycles: number }> {
    const out = parseHostOutput(await this.host.runProgram(eieProgram(this.cfg, p, layoutEie(this.cfg, p))));
    const rows = p.layers.at(-1)!.index.length;
    return { ...decodeRun(this.cfg, p.layers.length, rows, out.reads, out.readCycles, 0), hostCycles: out.cycles };
  }

  async close(): Promise<void> {
    await this.sim.close();
  }
}

function csrAddr(name: EieCsrName): number {
  const a = EieCsr[name];
  if (a === undefined) throw new InputError(`CSR '${String(name)}': allowed: ${Object.keys(EieCsr).join(', ')}`);
  return a;
}
