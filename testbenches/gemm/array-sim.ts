// Runs a GEMM on the Verilator model of the array core alone (<design>_array) in
// weight-stationary mode, driven by its own harness. The result is what the
// RTL produced; this module only encodes operands and decodes results.
import { withWorkDir } from '../common/cleanup.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GemmConfig as WsConfig } from '../../golden/gemm/config.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { generateGemmArray } from '../../generators/gemm/generate.js';
import { renderTemplate } from '../../generators/common/render.js';
import { SimError } from '../../golden/common/errors.js';
import { fromBits, toBits } from '../../golden/common/numerics.js';
import type { GemmProblem } from '../../golden/common/gemm.js';
import {
  build,
  harnessPlusargs,
  runSim,
  vtopName,
  type Build,
  type HarnessSource,
  type SimRunOptions,
  tracedFormat,
} from '../tools/verilator/runner.js';
import { WsArrayPorts as P, WsArrayTop } from '../../generators/gemm/ws_array.binding.js';
import { repoPath } from '../../golden/common/repo.js';

const harnessTemplate = repoPath('testbenches/gemm/array_harness.cpp.hbs');

export function wsHarness(d: GeneratedDesign, cfg: WsConfig): HarnessSource[] {
  if (d.top !== WsArrayTop) throw new Error(`ws harness expects top ${WsArrayTop}, got ${d.top}`);
  const text = renderTemplate(harnessTemplate, {
    configHash: d.configHash,
    vtop: vtopName(d.top),
    ...cfg,
    p: {
      w_load: P.w_load_i.name,
      w_row: P.w_row_i.name,
      w_bank: P.w_bank_i.name,
      w_data: P.b_data_i.name,
      a_valid: P.a_valid_i.name,
      a_wsel: P.a_tag_i.name,
      os: P.os_i.name,
      a_data: P.a_data_i.name,
      psum: P.psum_i.name,
      relu: P.relu_i.name,
      c_valid: P.c_valid_o.name,
      c_data: P.c_data_o.name,
    },
  });
  return [{ name: 'harness.cpp', text }];
}

/** Builds (or reuses) the simulator of a ws config. */
export async function buildWs(
  cfg: WsConfig,
  design: GeneratedDesign = generateGemmArray('ws', cfg),
  traceFormat?: 'fst' | 'vcd',
  xprop = false,
): Promise<Build> {
  return build({ design, harness: wsHarness(design, cfg), traceFormat, xprop });
}

export interface WsRunOptions extends SimRunOptions {
  /** Chance per cycle, in 1/1000, that the harness withholds the next A row. */
  bubblePermille?: number;
  /** Seed of the harness's bubble pattern. */
  seed?: number;
}

export interface WsRunResult {
  c: bigint[][];
  /** Cycles from the first cycle after reset to the last result row. */
  cycles: number;
  tiles: number;
  bubbles: number;
  simSeconds: number;
  build: Build;
}

export function encodeWsStimulus(cfg: WsConfig, p: GemmProblem, bubblePermille: number, seed: number): string {
  const m = p.a.length,
    k = p.b.length,
    n = p.b[0]!.length;
  const parts: string[] = [`${m} ${k} ${n} ${p.relu ? 1 : 0} ${p.d ? 1 : 0} ${bubblePermille} ${seed}`];
  const dump = (mat: bigint[][], w: number) => {
    for (const row of mat) parts.push(row.map((v) => toBits(v, w).toString()).join(' '));
  };
  dump(p.a, cfg.dataWidth);
  dump(p.b, cfg.dataWidth);
  if (p.d) dump(p.d, cfg.accWidth);
  return parts.join('\n') + '\n';
}

export function decodeWsResponse(cfg: WsConfig, text: string, m: number, n: number) {
  const lines = text.trim().split('\n');
  const header: Record<string, number> = {};
  let i = 0;
  for (; i < lines.length && /^[a-z]/.test(lines[i]!); i++) {
    const [k, v] = lines[i]!.split(' ');
    header[k!] = Number(v);
  }
  const vals = lines.slice(i);
  if (vals.length !== m * n) throw new SimError(`ws harness wrote ${vals.length} results; expected ${m * n}`);
  const c: bigint[][] = [];
  for (let r = 0; r < m; r++) {
    c.push(vals.slice(r * n, (r + 1) * n).map((v) => fromBits(BigInt(v), cfg.accWidth, cfg.signed)));
  }
  return { c, cycles: header.cycles!, tiles: header.tiles!, bubbles: header.bubbles! };
}

/** Runs `p` on the RTL of `cfg` and returns what the RTL computed. */
export async function runWs(cfg: WsConfig, p: GemmProblem, opts: WsRunOptions = {}): Promise<WsRunResult> {
  const b = await buildWs(cfg, opts.design, tracedFormat(opts), opts.xprop !== undefined);
  const m = p.a.length,
    n = p.b[0]!.length;
  return withWorkDir('accelforge-ws-', async (work) => {
    const inPath = join(work, 'in.txt');
    const outPath = join(work, 'out.txt');
    writeFileSync(inPath, encodeWsStimulus(cfg, p, opts.bubblePermille ?? 0, opts.seed ?? 1));
    const plusargs = harnessPlusargs({ in: inPath, out: outPath, ...opts });
    const r = await runSim(b, { plusargs, timeoutMs: opts.timeoutMs, xprop: opts.xprop });
    const out = decodeWsResponse(cfg, readFileSync(outPath, 'utf8'), m, n);
    return { ...out, simSeconds: r.seconds, build: b };
  });
}
