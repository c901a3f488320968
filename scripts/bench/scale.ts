// `npm run bench -- scale`: how the cost of each design grows with its PE
// count. For every point: lint time (as `accelforge lint` runs it), cold
// build time with ccache off for each build strategy the point allows
// (flat, hierarchical), the peak memory of the build's processes, and a
// large problem's simulation speed (cycles and MACs per second) and
// utilization, bit-exact and equal to the cycle model or the bench stops.
// ACCELFORGE_SCALE_POINTS=ws-16,os-16,... limits the points.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../../golden/common/random.js';
import { randomGemmProblem } from '../../golden/common/gemm.js';
import { designByName } from '../../testbenches/registry.js';
import type { AnyDesign } from '../../testbenches/plugin.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { lint } from '../../testbenches/tools/verilator/runner.js';
import type { ScaleResult, ScaleRow } from '../flows/bench-results.js';
import { checkedRun, log, results, withEmptyCache, type Data } from './env.js';

/** Peak resident memory of this process's descendants (summed), sampled every 250 ms while `fn` runs. */
async function peakChildMemory<T>(fn: () => Promise<T>): Promise<{ value: T; peakBytes: number }> {
  let peak = 0;
  const sample = () => {
    const kids = new Map<number, number[]>();
    const rss = new Map<number, number>();
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const pid = Number(e),
          ppid = Number(f[1]);
        rss.set(pid, Number(f[21]) * 4096);
        kids.set(ppid, [...(kids.get(ppid) ?? []), pid]);
      } catch {
        // The process ended between readdir and read.
      }
    }
    let sum = 0;
    const walk = (p: number) => {
      for (const c of kids.get(p) ?? []) {
        sum += rss.get(c) ?? 0;
        walk(c);
      }
    };
    walk(process.pid);
    peak = Math.max(peak, sum);
  };
  const timer = setInterval(sample, 250);
  try {
    const value = await fn();
    return { value, peakBytes: peak };
  } finally {
    clearInterval(timer);
  }
}

interface Point {
  name: string;
  design: string;
  config: Record<string, unknown>;
  pes: number;
  /** Build strategies measured here (flat builds beyond 32 x 32 exceed this machine: 64 x 64 passed 22 GB). */
  strategies: ('flat' | 'hierarchical')[];
  /** The problem simulated: a GEMM shape, or the design's random case. */
  gemm?: { m: number; k: number; n: number };
}

function points(): Point[] {
  const only = process.env.ACCELFORGE_SCALE_POINTS?.split(',');
  return only ? allPoints().filter((p) => only.includes(p.name)) : allPoints();
}

function allPoints(): Point[] {
  const pts: Point[] = [];
  for (const design of ['ws', 'os']) {
    for (const s of [16, 32, 64, 128, 256]) {
      const depth = Math.max(1024, 16 * s); // a 4S x 4S x 4S GEMM in one pass
      pts.push({
        name: `${design}-${s}`,
        design,
        config: { rows: s, cols: s, aDepth: depth, bDepth: depth, accDepth: depth },
        pes: s * s,
        strategies: s <= 16 ? ['flat'] : s <= 32 ? ['flat', 'hierarchical'] : ['hierarchical'],
        gemm: { m: 4 * s, k: 4 * s, n: 4 * s },
      });
    }
  }
  for (const p of [64, 128, 256])
    pts.push({ name: `eie-${p}`, design: 'eie', config: { pes: p }, pes: p, strategies: ['flat'] });
  for (const [r, c] of [
    [12, 14],
    [16, 16],
    [32, 32],
  ])
    pts.push({
      name: `rs-${r}x${c}`,
      design: 'rs',
      config: { peRows: r!, peCols: c!, dataWidth: 16, glbBytes: 108 * 1024 },
      pes: r! * c!,
      strategies: ['flat'],
    });
  return pts;
}

const withStrategy = (g: GeneratedDesign, s: 'flat' | 'hierarchical'): GeneratedDesign => ({
  ...g,
  build: { ...g.build, hierarchical: s === 'hierarchical' },
});

async function measure(pt: Point): Promise<ScaleRow> {
  const d: AnyDesign = designByName(pt.design);
  const cfg = d.parseConfig(pt.config, `scale point ${pt.name}`);
  const g = d.generate(cfg);
  let t = Date.now();
  await lint(g);
  const lintSeconds = (Date.now() - t) / 1000;
  log(`[${pt.name}] lint ${lintSeconds.toFixed(1)} s`);
  const builds: ScaleRow['builds'] = [];
  let sim: ScaleRow['sim'];
  for (const s of pt.strategies) {
    const design = withStrategy(g, s);
    await withEmptyCache(
      async () => {
        t = Date.now();
        const { peakBytes } = await peakChildMemory(() => d.build(cfg, { design }));
        const seconds = (Date.now() - t) / 1000;
        builds.push({ strategy: s, seconds, peakBytes });
        log(`[${pt.name}] ${s} build ${seconds.toFixed(0)} s, peak ${(peakBytes / 2 ** 30).toFixed(2)} GiB`);
        // The speed of the design's default strategy, on its own build.
        if (s !== (g.build?.hierarchical ? 'hierarchical' : 'flat')) return;
        const p = pt.gemm
          ? randomGemmProblem(cfg as never, pt.gemm, new Random(pt.pes), { d: true })
          : d.randomCase(cfg, pt.pes).problem;
        const { r, summary } = await checkedRun(d, cfg, p, `scale ${pt.name}`, {});
        const run = r as unknown as { cycles: number; totalCycles?: number; simSeconds: number };
        const macs = pt.gemm ? pt.gemm.m * pt.gemm.k * pt.gemm.n : Number((summary as { macs?: number }).macs ?? 0);
        const total = run.totalCycles ?? run.cycles;
        sim = {
          problem: pt.gemm ? `${pt.gemm.m} x ${pt.gemm.k} x ${pt.gemm.n} GEMM` : 'random case',
          cycles: run.cycles,
          totalCycles: total,
          simSeconds: run.simSeconds,
          cyclesPerSecond: total / run.simSeconds,
          macsPerSecond: macs / run.simSeconds,
          utilization: pt.gemm ? macs / (run.cycles * pt.pes) : undefined,
        };
        log(`[${pt.name}] ${sim.cyclesPerSecond.toFixed(0)} cycles/s`);
      },
      { CCACHE_DISABLE: '1' },
    );
  }
  return {
    point: pt.name,
    design: pt.design,
    pes: pt.pes,
    measuredAt: new Date().toISOString(),
    lintSeconds,
    builds,
    sim,
  };
}

/**
 * With ACCELFORGE_SCALE_POINTS, the committed rows of the other points are
 * kept (each row says when it was measured), so points can be measured in
 * separate sittings.
 */
export async function scale(): Promise<Data<ScaleResult>> {
  const measured: ScaleRow[] = [];
  for (const pt of points()) measured.push(await measure(pt));
  const file = join(results.dir, 'bench-scale.json');
  const kept =
    process.env.ACCELFORGE_SCALE_POINTS && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as ScaleResult).rows.filter(
          (r) => !measured.some((m) => m.point === r.point),
        )
      : [];
  const order = allPoints().map((p) => p.name);
  const rows = [...kept, ...measured].sort((a, b) => order.indexOf(a.point) - order.indexOf(b.point));
  return { rows };
}
