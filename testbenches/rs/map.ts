// `accelforge map rs`: the descriptor of a layer shape as a memory image and
// JSON, so a user with only the datasheet and these files can run the layer
// on the RTL (their DRAM holds the descriptor at 0 and the data at the bases).
import { InputError } from '../../golden/common/errors.js';
import { show } from '../../golden/common/show.js';
import type { RsConfig } from '../../golden/rs/config.js';
import { rsLimits } from '../../golden/rs/config.js';
import {
  rsCounterNames,
  rsDescriptorFields,
  rsDescriptorViolations,
  rsLanes,
  rsMaxStride,
} from '../../golden/rs/contract.js';
import type { ConvShape } from '../../golden/rs/golden.js';
import { rsLayout } from './host.js';
import { rsCycles } from '../../golden/rs/cycles.js';
import type { RsObjective } from '../../golden/rs/mapper.js';
import { mapConv } from '../../golden/rs/mapper.js';

export interface RsLayerSpec {
  shape: ConvShape;
  bias: boolean;
  relu: boolean;
}

/** A layer shape: { N, C, H, W, M, R, S, stride, padding?, bias?, relu? }. */
export function parseRsLayer(raw: unknown, source: string): RsLayerSpec {
  const fail = (m: string): never => {
    throw new InputError(`${source}: ${m}`);
  };
  const keys = ['N', 'C', 'H', 'W', 'M', 'R', 'S', 'stride', 'padding', 'bias', 'relu'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail(`a layer must be a JSON object with keys ${keys.join(', ')}`);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`unknown key '${k}'; allowed: ${keys.join(', ')}`);
  const int = (k: string, min: number, max: number, dflt?: number) => {
    const v = o[k] ?? dflt;
    if (v === undefined) fail(`'${k}' is missing; allowed: an integer ${min}..${max}`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      fail(`'${k}' = ${show(v)} is out of range; allowed: an integer ${min}..${max}`);
    return v as number;
  };
  const [N, C, H, W, M, R, S] = ['N', 'C', 'H', 'W', 'M', 'R', 'S'].map((k) => int(k, 1, 65535)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const U = int('stride', 1, rsMaxStride),
    P = int('padding', 0, 64, 0);
  for (const k of ['bias', 'relu'])
    if (o[k] !== undefined && typeof o[k] !== 'boolean') fail(`'${k}' = ${show(o[k])}; allowed: true or false`);
  if (H + 2 * P < R || W + 2 * P < S) fail(`filters of ${R} x ${S} do not fit the ${H} x ${W} ifmap with padding ${P}`);
  const shape: ConvShape = {
    N,
    C,
    H,
    W,
    M,
    R,
    S,
    U,
    P,
    E: Math.floor((H + 2 * P - R) / U) + 1,
    F: Math.floor((W + 2 * P - S) / U) + 1,
  };
  return { shape, bias: o.bias === true, relu: o.relu === true };
}

/** The files of `map`: descriptor.hex ($readmemh, 64-bit words from address 0) and descriptor.json. */
export function rsMapFiles(
  cfg: RsConfig,
  layer: RsLayerSpec,
  objective: RsObjective = 'cycles',
): { files: Map<string, string>; summary: string } {
  const mapping = mapConv(cfg, layer.shape, layer.bias, objective);
  const { desc, size } = rsLayout(cfg, layer.shape, layer.bias, layer.relu, mapping);
  const bad = rsDescriptorViolations(rsLimits(cfg), desc);
  if (bad.length) throw new Error(`mapper produced a descriptor outside the engine's bounds: ${bad.join('; ')}`);
  const hex = rsDescriptorFields.map((k) => BigInt(desc[k]).toString(16).padStart(16, '0')).join('\n') + '\n';
  const sh = layer.shape;
  const cycles = rsCycles(cfg, mapping, sh, layer.bias);
  const json = {
    schema: 'accelforge.rs-descriptor/1',
    layer: { ...sh, bias: layer.bias, relu: layer.relu },
    descriptor: Object.fromEntries(rsDescriptorFields.map((k, i) => [k, { word: i, value: desc[k] }])),
    dram: {
      words: size,
      regions: {
        descriptor: { base: 0, words: rsDescriptorFields.length },
        ifmap: {
          base: desc.ifmapBase,
          words: desc.filterBase - desc.ifmapBase,
          layout: `N C H rows of ceil(W / ${rsLanes}) words, value w of a row in lane w % 4 (16-bit) of word w / 4`,
        },
        filters: {
          base: desc.filterBase,
          words: desc.biasBase - desc.filterBase,
          layout: `M C R rows of ceil(S / ${rsLanes}) words, packed like the ifmap`,
        },
        bias: {
          base: desc.biasBase,
          words: sh.M,
          layout: 'one value per word (sign-extended); read only with flags bit 0',
        },
        ofmap: {
          base: desc.ofmapBase,
          words: sh.N * sh.M * sh.E * sh.F,
          layout: 'N M E F, one value per word (the engine writes it)',
        },
        counters: { base: desc.statsBase, words: rsCounterNames.length, names: rsCounterNames },
      },
    },
    cyclesModel: cycles,
    notes:
      'descriptor.hex holds the descriptor words 0..30 for $readmemh at address 0; pulse start_i and wait for done_o (error_o: refused)',
  };
  const files = new Map([
    ['descriptor.hex', hex],
    ['descriptor.json', JSON.stringify(json, null, 2) + '\n'],
  ]);
  const m = mapping;
  return {
    files,
    summary: `map rs: layer N=${sh.N} C=${sh.C} H=${sh.H} W=${sh.W} M=${sh.M} R=${sh.R} S=${sh.S} U=${sh.U} P=${sh.P} -> E=${sh.E} F=${sh.F}; mapping w=${m.w} V=${m.V} Hs=${m.Hs} q=${m.q} p=${m.p} ring=${m.ring} prefetch=${m.prefetch}; ${size} DRAM words; ${cycles} cycles (model, 1-cycle DRAM)`,
  };
}
