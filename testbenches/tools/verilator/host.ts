// The host-port harness shared by the engines (ws, eie): they all expose
// host_req_* / host_rsp_* / busy_o / done_o, named here from each design's
// committed binding so a renamed port fails the type-check.
import type { GeneratedDesign } from '../../../generators/common/design.js';
import { renderTemplate } from '../../../generators/common/render.js';
import { vtopName, type HarnessSource } from './runner.js';
import { repoPath } from '../../../golden/common/repo.js';

export const hostTemplate = repoPath('testbenches/tools/verilator/host_harness.cpp.hbs');
export const hostFloorTemplate = repoPath('testbenches/tools/verilator/host_floor.cpp.hbs');

interface PortRef {
  readonly name: string;
}
/** The host-port subset of a binding's ports object. */
export interface HostPortBinding {
  host_req_valid_i: PortRef;
  host_req_ready_o: PortRef;
  host_req_write_i: PortRef;
  host_req_sel_i: PortRef;
  host_req_addr_i: PortRef;
  host_req_wdata_i: PortRef;
  host_rsp_valid_o: PortRef;
  host_rsp_rdata_o: PortRef;
  busy_o: PortRef;
  done_o: PortRef;
}

/** The host port's signal names, as both harnesses (C++ and SystemVerilog) name them. */
export function hostPortNames(P: HostPortBinding) {
  return {
    valid: P.host_req_valid_i.name,
    ready: P.host_req_ready_o.name,
    write: P.host_req_write_i.name,
    sel: P.host_req_sel_i.name,
    addr: P.host_req_addr_i.name,
    wdata: P.host_req_wdata_i.name,
    rspValid: P.host_rsp_valid_o.name,
    rdata: P.host_rsp_rdata_o.name,
    busy: P.busy_o.name,
    done: P.done_o.name,
  };
}

/** Renders the host harness (or the benchmark floor) for a design. */
export function hostHarness(
  d: GeneratedDesign,
  P: HostPortBinding,
  template = hostTemplate,
  name = 'host_harness.cpp',
): HarnessSource[] {
  const names = hostPortNames(P);
  const width = (n: string) => d.ports.find((x) => x.name === n)?.width ?? 1;
  const mask = (n: string) => `0x${((1n << BigInt(Math.min(64, width(n)))) - 1n).toString(16)}ull`;
  const text = renderTemplate(template, {
    design: d.design,
    configHash: d.configHash,
    vtop: vtopName(d.top),
    p: names,
    masks: { sel: mask(names.sel), addr: mask(names.addr) },
    wdataWidth: width(names.wdata),
  });
  return [{ name, text }];
}

export { packHex, parseHostOutput } from '../../common/host-program.js';
