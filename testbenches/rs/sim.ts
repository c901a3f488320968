// Runs the rs engine on Verilator: the C++ harness is the DRAM, loaded with
// the image of host.ts; the ofmap and the counters are read back from what
// the RTL wrote. Nothing here computes a result.
import { withWorkDir } from '../common/cleanup.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RsConfig } from '../../golden/rs/config.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { generateRs } from '../../generators/rs/generate.js';
import { SimError } from '../../golden/common/errors.js';
import { renderTemplate } from '../../generators/common/render.js';
import { type ConvProblem } from '../../golden/rs/golden.js';
import {
  rsCounterNames,
  rsDescriptorFields,
  rsDescriptorViolations,
  type RsCounters,
  type RsDescriptorField,
  type RsMapping,
} from '../../golden/rs/contract.js';
import { rsLimits } from '../../golden/rs/config.js';
import { rsImage } from './host.js';
import {
  build,
  harnessPlusargs,
  vtopName,
  type Build,
  type SimRunOptions,
  tracedFormat,
} from '../tools/verilator/runner.js';
import { buildIcarus } from '../tools/icarus/runner.js';
import { runBuild, type SimulatorName } from '../tools/sim.js';
import { InputError } from '../../golden/common/errors.js';
import { RsEngineTop } from '../../generators/rs/rs_engine.binding.js';
import { repoPath } from '../../golden/common/repo.js';

const harnessTemplate = repoPath('testbenches/rs/dram_harness.cpp.hbs');
const tbTemplate = repoPath('testbenches/rs/dram_tb.sv.hbs');

export async function buildRsEngine(
  cfg: RsConfig,
  design: GeneratedDesign = generateRs(cfg),
  traceFormat?: 'fst' | 'vcd',
  xprop = false,
  sim: SimulatorName = 'verilator',
): Promise<Build> {
  if (design.top !== RsEngineTop) throw new Error(`expected top ${RsEngineTop}, got ${design.top}`);
  if (sim === 'icarus') {
    if (xprop) throw new InputError('X-propagation runs are a Verilator build (Icarus is 4-state already)');
    if (traceFormat === 'fst') throw new InputError('icarus writes VCD traces only; ask for a .vcd trace');
    const port = (n: string) => design.ports.find((p) => p.name === n)!.width;
    const text = renderTemplate(tbTemplate, {
      design: design.design,
      configHash: design.configHash,
      top: design.top,
      addrWidth: port('dram_rd_addr_o'),
      dataWidth: port('dram_rsp_rdata_i'),
    });
    return { ...(await buildIcarus(design, [{ name: 'af_dram_tb.sv', text }], 'af_dram_tb')), sim: 'icarus' };
  }
  const text = renderTemplate(harnessTemplate, {
    design: design.design,
    configHash: design.configHash,
    vtop: vtopName(design.top),
  });
  return build({ design, harness: [{ name: 'dram_harness.cpp', text }], traceFormat, xprop });
}

/** The engine flagged its descriptor (error_o): nothing computed. */
export class RsDescriptorRefused extends SimError {
  constructor(
    message: string,
    readonly violations: string[],
    readonly wordsWritten: number,
  ) {
    super(message);
  }
}

export interface RsRunResult {
  /** Set when the run stopped at the first result that differed from `expect`. */
  stopped?: { n: number; m: number; e: number; f: number; actual: bigint; cycle: number };
  ofmap: bigint[][][][];
  /** Trace cycle at which the RTL wrote ofmap[n][m][e][f] to DRAM. */
  ofmapCycle: (n: number, m: number, e: number, f: number) => number;
  cycles: number;
  counters: RsCounters;
  harnessCycles: number;
  mapping: RsMapping;
  simSeconds: number;
  build: Build;
  /** Set when the RTL refused the descriptor and `refusalExpected` asked for a result instead of an error. */
  refused?: { violations: string[]; wordsWritten: number };
  /** The forbidden descriptors started before the run (`refusals`), for a re-run that must be the same. */
  prelude?: RsRefusal[];
  /** The first of them the RTL did not refuse (it wrote, read past the DRAM or never ended with error_o): no run followed. */
  preludeFailure?: RsRefusal;
}

/** A descriptor the contract forbids, which a checked run starts before its layer: the RTL must refuse it. */
export interface RsRefusal {
  desc: Record<RsDescriptorField, number>;
  /** What was changed from the layer's own descriptor. */
  what: string;
  violations: string[];
}

export interface RsRunOptions extends SimRunOptions {
  dramLatency?: number;
  mapping?: RsMapping;
  /** The golden ofmap: the DRAM compares each result as it is written and stops at the first wrong one. */
  expect?: bigint[][][][];
  /** A refused descriptor answers a result with `refused` set (verify's forbidden mapping variants) instead of RsDescriptorRefused. */
  refusalExpected?: boolean;
  /** Descriptors to start (and see refused) before the layer: the harness's +refuse. */
  refusals?: RsRefusal[];
}

/** The cycle a mid-run reset (resetMidRun) lands on: after the first DRAM reads. */
const resetAt = 20;

type RsImage = ReturnType<typeof rsImage>;

/** The DRAM image (and, with `expect`, the golden ofmap the DRAM compares writes with) as the harness's input files. */
function writeDramFiles(work: string, img: RsImage, opts: RsRunOptions): Record<string, string | number> {
  const lines: string[] = [];
  for (const [a, v] of img.words) lines.push(`${a} ${BigInt.asUintN(64, v).toString(16)}`);
  writeFileSync(join(work, 'dram.txt'), lines.join('\n') + '\n');
  const extra: Record<string, string | number> = { dram_words: img.size, dram_latency: opts.dramLatency ?? 1 };
  if (opts.resetMidRun) extra.reset_at = resetAt;
  if (opts.refusals?.length) {
    const hex = (v: number) => BigInt.asUintN(64, BigInt(v)).toString(16);
    const text = opts.refusals.map((r) =>
      [rsDescriptorFields.length, ...rsDescriptorFields.map((k) => hex(r.desc[k]))].join(' '),
    );
    writeFileSync(join(work, 'refuse.txt'), text.join('\n') + '\n');
    extra.refuse = join(work, 'refuse.txt');
  }
  if (opts.expect) {
    const { M, E, F } = img.shape;
    const ex: string[] = [];
    opts.expect.forEach((a, n) =>
      a.forEach((b, m) =>
        b.forEach((c, e) =>
          c.forEach((v, f) =>
            ex.push(`${img.desc.ofmapBase + ((n * M + m) * E + e) * F + f} ${BigInt.asUintN(64, v).toString(16)}`),
          ),
        ),
      ),
    );
    writeFileSync(join(work, 'expect.txt'), ex.join('\n') + '\n');
    extra.expect = join(work, 'expect.txt');
  }
  return extra;
}

/** What the DRAM harness recorded: every word written (and when), the total cycles, a mismatch stop, a reset, a refusal. */
/** The DRAM harness's log (its +out): the words written and the cycles. */
export function parseDramLog(text: string) {
  const written = new Map<number, bigint>();
  const writeCycle = new Map<number, number>();
  let harnessCycles = 0,
    wasReset = false,
    refused = false;
  const prelude: boolean[] = [];
  let stop: { addr: number; value: bigint; cycle: number } | undefined;
  for (const line of text.split('\n')) {
    const [tag, a, v, cyc] = line.split(' ');
    if (tag === 'CYCLES') harnessCycles = Number(a);
    else if (tag === 'ERROR') refused = true;
    else if (tag === 'RESET') wasReset = true;
    else if (tag === 'REFUSAL') prelude[Number(a)] = v === '1';
    else if (tag === 'MISMATCH')
      stop = { addr: Number(a), value: BigInt.asIntN(64, BigInt(`0x${v}`)), cycle: Number(cyc) };
    else if (tag === 'W') {
      written.set(Number(a), BigInt.asIntN(64, BigInt(`0x${v}`)));
      writeCycle.set(Number(a), Number(cyc));
    }
  }
  return { written, writeCycle, harnessCycles, wasReset, refused, stop, prelude };
}

/** The ofmap, the counters and (after a mismatch stop) the wrong element, from the words the engine wrote. */
export function decodeRun(img: RsImage, log: ReturnType<typeof parseDramLog>) {
  const { N, M, E, F } = img.shape;
  const { written, stop } = log;
  const read = (a: number, what: string) => {
    const v = written.get(a);
    // A run stopped at a mismatch has not written everything: 0 stands for "not written".
    if (v === undefined && !stop) throw new SimError(`rs engine never wrote ${what} (DRAM word ${a})`);
    return v ?? 0n;
  };
  const at = (n: number, m: number, e: number, f: number) => img.desc.ofmapBase + ((n * M + m) * E + e) * F + f;
  const ofmap = Array.from({ length: N }, (_, n) =>
    Array.from({ length: M }, (_, m) =>
      Array.from({ length: E }, (_, e) =>
        Array.from({ length: F }, (_, f) => read(at(n, m, e, f), `ofmap[${n}][${m}][${e}][${f}]`)),
      ),
    ),
  );
  const counters = {} as RsCounters;
  rsCounterNames.forEach((k, j) => (counters[k] = stop ? NaN : Number(read(img.desc.statsBase + j, `counter ${k}`))));
  let stopped: RsRunResult['stopped'];
  if (stop) {
    const o = stop.addr - img.desc.ofmapBase;
    stopped = {
      n: Math.floor(o / (F * E * M)),
      m: Math.floor(o / (F * E)) % M,
      e: Math.floor(o / F) % E,
      f: o % F,
      actual: stop.value,
      cycle: stop.cycle,
    };
  }
  return {
    ofmap,
    counters,
    stopped,
    ofmapCycle: (n: number, m: number, e: number, f: number) => log.writeCycle.get(at(n, m, e, f)) ?? -1,
  };
}

export async function runRs(cfg: RsConfig, p: ConvProblem, opts: RsRunOptions = {}): Promise<RsRunResult> {
  const img = rsImage(cfg, p, opts.mapping);
  const b = await buildRsEngine(cfg, opts.design, tracedFormat(opts), opts.xprop !== undefined, opts.sim);
  return withWorkDir('accelforge-rs-', async (work) => {
    const outPath = join(work, 'out.txt');
    const extra = writeDramFiles(work, img, opts);
    const plusargs = harnessPlusargs({ in: join(work, 'dram.txt'), out: outPath, ...opts, extra });
    const r = await runBuild(b, { plusargs, timeoutMs: opts.timeoutMs, xprop: opts.xprop });
    const log = parseDramLog(readFileSync(outPath, 'utf8'));
    const refusals = opts.refusals ?? [];
    const notRefused = refusals.findIndex((_, i) => log.prelude[i] !== true);
    if (notRefused >= 0) {
      if (log.prelude[notRefused] === undefined)
        throw new SimError(`the rs harness reported no answer for refusal ${notRefused} of ${refusals.length}`);
      return {
        ofmap: [],
        ofmapCycle: () => -1,
        cycles: NaN,
        counters: Object.fromEntries(rsCounterNames.map((n) => [n, NaN])) as RsCounters,
        harnessCycles: 0,
        mapping: img.mapping,
        simSeconds: r.seconds,
        build: b,
        prelude: refusals,
        preludeFailure: refusals[notRefused],
      };
    }
    if (log.refused) {
      const why = rsDescriptorViolations(rsLimits(cfg), img.desc);
      if (opts.refusalExpected)
        return {
          ofmap: [],
          ofmapCycle: () => -1,
          // The RTL ran until its descriptor check refused: the harness's count of those cycles.
          cycles: log.harnessCycles,
          counters: Object.fromEntries(rsCounterNames.map((n) => [n, 0])) as RsCounters,
          harnessCycles: log.harnessCycles,
          mapping: img.mapping,
          simSeconds: r.seconds,
          build: b,
          refused: { violations: why, wordsWritten: log.written.size },
          ...(refusals.length ? { prelude: refusals } : {}),
        };
      throw new RsDescriptorRefused(
        `the rs engine refused the descriptor (error_o after DESC, ${log.harnessCycles} cycles, ${log.written.size} DRAM words written): ${why.length ? why.join('; ') : 'no rule of rsDescriptorViolations names it (the RTL and contract.ts disagree)'}`,
        why,
        log.written.size,
      );
    }
    if (opts.resetMidRun && !log.wasReset && !log.stop)
      throw new SimError(`the rs run finished before cycle ${resetAt}, where +reset_at was to reset it`);
    const d = decodeRun(img, log);
    return {
      ...d,
      cycles: log.stop ? NaN : d.counters.cycles,
      harnessCycles: log.harnessCycles,
      mapping: img.mapping,
      simSeconds: r.seconds,
      build: b,
      ...(refusals.length ? { prelude: refusals } : {}),
    };
  });
}
