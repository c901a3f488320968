// Markdown tables of the design benchmarks: ws and os utilization and simulation speed, eie against the paper, rs on AlexNet.
// Pure: the same renderers print the bench's output and rewrite docs/benchmarks.md.
import { pct, fmt, f3, table } from './markdown.js';
import type {
  AreaResult,
  EieAlex8Result,
  EieFifoResult,
  EieLayersResult,
  EiePesResult,
  GemmBothResult,
  OsUtilResult,
  RsAlexnetResult,
  ScaleResult,
  ScaleRow,
  WsSimResult,
  WsUtilResult,
} from '../bench-schema.js';

export function wsSimTable(r: WsSimResult): string {
  return table(
    ['measure', 'value'],
    [
      ['compute cycles, start to last result (RTL counter)', r.cycles],
      ['cycle model (golden/gemm/cycles.ts)', r.modelCycles],
      ['utilization M*N*K / (cycles * 256)', pct(r.utilization)],
      ["SCALE-Sim's model for the same GEMM", `${r.scaleSimCycles} cycles, ${pct(r.scaleSimUtilization)}`],
      ['all host-port cycles (loading A, B, D and reading C included)', r.totalCycles],
      ['accelforge run: simulator process wall time (program parse and result file included)', fmt(r.simSeconds)],
      ['accelforge throughput', `${(r.totalCycles / r.simSeconds / 1e6).toFixed(2)} M cycles/s`],
      [
        'minimal C++ loop: same model and transactions, pre-parsed, loop only',
        `${fmt(r.floor.seconds)} (${r.floor.cycles} cycles)`,
      ],
      ['overhead accelforge / floor', `${(r.simSeconds / r.floor.seconds).toFixed(2)}x`],
      ['golden model (TypeScript) for the same GEMM', fmt(r.goldenSeconds)],
    ],
  );
}

export function wsUtilTable(r: WsUtilResult): string {
  return table(
    ['M x K x N', 'RTL cycles', 'model', 'utilization', 'SCALE-Sim cycles', 'SCALE-Sim utilization', 'ideal cycles'],
    r.rows.map((s) => [
      `${s.m} x ${s.k} x ${s.n}`,
      s.cycles,
      s.modelCycles,
      pct(s.utilization),
      s.scaleSimCycles,
      pct(s.scaleSimUtilization),
      s.idealCycles,
    ]),
  );
}

export function osUtilTable(r: OsUtilResult): string {
  return table(
    ['M x K x N', 'RTL cycles', 'model', 'utilization', 'ideal cycles', 'simulator wall time'],
    r.rows.map((s) => [
      `${s.m} x ${s.k} x ${s.n}`,
      s.cycles,
      s.modelCycles,
      pct(s.utilization),
      s.idealCycles,
      fmt(s.simSeconds),
    ]),
  );
}

export function eieAlex8Table(r: EieAlex8Result): string {
  const m = r.measured;
  return table(
    ['measure', 'accelforge (RTL counters)', "authors' model (AlexNet FC8)"],
    [
      ['cycles, start to done', `${m.cycles} (model ${m.modelCycles})`, r.paper.cycles.toLocaleString('en-US')],
      ['time at 800 MHz', `${(m.cycles / 800).toFixed(2)} µs`, `${r.paper.us} µs`],
      ['useful MACs (nonzero weight x nonzero activation)', m.usefulMacs, ''],
      [
        'load efficiency (useful MACs / 64) / cycles',
        f3(m.loadEfficiency),
        `${r.paper.loadEfficiency} (goal: at least this)`,
      ],
      ['1 - idle / cycles (walker busy, padding included)', f3(m.busyEfficiency), String(r.paper.loadEfficiency)],
      ['broadcasts / queue-full stall cycles', `${m.broadcasts} / ${m.queueFullStalls}`, ''],
      ['simulator wall time (memories loaded over the host port)', fmt(m.simSeconds), ''],
    ],
  );
}

export function eieFifoTable(r: EieFifoResult): string {
  const paper = (d: number) => r.paper.find((p) => p.fifoSize === d)?.loadEfficiency.toFixed(3) ?? '-';
  return table(
    [
      'fifoDepth',
      'cycles',
      'load efficiency',
      '1 - idle / cycles',
      'queue-full stalls',
      "authors' load efficiency (their size N)",
    ],
    r.rows.map((x) => [
      x.fifoDepth,
      x.cycles,
      f3(x.loadEfficiency),
      f3(x.busyEfficiency),
      x.queueFullStalls,
      paper(x.fifoDepth),
    ]),
  );
}

export function eiePesTable(r: EiePesResult): string {
  const paper = (n: number) => String(r.paper.find((p) => p.pes === n)?.speedup ?? '-');
  return table(
    ['pes', 'cycles', 'speedup over 1 PE', "authors' speedup", 'load efficiency', '1 - idle / cycles'],
    r.rows.map((x) => [
      x.pes,
      x.cycles,
      x.speedup.toFixed(2),
      paper(x.pes),
      f3(x.loadEfficiency),
      f3(x.busyEfficiency),
    ]),
  );
}

export function eieLayersTable(r: EieLayersResult): string {
  return (
    `Config: ${JSON.stringify(r.config)}\n\n` +
    table(
      [
        'layer',
        'inputs x outputs',
        'weights / acts',
        'cycles',
        'µs at 800 MHz',
        'paper µs',
        'load efficiency',
        '1 - idle / cycles',
        'sim wall time',
      ],
      r.rows.map((L) => [
        L.name,
        `${L.cols} x ${L.rows}`,
        `${+(L.weightDensity * 100).toFixed(1)} % / ${(L.activationDensity * 100).toFixed(1)} %`,
        L.cycles,
        (L.cycles / 800).toFixed(1),
        L.paperUs,
        f3(L.loadEfficiency),
        f3(L.busyEfficiency),
        fmt(L.simSeconds),
      ]),
    )
  );
}

export function rsAlexnetTable(r: RsAlexnetResult): string {
  const macs = r.layers.reduce((a, l) => a + l.macs, 0);
  const cycles = r.layers.reduce((a, l) => a + l.cyclesObjective.cycles, 0);
  return (
    table(
      [
        'layer',
        'mapping',
        'cycles',
        'MACs',
        `utilization MACs / (cycles x ${r.pes})`,
        'active PEs (peak)',
        'DRAM values',
        'DRAM read words',
        'buffer accesses',
        'inter-PE psum hops',
        'scratchpad accesses',
        'sim wall time',
      ],
      r.layers.map((l) => {
        const c = l.cyclesObjective;
        return [
          l.name,
          c.mapping,
          c.cycles,
          `${(l.macs / 1e6).toFixed(1)} M`,
          pct(c.utilization),
          `${c.activePesPeak} (chip ${l.chipActivePes})`,
          c.levels.dram,
          c.dramReadWords,
          c.levels.glb,
          c.levels.array,
          c.levels.rf,
          fmt(c.simSeconds),
        ];
      }),
    ) +
    `\n\nAll ${r.layers.length} layers: ${pct(macs / (cycles * r.pes))} utilization (MACs / (cycles x ${r.pes})), ${cycles.toLocaleString('en-US')} cycles.`
  );
}

export function rsEnergyTable(r: RsAlexnetResult): string {
  return table(
    ['layer', 'DRAM', 'buffer', 'array', 'RF', 'MAC', 'total'],
    r.layers.map((l) => {
      const e = l.cyclesObjective.energyPerMac;
      return [l.name, ...[e.dram, e.buffer, e.array, e.rf, e.mac, e.total].map((x) => x.toFixed(2))];
    }),
  );
}

export function rsFrugalTable(r: RsAlexnetResult): string {
  return table(
    [
      'layer',
      'mapping',
      'cycles',
      'utilization',
      'active PEs',
      'DRAM energy / MAC',
      'total energy / MAC (cycles objective)',
      'sim wall time',
    ],
    r.layers.map((l) => {
      const f = l.energyObjective;
      return [
        l.name,
        f.mapping,
        f.cycles,
        pct(f.utilization),
        f.activePesPeak,
        f.energyPerMac.dram.toFixed(2),
        `${f.energyPerMac.total.toFixed(2)} (${l.cyclesObjective.energyPerMac.total.toFixed(2)})`,
        fmt(f.simSeconds),
      ];
    }),
  );
}

export function gemmBothAreaTable(r: GemmBothResult): string {
  const [ws, os] = r.areas;
  const over = (v: number, base: number) => `${v >= base ? '+' : ''}${pct(v / base - 1)}`;
  return table(
    [
      'array',
      'Yosys cells',
      'flip-flop bits',
      '$macc cells',
      'cells vs ws-16x16',
      'flip-flops vs ws-16x16',
      'cells vs os-16x16',
    ],
    r.areas.map((a) => [
      a.preset,
      a.cells,
      a.flipFlops,
      a.maccCells,
      over(a.cells, ws!.cells),
      over(a.flipFlops, ws!.flipFlops),
      over(a.cells, os!.cells),
    ]),
  );
}

export function gemmBothRunsTable(r: GemmBothResult): string {
  const rows: (string | number)[][] = r.gemms.map((g) => [
    `GEMM ${g.m} x ${g.k} x ${g.n}`,
    g.dataflow,
    g.cycles,
    'bit-exact, cycles = model',
  ]);
  for (const l of r.lenet)
    rows.push([
      `LeNet-5, ${l.images} images (${l.layers.map((x) => `${x.name} ${x.mapping.slice(-2)}`).join(', ')})`,
      l.dataflow,
      l.cycles,
      'every layer bit-exact, predictions = golden',
    ]);
  return table(['run on ws-16x16-both', 'dataflow', 'RTL cycles', 'check'], rows);
}

/** 40.2 M, 45.3 k, 812: three significant figures at most, with an SI prefix. */
const si = (v: number) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(1)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(0);

export function scaleTable(r: ScaleResult): string {
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  const build = (row: ScaleRow, s: 'flat' | 'hierarchical') => {
    const b = row.builds.find((x) => x.strategy === s);
    return b ? `${b.seconds.toFixed(0)} s, ${gib(b.peakBytes)}` : '-';
  };
  return table(
    [
      'point',
      'PEs',
      'lint',
      'cold build, flat',
      'cold build, hierarchical',
      'problem',
      'cycles/s',
      'MAC/s',
      'utilization',
    ],
    r.rows.map((row) => [
      row.point,
      row.pes,
      `${row.lintSeconds.toFixed(1)} s`,
      build(row, 'flat'),
      build(row, 'hierarchical'),
      row.sim?.problem ?? '-',
      row.sim ? Math.round(row.sim.cyclesPerSecond) : '-',
      row.sim ? si(row.sim.macsPerSecond) : '-',
      row.sim?.utilization !== undefined ? pct(row.sim.utilization) : '-',
    ]),
  );
}

/** Area and timing against PE count; the largest module's share says where the gates go. */
export function areaTable(r: AreaResult): string {
  const k = (n: number) => `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} k`;
  return table(
    [
      'point',
      'PEs',
      'NAND2 eq',
      'per PE',
      'flip-flops',
      'SRAM bits',
      'register-file bits',
      'largest module (share)',
      'longest path',
    ],
    r.rows.map((row) => {
      const big = row.modules.reduce(
        (a, m) => (m.nand2 * m.instances > a.nand2 * a.instances ? m : a),
        row.modules[0]!,
      );
      return [
        row.point,
        row.pes,
        k(row.nand2),
        k(row.nand2 / row.pes),
        k(row.flipFlops),
        k(row.sramBits),
        k(row.registerFileBits),
        `${big.module} x ${big.instances} (${pct((big.nand2 * big.instances) / row.nand2)})`,
        `${row.longestPath.levels} levels (${row.longestPath.module})`,
      ];
    }),
  );
}
