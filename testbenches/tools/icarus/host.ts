// The Icarus testbench for the host-port engines (ws, eie): the SystemVerilog
// twin of toolchain/verilator/host_harness.cpp.hbs, named from the design's
// committed binding like the C++ harness.
import type { GeneratedDesign } from '../../../generators/common/design.js';
import { renderTemplate } from '../../../generators/common/render.js';
import type { HarnessSource } from '../verilator/runner.js';
import { hostPortNames, type HostPortBinding } from '../verilator/host.js';
import { repoPath } from '../../../golden/common/repo.js';

export const hostTbTemplate = repoPath('testbenches/tools/icarus/host_tb.sv.hbs');
export const hostTbTop = 'af_host_tb';

/** Renders the SystemVerilog host testbench for a design. */
export function hostTestbench(d: GeneratedDesign, P: HostPortBinding): HarnessSource[] {
  const ports = d.ports
    .filter((p) => p.name !== 'clk_i' && p.name !== 'rst_ni')
    .map((p) => ({ name: p.name, width: p.width, isInput: p.direction === 'input' }));
  const wdata = d.ports.find((p) => p.name === P.host_req_wdata_i.name)!;
  const text = renderTemplate(hostTbTemplate, {
    design: d.design,
    configHash: d.configHash,
    top: d.top,
    ports,
    // A W line: "W sel addr hex" with the widest value the port takes.
    lineChars: 64 + Math.ceil(wdata.width / 4),
    wdataWidth: wdata.width,
    ...hostPortNames(P),
  });
  return [{ name: `${hostTbTop}.sv`, text }];
}
