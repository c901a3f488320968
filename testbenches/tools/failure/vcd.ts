// Streaming VCD reader on vcd-stream (the WaveDrom project's parser, its
// WebAssembly build: no native addon needed at run time). Memory stays
// bounded: only the changes of the selected signals are kept. Every name of
// an aliased identifier code is kept; values are exact BigInts with an x/z
// mask (uppercase X/Z included).
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface VcdSignal {
  /** Dotted hierarchical name, e.g. TOP.rs_engine.gen_row[1].gen_col[2].u_pe.mac_o */
  path: string;
  /** Identifier code (shared by aliases). */
  id: string;
  width: number;
}

export interface VcdChange {
  time: bigint;
  value: bigint;
  /** Bits that are x or z. */
  xz: bigint;
}

export interface VcdTrace {
  signals: VcdSignal[];
  /** Changes of the selected signals by identifier code, in time order. */
  changes: Map<string, VcdChange[]>;
  timescale?: unknown;
  bytes: number;
  endTime: bigint;
}

interface ScopeNode {
  kind: 'scope' | 'var';
  name: string;
  link?: string;
  size?: number;
  body?: ScopeNode[];
}

function collect(node: ScopeNode, prefix: string, out: VcdSignal[]) {
  for (const n of node.body ?? []) {
    const path = prefix ? `${prefix}.${n.name}` : n.name;
    if (n.kind === 'scope') collect(n, path, out);
    else if (n.link !== undefined) out.push({ path, id: n.link, width: n.size ?? 1 });
  }
}

/** Reads a VCD file; `select` picks the signals whose changes are kept (default: all). */
export async function readVcd(path: string, select: (s: VcdSignal) => boolean = () => true): Promise<VcdTrace> {
  const { createVCD, webVcdParser } = require('vcd-stream') as {
    createVCD: () => Promise<unknown>;
    webVcdParser: (wasm: unknown) => Promise<
      NodeJS.WritableStream & {
        info: { wires: ScopeNode; timescale?: unknown };
        change: { any: (fn: (id: string, time: bigint, cmd: number, value?: bigint, mask?: bigint) => void) => void };
        getTime: () => bigint;
      }
    >;
  };
  const parser = await webVcdParser(await createVCD());
  const signals: VcdSignal[] = [];
  const changes = new Map<string, VcdChange[]>();
  let endTime = 0n;
  parser.on('$enddefinitions', () => {
    collect(parser.info.wires, '', signals);
    for (const s of signals) if (select(s)) changes.set(s.id, []);
  });
  parser.change.any((id, time, cmd, value, mask) => {
    endTime = time;
    const list = changes.get(id);
    if (!list) return;
    if (value === undefined) {
      // Scalars come as commands without a value: 14 '0', 15 '1', 16 'x', 17 'X', 18 'z', 19 'Z'.
      list.push({ time, value: cmd === 15 ? 1n : 0n, xz: cmd >= 16 ? 1n : 0n });
    } else {
      list.push({ time, value, xz: mask ?? 0n });
    }
  });
  await new Promise<void>((resolve, reject) => {
    const s = createReadStream(path);
    s.on('error', reject);
    parser.on('finish', () => resolve());
    s.pipe(parser);
  });
  return { signals, changes, timescale: parser.info.timescale, bytes: statSync(path).size, endTime };
}

/** The value of a signal at a time (its last change at or before it). */
export function valueAt(trace: VcdTrace, id: string, time: bigint): VcdChange | undefined {
  const list = trace.changes.get(id);
  if (!list) return undefined;
  let lo = 0,
    hi = list.length - 1,
    best: VcdChange | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.time <= time) {
      best = list[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Reads signals by full path at a time (undefined when absent or unknown). */
export function sampler(trace: VcdTrace) {
  const byPath = new Map(trace.signals.map((s) => [s.path, s]));
  return (path: string, time: bigint): bigint | undefined => {
    const s = byPath.get(path);
    return s ? valueAt(trace, s.id, time)?.value : undefined;
  };
}

/** Times of the clock-low samples (inputs of the next rising edge are stable). */
export function clockLowTimes(trace: VcdTrace, clock = 'TOP.clk_i'): bigint[] {
  const s = trace.signals.find((x) => x.path === clock);
  return s ? (trace.changes.get(s.id) ?? []).filter((c) => c.value === 0n).map((c) => c.time) : [];
}

/** Cycle numbering of the harness traces: time 2 (cycle + resetTicks) is the clock-low sample of a cycle. */
const resetTicks = 2;
export const timeOfCycle = (c: number) => BigInt(2 * (c + resetTicks));
export const cycleOfTime = (t: bigint) => Number(t / 2n) - resetTicks;
