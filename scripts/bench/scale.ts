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
import { parseEieConfig } from '../../golden/eie/config.js';
import { randomActivations, randomSparseLayer, type EieProblem } from '../../golden/eie/problem.js';
import { parseRsConfig } from '../../golden/rs/config.js';
import { randomConvProblem } from '../../golden/rs/problem.js';
import { eieSized } from './eie.js';
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

export interface Point {
  name: string;
  design: string;
  config: Record<string, unknown>;
  pes: number;
  /** Build strategies measured here (flat builds beyond 32 x 32 exceed this machine: 64 x 64 passed 22 GB). */
  strategies: ('flat' | 'hierarchical')[];
  /** The problem simulated: a GEMM shape, or a named layer (config sized for it) with its MAC count. */
  gemm?: { m: number; k: number; n: number };
  layer?: () => { text: string; config: Record<string, unknown>; problem: unknown; macs: number };
}

// eie: AlexNet FC6's shape as the paper ran it (Alex-6: 9216 inputs, 4096 outputs, 9 % weights, 35.1 %
// activations), memories sized for it; MACs are the useful ones (nonzero weight x nonzero activation).
function alex6(pes: number) {
  const rng = new Random(9216 * 31 + 4096);
  const problem: EieProblem = {
    activations: randomActivations(9216, 0.351, rng),
    layers: [randomSparseLayer(parseEieConfig({ pes }), 4096, 9216, 0.09, rng, { bias: true })],
  };
  const config = eieSized(parseEieConfig({ pes }), problem);
  const nz = problem.activations.flatMap((a, j) => (a !== 0n ? [j] : []));
  let macs = 0;
  for (const row of problem.layers[0]!.index) for (const j of nz) if (row[j] !== 0) macs++;
  return { text: 'Alex-6 shape: 9216 x 4096, 9 % weights, 35.1 % activations, bias', config, problem, macs };
}

// rs: AlexNet CONV5 (one group, as Eyeriss ran it): 192 x 13 x 13 in, 256 3 x 3 filters, padding 1.
function conv5(config: Record<string, unknown>) {
  const L = { N: 1, C: 192, H: 13, W: 13, M: 256, R: 3, S: 3, stride: 1, padding: 1, bias: true, relu: true };
  const problem = randomConvProblem(parseRsConfig(config), L, new Random(192 * 1000 + 256));
  return {
    text: 'AlexNet CONV5: C 192, 13 x 13, M 256, 3 x 3, padding 1',
    config,
    problem,
    macs: 256 * 192 * 9 * 13 * 13,
  };
}

function points(): Point[] {
  const only = process.env.ACCELFORGE_SCALE_POINTS?.split(',');
  return only ? allPoints().filter((p) => only.includes(p.name)) : allPoints();
}

export function allPoints(): Point[] {
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
    pts.push({
      name: `eie-${p}`,
      design: 'eie',
      config: { pes: p },
      pes: p,
      strategies: ['flat'],
      layer: () => alex6(p),
    });
  for (const [r, c] of [
    [12, 14],
    [16, 16],
    [32, 32],
  ]) {
    const config = { peRows: r!, peCols: c!, dataWidth: 16, glbBytes: 108 * 1024 };
    pts.push({
      name: `rs-${r}x${c}`,
      design: 'rs',
      config,
      pes: r! * c!,
      strategies: ['flat'],
      layer: () => conv5(config),
    });
  }
  return pts;
}

const withStrategy = (g: GeneratedDesign, s: 'flat' | 'hierarchical'): GeneratedDesign => ({
  ...g,
  build: { ...g.build, hierarchical: s === 'hierarchical' },
});

async function measure(pt: Point): Promise<ScaleRow> {
  const d: AnyDesign = designByName(pt.design);
  const layer = pt.layer?.();
  const cfg = d.parseConfig(layer?.config ?? pt.config, `scale point ${pt.name}`);
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
        const p = pt.gemm ? randomGemmProblem(cfg as never, pt.gemm, new Random(pt.pes), { d: true }) : layer!.problem;
        const { r } = await checkedRun(d, cfg, p, `scale ${pt.name}`, { timeoutMs: 3_600_000, maxCycles: 1e9 });
        // Whole-run cycles: ws/os count host transfers as totalCycles, eie its host program (the
        // compressed matrix loaded through the host port) as hostCycles; rs loads DRAM behind the harness.
        const run = r as unknown as { cycles: number; totalCycles?: number; hostCycles?: number; simSeconds: number };
        const macs = pt.gemm ? pt.gemm.m * pt.gemm.k * pt.gemm.n : layer!.macs;
        const total = run.totalCycles ?? run.hostCycles ?? run.cycles;
        sim = {
          problem: pt.gemm ? `${pt.gemm.m} x ${pt.gemm.k} x ${pt.gemm.n} GEMM` : layer!.text,
          cycles: run.cycles,
          totalCycles: total,
          simSeconds: run.simSeconds,
          cyclesPerSecond: total / run.simSeconds,
          macsPerSecond: macs / run.simSeconds,
          utilization: macs / (run.cycles * pt.pes),
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
