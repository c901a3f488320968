// One interface over the two simulators for the host-port engines (ws, eie):
// build the design with its harness (Verilator: the C++ harness; Icarus: the
// SystemVerilog testbench) and run a host program. Both read the same program
// and write the same answers (core/host-program.ts), cycle for cycle.
import type { GeneratedDesign } from '../../generators/common/design.js';
import { InputError } from '../../golden/common/errors.js';
import { build, runSim, type Build, type RunOptions } from './verilator/runner.js';
import { hostHarness, type HostPortBinding } from './verilator/host.js';
import { buildIcarus, runIcarus } from './icarus/runner.js';
import { hostTbTop, hostTestbench } from './icarus/host.js';

export const simulators = ['verilator', 'icarus'] as const;
export type SimulatorName = (typeof simulators)[number];

export interface HostBuildOptions {
  sim?: SimulatorName;
  traceFormat?: 'fst' | 'vcd';
  xprop?: boolean;
}

/** Builds (or reuses) a host-port design for the chosen simulator. */
export async function buildHostDesign(
  design: GeneratedDesign,
  P: HostPortBinding,
  o: HostBuildOptions = {},
): Promise<Build> {
  if ((o.sim ?? 'verilator') === 'verilator')
    return build({ design, harness: hostHarness(design, P), traceFormat: o.traceFormat, xprop: o.xprop });
  if (o.xprop)
    throw new InputError(
      'X-propagation runs are a Verilator build (Icarus is 4-state already); drop --sim icarus or the xprop option',
    );
  if (o.traceFormat === 'fst') throw new InputError('icarus writes VCD traces only; ask for a .vcd trace');
  return { ...(await buildIcarus(design, hostTestbench(design, P), hostTbTop)), sim: 'icarus' };
}

/** Runs a build of either simulator (buildHostDesign, or a design's own harness) with its plusargs. */
export function runBuild(b: Build, opts: RunOptions) {
  return b.sim === 'icarus' ? runIcarus(b, opts) : runSim(b, opts);
}
