// Quantized network layers on the rs engine: convolutions natively (the
// mapper folds them onto the array, the batch as N); a fully connected
// layer as a 1 x 1 convolution over one "image" whose pixels are the batch's
// images (K channels, H x W >= batch positions, W at most half a psum bank,
// unused positions zero). Each filter row then stays in the filter spads
// for the whole batch instead of being fetched again per image. Bias and
// ReLU in the RTL.
import type { NetworkSupport } from '../plugin.js';
import type { QLayer } from '../../golden/nn/quant.js';
import { rsGlb, type RsConfig } from '../../golden/rs/config.js';
import type { ConvProblem } from '../../golden/rs/golden.js';
import type { RsRunResult } from './sim.js';
import { rsAccesses, rsEnergy } from '../../golden/rs/access.js';
import { mapConv } from '../../golden/rs/mapper.js';
import { InputError } from '../../golden/common/errors.js';
import type { RsCounters } from '../../golden/rs/contract.js';

/** FC: the batch laid out as an H x W image of positions. */
function fcPlane(cfg: RsConfig, batch: number) {
  const W = Math.max(1, Math.min(batch, Math.floor(rsGlb(cfg).psumWordsPerCol / 2)));
  return { H: Math.ceil(batch / W), W };
}

function shape(cfg: RsConfig, l: QLayer, batch: number) {
  if (l.op === 'conv') return l.conv!;
  const { H, W } = fcPlane(cfg, batch);
  return { C: l.K, H, W, M: l.M, R: 1, S: 1, U: 1, P: 0, E: H, F: W };
}

export const rsNetwork: NetworkSupport<RsConfig, ConvProblem, RsRunResult> = {
  target: (cfg) => ({ dataWidth: cfg.dataWidth, accWidth: cfg.accWidth }),
  refuse(cfg, l) {
    // The mapper names the limit a layer breaks (scratchpads, buffer, stride).
    const g = shape(cfg, l, 1);
    try {
      mapConv(cfg, { N: 1, ...g }, true);
      return undefined;
    } catch (e) {
      if (e instanceof InputError) return e.message;
      throw e;
    }
  },
  lower(cfg, l, x, batch) {
    if (l.op === 'fc') {
      const { H, W } = fcPlane(cfg, batch);
      const ifmap = [
        Array.from({ length: l.K }, (_, k) =>
          Array.from({ length: H }, (_, h) =>
            Array.from({ length: W }, (_, w) => (h * W + w < batch ? x[(h * W + w) * l.K + k]! : 0)),
          ),
        ),
      ];
      const filters = Array.from({ length: l.M }, (_, m) =>
        Array.from({ length: l.K }, (_, k) => [[l.w[m * l.K + k]!]]),
      );
      return { ifmap, filters, bias: l.bias.slice(), stride: 1, padding: 0, relu: l.relu };
    }
    const g = l.conv!;
    const plane = g.H * g.W,
      img = g.C * plane;
    const ifmap = Array.from({ length: batch }, (_, n) =>
      Array.from({ length: g.C }, (_, c) =>
        Array.from({ length: g.H }, (_, h) =>
          Array.from(x.subarray(n * img + c * plane + h * g.W, n * img + c * plane + (h + 1) * g.W)),
        ),
      ),
    );
    const RS = g.R * g.S;
    const filters = Array.from({ length: g.M }, (_, m) =>
      Array.from({ length: g.C }, (_, c) =>
        Array.from({ length: g.R }, (_, r) =>
          Array.from(l.w.subarray(m * l.K + c * RS + r * g.S, m * l.K + c * RS + (r + 1) * g.S)),
        ),
      ),
    );
    return { ifmap, filters, bias: l.bias.slice(), stride: g.U, padding: g.P, relu: l.relu };
  },
  raise(cfg, l, r, batch) {
    if (l.op === 'conv') return Float64Array.from(r.ofmap.flat(3).map(Number));
    const { W } = fcPlane(cfg, batch);
    const out = new Float64Array(batch * l.M);
    for (let b = 0; b < batch; b++)
      for (let m = 0; m < l.M; m++) out[b * l.M + m] = Number(r.ofmap[0]![m]![Math.floor(b / W)]![b % W]!);
    return out;
  },
  counters: (r) => ({ ...r.counters }),
  layerModel(cfg, l, batch) {
    const sh = { N: l.op === 'conv' ? batch : 1, ...shape(cfg, l, batch) };
    const c = rsAccesses(cfg, mapConv(cfg, sh, true), sh, true);
    return { cycles: c.cycles, counters: { ...c } };
  },
  energy: (_cfg, c) => rsEnergy(c as RsCounters),
  describe: (_cfg, l, batch, r) => {
    const m = r.mapping;
    return `${l.op === 'conv' ? `conv N=${batch}` : `FC as 1x1 conv over ${r.ofmap[0]![0]!.length}x${r.ofmap[0]![0]![0]!.length} images`}, mapping w=${m.w} V=${m.V} Hs=${m.Hs} q=${m.q} p=${m.p}${m.prefetch ? ' prefetch' : ''}`;
  },
};
