// A failure's waveforms: the trace filtered to the signals that matter (VCD),
// a GTKWave save file with the PE scopes and a marker, a WaveDrom picture of
// the key signals, and a text wave for the terminal.
import { createRequire } from 'node:module';
import { timeOfCycle, valueAt, type VcdSignal, type VcdTrace } from './vcd.js';
import type { TraceSpec } from './report.js';

const require = createRequire(import.meta.url);

function vcdValue(v: bigint, xz: bigint, width: number): string {
  if (width === 1) return xz ? 'x' : v.toString();
  if (!xz) return `b${v.toString(2)}`;
  let s = '';
  for (let i = width - 1; i >= 0; i--) s += (xz >> BigInt(i)) & 1n ? 'x' : ((v >> BigInt(i)) & 1n).toString();
  return `b${s}`;
}

/** A VCD holding only the selected signals (aliases included), for viewers and archives. */
export function filteredVcd(trace: VcdTrace, keep: (s: VcdSignal) => boolean): string {
  const sel = trace.signals.filter(keep);
  const out: string[] = ['$timescale 1ps $end'];
  // Scopes from dotted paths, in order.
  let open: string[] = [];
  for (const s of [...sel].sort((a, b) => a.path.localeCompare(b.path))) {
    const parts = s.path.split('.');
    const scope = parts.slice(0, -1);
    let common = 0;
    while (common < open.length && common < scope.length && open[common] === scope[common]) common++;
    for (let i = open.length; i > common; i--) out.push('$upscope $end');
    for (let i = common; i < scope.length; i++) out.push(`$scope module ${scope[i]} $end`);
    open = scope;
    out.push(`$var wire ${s.width} ${s.id} ${parts.at(-1)!.replace(/\[\d+:\d+\]$/, '')} $end`);
  }
  for (let i = open.length; i > 0; i--) out.push('$upscope $end');
  out.push('$enddefinitions $end');
  const events: { t: bigint; line: string }[] = [];
  const seen = new Set<string>();
  for (const s of sel) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    for (const c of trace.changes.get(s.id) ?? []) {
      const v = vcdValue(c.value, c.xz, s.width);
      events.push({ t: c.time, line: s.width === 1 ? `${v}${s.id}` : `${v} ${s.id}` });
    }
  }
  events.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  let last: bigint | undefined;
  for (const e of events) {
    if (e.t !== last) out.push(`#${e.t}`);
    last = e.t;
    out.push(e.line);
  }
  return out.join('\n') + '\n';
}

/** GTKWave save file: ports and each scope as groups, buses in hex, data in signed decimal, a marker at the failure. */
export function gtkwSave(
  dump: string,
  trace: VcdTrace,
  spec: TraceSpec,
  keep: (s: VcdSignal) => boolean,
  marker: bigint,
  start: bigint,
): string {
  const lines = [
    '[*] accelforge failure view (generated)',
    `[dumpfile] "${dump}"`,
    `[timestart] ${start}`,
    `*-4.000000 ${marker} ${Array(25).fill('-1').join(' ')}`,
    '[sst_expanded] 1',
  ];
  const name = (s: VcdSignal) => (s.width > 1 && !/\]$/.test(s.path) ? `${s.path}[${s.width - 1}:0]` : s.path);
  const flag = (s: VcdSignal) => (s.width === 1 ? '@28' : /data|psum|sum|prod|acc|value/.test(s.path) ? '@420' : '@22');
  const group = (title: string, sigs: VcdSignal[]) => {
    if (!sigs.length) return;
    lines.push('@200', `-${title}`);
    for (const s of sigs) lines.push(flag(s), name(s));
  };
  const unique = (list: VcdSignal[]) => list.filter((s, i) => list.findIndex((o) => o.path === s.path) === i);
  group('ports', unique(trace.signals.filter((s) => /^TOP\.[^.]+$/.test(s.path))));
  for (const scope of spec.scopes)
    group(
      scope.replace(/^TOP\./, ''),
      unique(
        trace.signals.filter(
          (s) => keep(s) && s.path.startsWith(scope + '.') && !/[A-Z]\w*$/.test(s.path.split('.').at(-1)!),
        ),
      ),
    );
  return lines.join('\n') + '\n';
}

/** Short row labels: PE scopes as pe[a][b] / pe[k], the top's ports by name. */
function shortName(p: string) {
  const tiled = /gen_trow\[(\d+)\]\.gen_tcol\[(\d+)\]\.u_tile\.gen_row\[(\d+)\]\.gen_col\[(\d+)\]\.u_pe\.(.+)$/.exec(p);
  if (tiled) return `tile[${tiled[1]}][${tiled[2]}].pe[${tiled[3]}][${tiled[4]}].${tiled[5]}`;
  const pe = /gen_row\[(\d+)\]\.gen_col\[(\d+)\]\.u_pe\.(.+)$/.exec(p) ?? /gen_pe\[(\d+)\]\.u_pe\.(.+)$/.exec(p);
  if (pe) return pe.length === 4 ? `pe[${pe[1]}][${pe[2]}].${pe[3]}` : `pe[${pe[1]}].${pe[2]}`;
  return p.split('.').at(-1)!;
}

function sampleCycles(trace: VcdTrace, s: VcdSignal, from: number, to: number): string[] {
  const out: string[] = [];
  // The value during cycle c: the clock-low sample before its rising edge.
  for (let c = from; c <= to; c++) {
    const v = valueAt(trace, s.id, timeOfCycle(c));
    out.push(!v ? '?' : v.xz ? 'x' : s.width === 1 ? v.value.toString() : v.value.toString(16));
  }
  return out;
}

/** A few signals over a few dozen cycles, as WaveDrom SVG (no viewer needed). */
export function waveDromSvg(trace: VcdTrace, sigs: VcdSignal[], from: number, to: number, marker: number): string {
  const wavedrom = require('wavedrom') as {
    renderAny: (i: number, src: unknown, skin: unknown) => unknown;
    waveSkin: unknown;
    onml: { stringify: (x: unknown) => string };
  };
  const lanes = sigs.map((s) => {
    const vals = sampleCycles(trace, s, from, to);
    let wave = '',
      prev: string | undefined;
    const data: string[] = [];
    for (const v of vals) {
      if (v === prev) wave += '.';
      else if (s.width === 1 && (v === '0' || v === '1')) wave += v;
      else if (v === 'x') wave += 'x';
      else {
        wave += '=';
        data.push(s.width > 1 ? `0x${v}` : v);
      }
      prev = v;
    }
    return { name: shortName(s.path), wave, data };
  });
  const src = {
    signal: [{ name: 'clk', wave: 'p' + '.'.repeat(to - from) }, ...lanes],
    head: { text: `cycles ${from}..${to}; failure at ${marker}`, tick: from },
  };
  return wavedrom.onml.stringify(wavedrom.renderAny(0, src, wavedrom.waveSkin));
}

/** A text mini-waveform: one row per signal, one column per cycle (hex). */
export function miniWave(trace: VcdTrace, sigs: VcdSignal[], from: number, to: number, marker: number): string {
  const cols = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  // Wide buses keep their low digits so the table stays readable.
  const cells = sigs.map((s) => sampleCycles(trace, s, from, to).map((v) => (v.length > 10 ? `…${v.slice(-9)}` : v)));
  const width = Math.max(3, ...cols.map((c) => String(c).length), ...cells.flat().map((v) => v.length));
  const names = sigs.map((s) => shortName(s.path));
  const nw = Math.max(5, ...names.map((n) => n.length));
  const pad = (v: string) => v.padStart(width);
  const head = 'cycle'.padEnd(nw) + ' ' + cols.map((c) => pad(c === marker ? `*${c}` : String(c))).join(' ');
  return [head, ...cells.map((row, i) => names[i]!.padEnd(nw) + ' ' + row.map(pad).join(' '))].join('\n');
}
