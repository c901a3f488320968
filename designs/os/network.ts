// Quantized network layers on the os engine: the same lowering as ws (a
// fully connected layer is a GEMM with the batch as M; a convolution is a
// GEMM through im2col on the host side, data movement only, with the
// batch's output pixels as M). The bias rides in D, ReLU in the RTL.
import type { NetworkSupport } from '../plugin.js';
import type { QLayer } from '../../nn/quant.js';
import { im2colInt } from '../../nn/qforward.js';
import type { GemmProblem } from '../../core/gemm.js';
import type { OsConfig } from './config.js';
import type { OsEngineResult } from './sim.js';
import { osDramValues, osEnergy, type OsEnergyCounters } from './energy.js';
import { osPassAccess } from './access.js';
import { planOsPasses } from './mapper.js';

const rowsOf = (l: QLayer, batch: number) => (l.op === 'conv' ? batch * l.conv!.E * l.conv!.F : batch);

export const osNetwork: NetworkSupport<OsConfig, GemmProblem, OsEngineResult> = {
  target: (cfg) => ({ dataWidth: cfg.dataWidth, accWidth: cfg.accWidth }),
  refuse: (cfg) => (cfg.signed ? undefined : 'an os config with signed = false cannot hold signed weights; use a signed config (e.g. os-16x16)'),
  lower(_cfg, l, x, batch) {
    const rows = rowsOf(l, batch);
    const cols = l.op === 'conv' ? im2colInt(x, batch, l.conv!) : x;
    const K = l.K, M = l.M;
    const a = Array.from({ length: rows }, (_, r) => Array.from(cols.subarray(r * K, (r + 1) * K), BigInt));
    const b = Array.from({ length: K }, (_, k) => Array.from({ length: M }, (_, m) => BigInt(l.w[m * K + k]!)));
    const d = Array.from({ length: rows }, () => l.bias.slice());
    return { a, b, d, relu: l.relu };
  },
  raise(_cfg, l, r, batch) {
    const M = l.M;
    if (l.op === 'fc') return Float64Array.from(r.c.flatMap((row) => row.map(Number)));
    const { E, F } = l.conv!;
    const out = new Float64Array(batch * M * E * F);
    for (let n = 0; n < batch; n++) for (let p = 0; p < E * F; p++) for (let m = 0; m < M; m++) out[(n * M + m) * E * F + p] = Number(r.c[n * E * F + p]![m]!);
    return out;
  },
  counters: (r) => ({ ...r.counters, dramValues: r.dramValues }),
  layerModel(cfg, l, batch) {
    // The GEMM the layer lowers to, its passes, and each pass's access model (bias as D).
    const m = rowsOf(l, batch);
    const passes = planOsPasses(cfg, m, l.K, l.M);
    const counters: Record<string, number> = { dramValues: osDramValues(cfg, { d: [] }, passes) };
    for (const ps of passes) {
      const c = osPassAccess(cfg, { m: ps.mp, k: ps.kp, n: ps.np }, true);
      for (const [k, v] of Object.entries(c)) counters[k] = (counters[k] ?? 0) + v;
    }
    return { cycles: counters.cycles!, counters };
  },
  energy: (cfg, c) => osEnergy(cfg, c as OsEnergyCounters),
  describe: (cfg, l, batch, r) => `GEMM M=${rowsOf(l, batch)} K=${l.K} N=${l.M}${l.op === 'conv' ? ' (im2col)' : ''}, ${r.passes.length} pass${r.passes.length > 1 ? 'es' : ''} on ${cfg.rows}x${cfg.cols}`,
};
