// The host program of a native convolution on the ws engine
// (golden/gemm/conv.ts has the layouts): the ifmap into the A buffer once
// (channel tiles of pixels, no im2col), the filters as B, the bias as D
// rows, the CSRs (convIn, convWin, convOut; CTRL bit 4), start, wait, the
// counters and the accumulator rows back. It moves data only: the RTL forms
// every window and makes every sum.
import type { Dataflow, GemmConfig } from '../../golden/gemm/config.js';
import type { GemmPass } from '../../golden/gemm/mapper.js';
import { convGeometry, type ConvGeometry, type GemmConvProblem } from '../../golden/gemm/conv.js';
import { convPasses, passGeometry, writes, type ConvPass } from '../../golden/gemm/conv-passes.js';
import { clog2 } from '../../generators/common/design.js';
import {
  osConvLayout,
  osConvPasses,
  osConvStrides,
  osPassGeometry,
  osWrites,
  type OsConvPass,
} from '../../golden/gemm/os-conv.js';
import { InputError } from '../../golden/common/errors.js';
import { range } from '../../golden/common/numerics.js';
import { Csr, Sel, convFields, counterNames, ctrlBits, firstCounter } from '../../golden/gemm/interface.js';
import { packHex } from '../common/host-program.js';

/** A CSR value from its named fields (convFields: [lsb, bits] each). */
function csrWord(fields: Record<string, readonly [number, number]>, v: Record<string, number>): bigint {
  let w = 0n;
  for (const [k, [lsb, bits]] of Object.entries(fields)) w |= BigInt(v[k]! & ((1 << bits) - 1)) << BigInt(lsb);
  return w;
}

/** The passes as the engine's GEMM passes (global im2col rows and filters), for decoding what it answers. */
export const convGemmPasses = (g: ConvGeometry, passes: ConvPass[]): GemmPass[] =>
  passes.map((ps) => ({
    m0: (ps.n0 * g.E + ps.e0) * g.F + ps.f0,
    mp: ps.nN * ps.eN * ps.fN,
    n0: ps.m0,
    np: ps.mM,
    k0: ps.kt0 * g.rows,
    kp: ps.kN * g.rows,
    firstK: ps.kt0 === 0,
    lastK: ps.kt0 + ps.kN === g.kTiles,
  }));

/** The layer's passes (convPasses), or an error naming the limit. */
export function convPlan(cfg: GemmConfig, p: GemmConvProblem): { g: ConvGeometry; passes: ConvPass[] } {
  const g = convGeometry(cfg, p);
  const passes = convPasses(cfg, g);
  if (typeof passes === 'string') throw new InputError(`the layer does not fit this configuration: ${passes}`);
  return { g, passes };
}

export function convProgram(cfg: GemmConfig, p: GemmConvProblem): string {
  const { g, passes } = convPlan(cfg, p);
  const lines: string[] = [];
  passes.forEach((ps, i) => passProgram(cfg, p, g, ps, writes(passes, i), i, lines));
  return lines.join('\n') + '\n';
}

function passProgram(
  cfg: GemmConfig,
  p: GemmConvProblem,
  g: ConvGeometry,
  ps: ConvPass,
  w: { a: boolean; b: boolean },
  idx: number,
  lines: string[],
) {
  const pg = passGeometry(g, ps);
  if (w.a) ifmapRows(cfg, p, g, pg, ps, lines);
  if (w.b) filterRows(cfg, p, g, pg, ps, lines);
  runLines(
    cfg,
    p,
    pg,
    ps.m0,
    0n,
    [
      [Csr.convIn, csrWord(convFields.convIn, { C: g.C, H: g.H, W: g.W, N: pg.N })],
      [Csr.convWin, csrWord(convFields.convWin, { R: g.R, S: g.S, U: g.U, P: g.P })],
      [Csr.convOut, csrWord(convFields.convOut, { E: pg.E, F: pg.F })],
      [Csr.convBand, csrWord(convFields.convBand, { e0: pg.e0, hFirst: pg.hFirst, hRows: pg.hRows })],
      [Csr.convBandW, csrWord(convFields.convBandW, { f0: pg.f0, wFirst: pg.wFirst, wCols: pg.wCols })],
      [
        Csr.convTap,
        csrWord(convFields.convTap, { r0: tapOf(g, pg.kt0).r, s0: tapOf(g, pg.kt0).s, ct0: tapOf(g, pg.kt0).ct }),
      ],
    ],
    0,
    idx,
    lines,
  );
}

/**
 * A pass's last lines: D (every output row starts from its filters' bias, with the first K pass; later
 * ones add onto the accumulator), the run's CSRs, the start (CTRL with the convolution bit and `ctrlMore`),
 * the wait, the counters and, after the last K pass, the accumulator rows.
 */
function runLines(
  cfg: GemmConfig,
  p: GemmConvProblem,
  pg: ConvGeometry,
  m0: number,
  aBase: bigint,
  conv: (readonly [number, bigint])[],
  ctrlMore: number,
  idx: number,
  lines: string[],
) {
  const C = cfg.cols;
  const NT = Math.ceil(pg.gn / C);
  if (p.bias && pg.firstK)
    for (let nt = 0; nt < NT; nt++) {
      const row = packHex(
        Array.from({ length: C }, (_, col) => (nt * C + col < pg.M ? p.bias![m0 + nt * C + col]! : 0n)),
        cfg.accWidth,
      );
      for (let m = 0; m < pg.gm; m++) lines.push(`W ${Sel.acc} ${nt * pg.gm + m} ${row}`);
    }
  for (const [reg, v] of [
    [Csr.m, BigInt(pg.gm)],
    [Csr.n, BigInt(pg.gn)],
    [Csr.k, BigInt(pg.gk)],
    [Csr.aBase, aBase],
    [Csr.bBase, 0n],
    [Csr.accBase, 0n],
    ...conv,
  ] as const)
    lines.push(`W ${Sel.csr} ${reg} ${v.toString(16)}`);
  const ctrl =
    (1 << ctrlBits.start) |
    (p.relu && pg.lastK ? 1 << ctrlBits.relu : 0) |
    (p.bias || !pg.firstK ? 1 << ctrlBits.accumulate : 0) |
    (1 << ctrlBits.conv) |
    ctrlMore;
  lines.push(`MARK start${idx}`, `W ${Sel.csr} ${Csr.ctrl} ${ctrl.toString(16)}`, 'WAIT', `MARK done${idx}`);
  for (let i = 0; i < counterNames.length; i++) lines.push(`R ${Sel.csr} ${firstCounter + i}`);
  if (pg.lastK)
    for (let nt = 0; nt < NT; nt++) for (let m = 0; m < pg.gm; m++) lines.push(`R ${Sel.acc} ${nt * pg.gm + m}`);
}

/** The pass's ifmap rows into the A buffer. */
function ifmapRows(
  cfg: GemmConfig,
  p: GemmConvProblem,
  g: ConvGeometry,
  pg: ConvGeometry,
  ps: ConvPass,
  lines: string[],
) {
  const R = cfg.rows,
    DW = cfg.dataWidth;
  // A: row ct N Hb Wb + (n Hb + hl) Wb + xl = channels ct R + lane of pixel (n0 + n, hFirst + hl, wFirst + xl).
  for (let ct = 0; ct < g.CT; ct++)
    for (let n = 0; n < pg.N; n++)
      for (let hl = 0; hl < pg.hRows; hl++)
        for (let xl = 0; xl < pg.wCols; xl++) {
          const row = Array.from({ length: R }, (_, l) =>
            ct * R + l < g.C ? p.ifmap[ps.n0 + n]![ct * R + l]![pg.hFirst + hl]![pg.wFirst + xl]! : 0n,
          );
          const at = ct * pg.N * pg.hRows * pg.wCols + (n * pg.hRows + hl) * pg.wCols + xl;
          lines.push(`W ${Sel.a} ${at} ${packHex(row, DW)}`);
        }
}

/** The pass's filters (its column tiles and K tiles) into the B buffer. */
function filterRows(
  cfg: GemmConfig,
  p: GemmConvProblem,
  g: ConvGeometry,
  pg: ConvGeometry,
  ps: ConvPass,
  lines: string[],
) {
  const R = cfg.rows,
    C = cfg.cols,
    DW = cfg.dataWidth;
  const NT = Math.ceil(pg.gn / C),
    KT = pg.kTiles;
  // B: row (nt KT + kt - kt0) R + lane = filter m0 + nt C + col at tap (r, s) of channel ct R + lane
  // (kt = (r S + s) CT + ct, the pass's K tiles kt0 .. kt0 + KT - 1).
  for (let nt = 0; nt < NT; nt++)
    for (let kl = 0; kl < KT; kl++) {
      const { ct, s, r } = tapOf(g, pg.kt0 + kl);
      for (let l = 0; l < R; l++) {
        const c = ct * R + l;
        const row = Array.from({ length: C }, (_, col) => {
          const m = nt * C + col;
          return m < pg.M && c < g.C ? p.filters[ps.m0 + m]![c]![r]![s]! : 0n;
        });
        lines.push(`W ${Sel.b} ${(nt * KT + kl) * R + l} ${packHex(row, DW)}`);
      }
    }
}

/** K tile kt's tap (r, s) and channel tile ct: kt = (r S + s) CT + ct. */
const tapOf = (g: ConvGeometry, kt: number) => ({
  ct: kt % g.CT,
  s: Math.floor(kt / g.CT) % g.S,
  r: Math.floor(kt / (g.CT * g.S)),
});

// ---- the os engine (golden/gemm/os-conv.ts has the layout and passes) ----

/** The layer's os passes, or an error naming the limit. */
export function osConvPlan(cfg: GemmConfig, p: GemmConvProblem): { g: ConvGeometry; passes: OsConvPass[] } {
  const g = convGeometry(cfg, p);
  const passes = osConvPasses(cfg, g);
  if (typeof passes === 'string') throw new InputError(`the layer does not fit this configuration: ${passes}`);
  return { g, passes };
}

/** The os passes as the engine's GEMM passes (global im2col rows and filters), for decoding what it answers. */
export const osConvGemmPasses = (g: ConvGeometry, passes: OsConvPass[]): GemmPass[] =>
  passes.map((ps) => ({
    m0: ps.n0 * g.E * g.F + ps.e0 * g.F,
    mp: ps.nN * ps.eN * g.F,
    n0: ps.m0,
    np: ps.mM,
    k0: ps.c0 * g.R * g.S,
    kp: ps.cN * g.R * g.S,
    firstK: ps.c0 === 0,
    lastK: ps.c0 + ps.cN === g.C,
  }));

/** The host program of a native convolution on os: per pass the ifmap's phase rows, the filters, D, the CSRs, start. */
export function osConvProgram(cfg: GemmConfig, p: GemmConvProblem): string {
  const { g, passes } = osConvPlan(cfg, p);
  const lines: string[] = [];
  passes.forEach((ps, i) => osPassProgram(cfg, p, g, ps, osWrites(passes, i), i, lines));
  return lines.join('\n') + '\n';
}

function osPassProgram(
  cfg: GemmConfig,
  p: GemmConvProblem,
  g: ConvGeometry,
  ps: OsConvPass,
  w: { a: boolean; b: boolean },
  idx: number,
  lines: string[],
) {
  const R = cfg.rows,
    C = cfg.cols,
    DW = cfg.dataWidth;
  const pg = osPassGeometry(g, ps);
  const l = osConvLayout(cfg, g);
  const NT = Math.ceil(pg.gn / C);
  // A position outside the ifmap is never used (the datasheet): the host fills it with a value of the
  // data range that changes from lane to lane, so a mask or shift that let one through would show.
  const lim = range(DW, cfg.signed);
  const filler = (at: number, i: number) => lim.min + (BigInt((at * 31 + i * 7 + 5) % 251) % (lim.max - lim.min + 1n));
  if (w.a)
    // A row ((c N + n) Hb + h) U + ph) XW + j, lane i: position x = j R + i of phase ph, input column x U + ph - P.
    for (let c = 0; c < pg.C; c++)
      for (let n = 0; n < pg.N; n++)
        for (let h = 0; h < pg.hRows; h++)
          for (let ph = 0; ph < g.U; ph++)
            for (let j = 0; j < l.XW; j++) {
              const at = (((c * pg.N + n) * pg.hRows + h) * g.U + ph) * l.XW + j;
              const row = Array.from({ length: R }, (_, i) => {
                const col = (j * R + i) * g.U + ph - g.P;
                return col >= 0 && col < g.W ? p.ifmap[ps.n0 + n]![ps.c0 + c]![pg.hFirst + h]![col]! : filler(at, i);
              });
              lines.push(`W ${Sel.a} ${at} ${packHex(row, DW)}`);
            }
  if (w.b)
    // B row nt K + (c R + r) S + s: filters m0 + nt C + col at channel c0 + c, tap (r, s).
    for (let nt = 0; nt < NT; nt++)
      for (let c = 0; c < pg.C; c++)
        for (let r = 0; r < g.R; r++)
          for (let s = 0; s < g.S; s++) {
            const row = Array.from({ length: C }, (_, col) => {
              const m = nt * C + col;
              return m < pg.M ? p.filters[ps.m0 + m]![ps.c0 + c]![r]![s]! : 0n;
            });
            lines.push(`W ${Sel.b} ${nt * pg.gk + (c * g.R + r) * g.S + s} ${packHex(row, DW)}`);
          }
  // aBase: where input row hl0 of the band would start (the rows start at 0; modulo the A buffer's addresses).
  const st = osConvStrides(cfg, pg);
  const aBase = BigInt.asUintN(clog2(cfg.aDepth), BigInt(st.hl0 * st.row));
  runLines(
    cfg,
    p,
    pg,
    ps.m0,
    aBase,
    [
      [Csr.convIn, csrWord(convFields.convIn, { C: pg.C, H: g.H, W: g.W, N: pg.N })],
      [Csr.convWin, csrWord(convFields.convWin, { R: g.R, S: g.S, U: g.U, P: g.P })],
      [Csr.convOut, csrWord(convFields.convOut, { E: pg.E, F: g.F })],
      [Csr.convBand, csrWord(convFields.convBand, { e0: pg.e0, hFirst: pg.hFirst, hRows: pg.hRows })],
      [Csr.convOs, csrWord(convFields.convOs, { XW: l.XW, loA: l.loA, hiA: l.hiA, loB: l.loB, hiB: l.hiB })],
      [Csr.convOsStride, csrWord(convFields.convOsStride, st)],
      [Csr.convOsStride2, csrWord(convFields.convOsStride2, st)],
    ],
    1 << ctrlBits.os,
    idx,
    lines,
  );
}

/** A native convolution in the dataflow that runs it: its GEMM passes (to decode the answers) and host program. */
export function nativeConv(cfg: GemmConfig, df: Dataflow, p: GemmConvProblem) {
  if (df === 'os') {
    const { g, passes } = osConvPlan(cfg, p);
    return { g, passes: osConvGemmPasses(g, passes), program: () => osConvProgram(cfg, p) };
  }
  const { g, passes } = convPlan(cfg, p);
  return { g, passes: convGemmPasses(g, passes), program: () => convProgram(cfg, p) };
}
