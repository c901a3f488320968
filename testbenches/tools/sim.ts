// The tools behind one interface, as cocotb's runner puts simulators behind
// one abstract runner: each tool says what it is, how to install it, what
// it cannot do (its limits, checked before anything runs), and checks a
// generated design; the simulators also build a host-port design with its
// harness (Verilator: the C++ harness; Icarus: the SystemVerilog testbench)
// and run it. Both simulators read the same host program and write the same
// answers (testbenches/common/host-program.ts), cycle for cycle.
import type { GeneratedDesign } from '../../generators/common/design.js';
import { InputError } from '../../golden/common/errors.js';
import { build, lint, runSim, verilatorVersion, type Build, type RunOptions } from './verilator/runner.js';
import { hostHarness, type HostPortBinding } from './verilator/host.js';
import { buildIcarus, checkWithIcarus, icarusVersion, runIcarus } from './icarus/runner.js';
import { hostTbTop, hostTestbench } from './icarus/host.js';
import { checkWithSystemYosys, systemYosysVersion } from './yosys/system.js';

export const simulators = ['verilator', 'icarus'] as const;
export type SimulatorName = (typeof simulators)[number];

export interface HostBuildOptions {
  sim?: SimulatorName;
  traceFormat?: 'fst' | 'vcd';
  xprop?: boolean;
}

/** What a tool cannot do, declared once; requests past a limit are refused with the reason. */
export interface ToolLimits {
  traceFormats: readonly ('fst' | 'vcd')[];
  /** Random initial state for X-propagation runs. */
  xprop: boolean;
  /** Concurrent SVA (assert property): the designs' invariants fail a run by name. */
  assertions: boolean;
}

/** A tool that reads generated RTL. */
export interface Tool {
  readonly name: string;
  readonly install: string;
  version(): Promise<string>;
  /** Resolves when the tool reads and elaborates the design cleanly (lint, compile or synthesis check). */
  check(design: GeneratedDesign): Promise<void>;
}

/** A simulator: a Tool that also builds a host-port design with its harness and runs it. */
export abstract class Simulator implements Tool {
  abstract readonly name: SimulatorName;
  abstract readonly install: string;
  abstract readonly limits: ToolLimits;
  abstract version(): Promise<string>;
  abstract check(design: GeneratedDesign): Promise<void>;
  protected abstract buildHostChecked(design: GeneratedDesign, P: HostPortBinding, o: HostBuildOptions): Promise<Build>;
  abstract run(b: Build, opts: RunOptions): Promise<{ stdout: string; stderr: string; seconds: number }>;

  /** Builds (or reuses) a host-port design; a request past the limits is refused first. */
  buildHost(design: GeneratedDesign, P: HostPortBinding, o: HostBuildOptions = {}): Promise<Build> {
    if (o.xprop && !this.limits.xprop)
      throw new InputError(
        `X-propagation runs need random initial state, which ${this.name} does not give (it is 4-state already); use verilator`,
      );
    if (o.traceFormat && !this.limits.traceFormats.includes(o.traceFormat))
      throw new InputError(
        `${this.name} writes ${this.limits.traceFormats.join(' or ')} traces only; ask for a .${this.limits.traceFormats[0]} trace`,
      );
    return this.buildHostChecked(design, P, o);
  }
}

class VerilatorSimulator extends Simulator {
  readonly name = 'verilator' as const;
  readonly install = 'apt-get install -y verilator';
  readonly limits: ToolLimits = { traceFormats: ['fst', 'vcd'], xprop: true, assertions: true };
  version = () => verilatorVersion();
  check = (design: GeneratedDesign) => lint(design);
  protected buildHostChecked(design: GeneratedDesign, P: HostPortBinding, o: HostBuildOptions) {
    return build({ design, harness: hostHarness(design, P), traceFormat: o.traceFormat, xprop: o.xprop });
  }
  run = (b: Build, opts: RunOptions) => runSim(b, opts);
}

class IcarusSimulator extends Simulator {
  readonly name = 'icarus' as const;
  readonly install = 'apt-get install -y iverilog';
  // Icarus 11 has no concurrent assertions (the designs guard them with __ICARUS__) and writes VCD only.
  readonly limits: ToolLimits = { traceFormats: ['vcd'], xprop: false, assertions: false };
  version = () => icarusVersion();
  check = (design: GeneratedDesign) => checkWithIcarus(design);
  protected async buildHostChecked(design: GeneratedDesign, P: HostPortBinding) {
    return { ...(await buildIcarus(design, hostTestbench(design, P), hostTbTop)), sim: 'icarus' as const };
  }
  run = (b: Build, opts: RunOptions) => runIcarus(b, opts);
}

/** Debian's Yosys 0.23: a synthesis front-end check (no simulation). */
export const systemYosys: Tool = {
  name: 'yosys',
  install: 'apt-get install -y yosys',
  version: systemYosysVersion,
  check: checkWithSystemYosys,
};

const table: Record<SimulatorName, Simulator> = { verilator: new VerilatorSimulator(), icarus: new IcarusSimulator() };

/** The simulator of a name (default Verilator). */
export const simulator = (name: SimulatorName = 'verilator'): Simulator => table[name];

/** Every tool that reads the generated RTL: the two simulators and the system Yosys. */
export const tools: readonly Tool[] = [table.verilator, table.icarus, systemYosys];

/** Builds (or reuses) a host-port design for the chosen simulator. */
export const buildHostDesign = (
  design: GeneratedDesign,
  P: HostPortBinding,
  o: HostBuildOptions = {},
): Promise<Build> => simulator(o.sim).buildHost(design, P, o);

/** Runs a build of either simulator (buildHostDesign, or a design's own harness) with its plusargs. */
export const runBuild = (b: Build, opts: RunOptions) => simulator(b.sim).run(b, opts);
