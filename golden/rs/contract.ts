// The rs engine's hardware/software contract: the mapping fields, the
// descriptor the sequencer reads from DRAM, the counters it writes back, the
// DRAM row packing and the phase costs the cycle model uses.
export interface RsMapping {
  Rg: number;
  rFolds: number;
  w: number;
  strips: number;
  V: number;
  Hs: number;
  q: number;
  p: number;
  cGroups: number;
  mGroups: number;
  tileRows: number;
  ring: number;
  /** 1: pass k+1 loads into the other spad and buffer halves while pass k computes. */
  prefetch: number;
  /**
   * 1: once a pass's ifmap taps are out and the next pass is loaded, column 0
   * of the next pass goes into the other half of the ifmap spads (needs
   * prefetch, 2 q ring <= ifmapSpad and R a multiple of Rg, so every pass
   * has the same active PEs).
   */
  ifAhead: number;
}

/** The mapping's fields, in the descriptor's order (a user's `mapping` in the rs input names each). */
export const rsMappingFields = [
  'Rg',
  'rFolds',
  'w',
  'strips',
  'V',
  'Hs',
  'q',
  'p',
  'cGroups',
  'mGroups',
  'tileRows',
  'ring',
  'prefetch',
  'ifAhead',
] as const satisfies readonly (keyof RsMapping)[];

/** Descriptor words the sequencer reads from DRAM address 0 (one list for TS and the RTL). */
export const rsDescriptorFields = [
  'N',
  'C',
  'H',
  'W',
  'M',
  'R',
  'S',
  'U',
  'P',
  'E',
  'F',
  ...rsMappingFields,
  'flags',
  'ifmapBase',
  'filterBase',
  'biasBase',
  'ofmapBase',
  'statsBase',
] as const;
export type RsDescriptorField = (typeof rsDescriptorFields)[number];

/**
 * Counters the engine writes to statsBase at the end, in this order. DRAM
 * reads and writes count values (the energy model's accesses); dramReadWords
 * counts the 64-bit read transfers (a packed row word holds up to four values).
 */
export const rsCounterNames = [
  'cycles',
  'macs',
  'filterSpadReads',
  'filterSpadWrites',
  'ifmapSpadReads',
  'ifmapSpadWrites',
  'psumSpadReads',
  'psumSpadWrites',
  'interPe',
  'glbIfmapReads',
  'glbIfmapWrites',
  'glbPsumReads',
  'glbPsumWrites',
  'dramReads',
  'dramWrites',
  'activePesPeak',
  'dramReadWords',
] as const;
export type RsCounters = Record<(typeof rsCounterNames)[number], number>;

// Fixed cycle costs of the sequencer's phases beyond one cycle per loop
// iteration (rtl/rs/rs_engine.sv.hbs, DRAM latency 1): a
// DRAM phase waits for its last response; LOADF's bus word lands a cycle
// later; WB reads the buffer a cycle ahead; COLS drains the chain (the last
// psum leaves the bottom PE V Rg + 1 cycles after its issue, then the phase
// ends).
/** Values per 64-bit DRAM word of an ifmap or filter row (16-bit lanes). */
export const rsLanes = 4;
export const rsWords = (n: number) => Math.ceil(n / rsLanes);

/** Largest stride the engine takes (the column IDs hold U x in 16 bits). */
export const rsMaxStride = 64;

/**
 * New ifmap taps per output column: U, or all S when the stride skips past
 * the window (U > S, e.g. a 1 x 1 filter with stride 2); the ring slides by it.
 */
export const rsAdvance = (sh: { S: number; U: number }) => Math.min(sh.U, sh.S);

export const rsPhase = { desc: 2, cfg: 1, bias: 2, loadF: 3, loadI: 2, cols: 2, wb: 2 };

/** The engine's sizes a descriptor is checked against (rs_engine parameters). */
export interface RsLimits {
  peRows: number;
  peCols: number;
  ifmapSpad: number;
  filterSpad: number;
  psumSpad: number;
  /** Buffer lines of four values (the ifmap bank). */
  ifmapLines: number;
  /** Psum words in each of a PE column's two banks. */
  psumHalf: number;
}

type Fields = Record<RsDescriptorField, bigint>;
type Limits = Record<'peRows' | 'peCols' | 'ifmapSpad' | 'filterSpad' | 'psumSpad' | 'ifmapLines' | 'psumHalf', bigint>;
type Rule = [ok: boolean, message: string];

/** The layer's shape: sizes, stride, the output size it implies, and a row of it in the PEs. */
function shapeRules(f: Fields, l: Limits): Rule[] {
  const { N, C, H, W, M, R, S, U, P, E, F } = f;
  const rows = H + 2n * P,
    cols = W + 2n * P;
  return [
    [
      N > 0n && C > 0n && H > 0n && W > 0n && M > 0n && R > 0n && S > 0n,
      `N, C, H, W, M, R, S must be at least 1 (N=${N} C=${C} H=${H} W=${W} M=${M} R=${R} S=${S})`,
    ],
    [U >= 1n && U <= BigInt(rsMaxStride), `U=${U}: the stride must be 1..${rsMaxStride}`],
    [E > 0n && F > 0n, `E=${E}, F=${F}: the output must not be empty`],
    [
      (E - 1n) * U + R <= rows && E * U + R > rows,
      `E=${E} must be floor((H + 2P - R) / U) + 1 = ${rows >= R && U > 0n ? (rows - R) / U + 1n : 'none'}`,
    ],
    [
      (F - 1n) * U + S <= cols && F * U + S > cols,
      `F=${F} must be floor((W + 2P - S) / U) + 1 = ${cols >= S && U > 0n ? (cols - S) / U + 1n : 'none'}`,
    ],
    [
      S <= l.ifmapSpad && S <= l.filterSpad,
      `S=${S} must fit the ifmap (${l.ifmapSpad}) and filter (${l.filterSpad}) scratchpads`,
    ],
    [F <= l.psumHalf, `F=${F} must be at most the ${l.psumHalf} words of a psum bank`],
  ];
}

/** The mapping: PE sets in the array, scratchpad and buffer occupancy, the prefetch options. */
function mappingRules(f: Fields, l: Limits): Rule[] {
  const { W, R, S, U, F, Rg, w, V, Hs, q, p, tileRows, ring, prefetch, ifAhead } = f;
  const halves = prefetch + 1n;
  const adv = U < S ? U : S;
  const Wq = (W + 3n) / 4n;
  const x2 = prefetch ? ' x 2 (prefetch)' : '';
  return [
    [Rg > 0n && V > 0n && V * Rg <= l.peRows, `V x Rg = ${V} x ${Rg} must be 1..${l.peRows} array rows`],
    [Rg === (R < l.peRows ? R : l.peRows), `Rg=${Rg} must be min(R, ${l.peRows}) = ${R < l.peRows ? R : l.peRows}`],
    [w > 0n && Hs > 0n && w * Hs <= l.peCols, `w x Hs = ${w} x ${Hs} must be 1..${l.peCols} array columns`],
    [tileRows === (w - 1n) * U + Rg, `tileRows=${tileRows} must be (w - 1) U + Rg = ${(w - 1n) * U + Rg}`],
    [
      q > 0n && p > 0n && p <= l.psumSpad && p * F <= l.psumHalf,
      `p=${p}, q=${q}: need 1 <= q, 1 <= p <= ${l.psumSpad} (psum scratchpad) and p x F = ${p * F} <= ${l.psumHalf} (a psum bank)`,
    ],
    [ring === S || ring === S + adv, `ring=${ring} must be S=${S} or S + min(U, S) = ${S + adv}`],
    [
      q * ring <= l.ifmapSpad,
      `q x ring = ${q} x ${ring} = ${q * ring} ifmap scratchpad entries; it holds ${l.ifmapSpad}`,
    ],
    [
      p * q * S * halves <= l.filterSpad,
      `p x q x S${x2} = ${p * q * S * halves} filter scratchpad entries; it holds ${l.filterSpad}`,
    ],
    [
      V * q * tileRows * Wq * halves <= l.ifmapLines,
      `V x q x tileRows x ceil(W / 4)${x2} = ${V * q * tileRows * Wq * halves} buffer lines; the ifmap bank holds ${l.ifmapLines}`,
    ],
    [prefetch <= 1n && ifAhead <= 1n, `prefetch=${prefetch}, ifAhead=${ifAhead} must be 0 or 1`],
    [
      ifAhead === 0n || (prefetch === 1n && 2n * q * ring <= l.ifmapSpad && Rg > 0n && R % Rg === 0n),
      `ifAhead=1 needs prefetch=1, 2 q ring <= ${l.ifmapSpad} and R a multiple of Rg`,
    ],
  ];
}

/** The loop counts are exactly those that cover the layer (more would run past it). */
function loopRules(f: Fields): Rule[] {
  const { C, M, R, E, Rg, rFolds, w, strips, V, Hs, q, p, cGroups, mGroups } = f;
  const cdiv = (a: bigint, b: bigint) => (b > 0n ? (a + b - 1n) / b : -1n);
  return [
    [rFolds === cdiv(R, Rg), `rFolds=${rFolds} must be ceil(R / Rg) = ${cdiv(R, Rg)}`],
    [strips === cdiv(E, w), `strips=${strips} must be ceil(E / w) = ${cdiv(E, w)}`],
    [cGroups === cdiv(C, V * q), `cGroups=${cGroups} must be ceil(C / (V q)) = ${cdiv(C, V * q)}`],
    [mGroups === cdiv(M, Hs * p), `mGroups=${mGroups} must be ceil(M / (Hs p)) = ${cdiv(M, Hs * p)}`],
  ];
}

/**
 * Every bound a descriptor must meet for the engine to run it correctly, as
 * the RTL checks it after DESC (rs_engine comb_desc_check, rule for rule): a
 * descriptor breaking one is refused (error_o with done_o; nothing computed,
 * no counters). Returns the broken rules, each naming the fields, their
 * values and the bound; [] for a descriptor the engine runs.
 */
export function rsDescriptorViolations(l: RsLimits, d: Record<RsDescriptorField, number>): string[] {
  const f = Object.fromEntries(rsDescriptorFields.map((k) => [k, BigInt(d[k])])) as Fields;
  const lim = Object.fromEntries(Object.entries(l).map(([k, v]) => [k, BigInt(v as number)])) as Limits;
  return [...shapeRules(f, lim), ...mappingRules(f, lim), ...loopRules(f)].filter(([ok]) => !ok).map(([, m]) => m);
}
