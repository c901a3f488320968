// The integer model of a quantized network, without a simulator: it agrees
// with each design's own golden model layer by layer, and stays close to the
// float network on real test images.
import { convGolden, isConvProblem, type GemmConvProblem } from '../../golden/gemm/conv.js';
import { describe, expect, it } from 'vitest';
import { quickNet } from '../../testbenches/support/nets.js';
import { gather, testSample } from '../../golden/nn/mnist.js';
import { argmaxRows, forward } from '../../golden/nn/forward.js';
import { quantize, quantizeInput, requant } from '../../golden/nn/quant.js';
import { qForward, qLayerAcc, qLayerNext, qPre } from '../../golden/nn/qforward.js';
import { calibrationIds } from './model.js';
import { designByName } from '../../testbenches/registry.js';
import { gemm } from '../../golden/common/gemm.js';
import { conv } from '../../golden/rs/golden.js';
import { wsPresets } from '../../golden/gemm/config.js';
import { rsPresets } from '../../golden/rs/config.js';
import { isTestId } from '../../golden/nn/mnist.js';

describe('quantized networks', () => {
  const calib = calibrationIds();
  it('calibrates on training images only', () => {
    expect(calib).toHaveLength(500);
    expect(calib.some(isTestId)).toBe(false);
  });

  for (const name of ['lenet-300-100', 'lenet-5'] as const) {
    it(`${name}: integer layers equal the ws and rs golden models; predictions track the float network`, () => {
      const g = quickNet(name);
      const ids = testSample(40);
      const xf = gather(ids);
      for (const [design, cfg] of [
        ['ws', wsPresets['ws-4x4']!],
        ['rs', rsPresets.eyeriss!],
      ] as const) {
        const d = designByName(design);
        const q = quantize(g, d.network!.target(cfg), gather(calib), calib.length);
        // Bits: at most dataWidth, and small enough that no sum can wrap.
        for (const l of q.layers) expect(l.bits).toBeLessThanOrEqual(cfg.dataWidth);
        let x = qPre(q, quantizeInput(q, xf.subarray(0, 3 * 784)), 3);
        for (const l of q.layers) {
          const ours = qLayerAcc(l, x, 3, cfg.accWidth);
          const problem = d.network!.lower(cfg, l, x, 3);
          // What the RTL would return if it computed exactly the design's golden model.
          // (ws runs a convolution layer natively: its ofmap; an FC layer as a GEMM: C.)
          const asRtl =
            design === 'rs'
              ? { ofmap: conv(cfg.accWidth, problem as never) }
              : isConvProblem(problem as object)
                ? { conv: { ofmap: convGolden(cfg, problem as GemmConvProblem) } }
                : { c: gemm(cfg, problem as never) };
          const raised = d.network!.raise(cfg, l, asRtl as never, 3);
          expect(Array.from(raised)).toEqual(Array.from(ours));
          if (l.requant) x = qLayerNext(l, ours, 3);
        }
        const fp = argmaxRows(forward(g, xf, ids.length).data, ids.length);
        const qp = argmaxRows(qForward(q, quantizeInput(q, xf), ids.length, cfg.accWidth), ids.length);
        expect(qp.filter((p, i) => p === fp[i]).length).toBeGreaterThanOrEqual(ids.length - 2);
      }
    });
  }

  it('requantizes with rounding half up and clamps', () => {
    // mult / 2^shift = 0.5: 5 -> 3 (2.5 rounds up), -5 -> -2, clamp at 127.
    expect(requant(5n, 1n << 30n, 31, 127)).toBe(3);
    expect(requant(-5n, 1n << 30n, 31, 127)).toBe(-2);
    expect(requant(1000n, 1n << 30n, 31, 127)).toBe(127);
    expect(requant(-1000n, 1n << 30n, 31, 127)).toBe(-127);
  });
});
