// Fixed point for a compressed FC chain on EIE (docs/compression.md):
// activations are signed 16-bit with one scale per layer boundary, each
// layer's codebook is quantized to 16 bits and its shift s (0..15) chosen so
// that  s_out = s_in x s_cb x 2^s,  i.e. the hardware's asr(cb x a, s)
// lands the sum directly in the next layer's scale: layers chain on chip
// with no host rescaling (shift, ReLU and sat16 are the EIE's own).
//  - s_in of the first layer: max |input| / 32767 (or the scale the caller
//    gives, when a previous design fed it);
//  - s_out of a layer: max |output| / 16383 over the calibration images (a
//    bit of headroom against sat16);
//  - s = clamp(floor(log2(s_out / (s_in x max|c| / 32767))), 0, 15); then
//    s_cb = s_out / (s_in 2^s) and cb = round(c / s_cb) (|cb| <= 32767);
//    when even s = 0 cannot fit the codebook, s_out grows to fit it;
//  - bias = sat16(round(b / s_out)).
// The last layer's 16-bit outputs are the logits.

export interface EieFcLayer {
  name: string;
  rows: number;
  cols: number;
  /** Float centroids, entry 0 = 0. */
  centroids: ArrayLike<number>;
  /** rows x cols codes (0 = pruned). */
  codes: ArrayLike<number>[];
  bias?: ArrayLike<number>;
  relu: boolean;
}

export interface EieQLayer {
  name: string;
  codebook: bigint[];
  index: ArrayLike<number>[];
  bias?: bigint[];
  shift: number;
  relu?: boolean;
  inScale: number;
  outScale: number;
}

const sat16 = (v: number) => Math.max(-32768, Math.min(32767, v));

/**
 * Quantizes a chain given each layer's float output range over the
 * calibration images (`outMax[l]`) and the input scale.
 */
export function quantizeEieChain(layers: EieFcLayer[], inScale: number, outMax: number[]): EieQLayer[] {
  let sIn = inScale;
  return layers.map((l, i) => {
    let cmax = 0;
    for (let c = 1; c < l.centroids.length; c++) cmax = Math.max(cmax, Math.abs(l.centroids[c]!));
    cmax ||= 1;
    let sOut = (outMax[i] || 1) / 16383;
    const sCbMin = cmax / 32767;
    let s = Math.floor(Math.log2(sOut / (sIn * sCbMin)));
    if (s < 0) {
      // Even without a shift the codebook would not fit 16 bits at this output scale: widen the output scale.
      s = 0;
      sOut = sIn * sCbMin;
    }
    s = Math.min(s, 15);
    const sCb = sOut / (sIn * 2 ** s);
    const codebook = Array.from(l.centroids, (c, k) => (k === 0 ? 0n : BigInt(sat16(Math.round(c / sCb)))));
    const bias = l.bias ? Array.from(l.bias, (b) => BigInt(sat16(Math.round(b / sOut)))) : undefined;
    const q: EieQLayer = {
      name: l.name,
      codebook,
      index: l.codes,
      bias,
      shift: s,
      relu: l.relu,
      inScale: sIn,
      outScale: sOut,
    };
    sIn = sOut;
    return q;
  });
}

/** Quantizes input activations to 16 bits at `scale`. */
export function eieInput(x: ArrayLike<number>, scale: number): bigint[] {
  return Array.from(x, (v) => BigInt(sat16(Math.round(v / scale))));
}
