// Mappings other than the mapper's: a user's (`mapping` in the rs input) and
// verify's variants. One case in three of verify changes one field of the
// mapper's mapping (to 0, one less or more, twice, seven more, or a
// scratchpad's size: p the psum spad's entries, q the ifmap spad's; or p
// what fills the filter spad): a variant the descriptor contract (golden/rs/contract.ts)
// allows must compute bit-exact with its own cycle and access models; one it
// forbids must be refused by the RTL's descriptor check with nothing written.
import { InputError } from '../../golden/common/errors.js';
import { Random } from '../../golden/common/random.js';
import { rsLimits, type RsConfig } from '../../golden/rs/config.js';
import {
  rsDescriptorFields,
  rsDescriptorViolations,
  rsMappingFields,
  type RsDescriptorField,
  type RsMapping,
} from '../../golden/rs/contract.js';
import { convShape, type ConvProblem } from '../../golden/rs/golden.js';
import { mapConv, type RsObjective } from '../../golden/rs/mapper.js';
import { rsImage } from './host.js';
import type { RsRefusal, RsRunResult } from './sim.js';
import { descriptorNear } from './desc-draw.js';
import type { RsMismatch } from './failure.js';
import type { FailureArtifacts } from '../tools/failure/report.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The mapping a problem runs with: its own, else the mapper's. */
export const mappingOf = (cfg: RsConfig, p: ConvProblem, objective?: RsObjective): RsMapping =>
  p.mapping ?? mapConv(cfg, convShape(p), p.bias !== undefined, objective);

/** What the descriptor contract says against running the problem with its mapping (empty: it may run). */
export function mappingViolations(cfg: RsConfig, p: ConvProblem, m: RsMapping = mappingOf(cfg, p)): string[] {
  return rsDescriptorViolations(rsLimits(cfg), rsImage(cfg, p, m).desc);
}

/** A user's mapping the engine cannot run on this layer is refused (exit 2), naming the contract's rules. */
export function checkUserMapping(cfg: RsConfig, p: ConvProblem, source: string): ConvProblem {
  if (!p.mapping) return p;
  const why = mappingViolations(cfg, p, p.mapping);
  if (why.length)
    throw new InputError(
      `${source}: 'mapping' cannot run this layer on this configuration (golden/rs/contract.ts): ${why.join('; ')}`,
    );
  return p;
}

/** Verify's variant of a case (one in three), by its seed: the mapping and what changed. */
export function mappingVariant(
  cfg: RsConfig,
  p: ConvProblem,
  seed: number,
): { mapping: RsMapping; what: string; refused: string[] } | undefined {
  const rng = new Random(seed ^ 0x6d617070);
  if (!rng.bool(1 / 3)) return undefined;
  const sh = convShape(p);
  const m = mapConv(cfg, sh, p.bias !== undefined);
  // One variant in four fills the filter spad to its last entry where p can (p q S halves = its size):
  // the mapper rarely does, and one field's random value almost never.
  const fill = cfg.filterSpad / (m.q * sh.S * (m.prefetch + 1));
  if (rng.bool(1 / 4) && Number.isInteger(fill) && fill !== m.p) {
    const mapping = { ...m, p: fill };
    const refused = mappingViolations(cfg, p, mapping);
    return { mapping, what: `mapping p ${m.p}->${fill}${refused.length ? ' (refused)' : ''}`, refused };
  }
  const f = rsMappingFields[rng.int(0, rsMappingFields.length - 1)]!;
  const v = m[f];
  const full = f === 'p' ? cfg.psumSpad : f === 'q' ? cfg.ifmapSpad : 2 * v;
  const to = [0, v - 1, v + 1, 2 * v, v + 7, full][rng.int(0, 5)]!;
  if (to === v || to < 0) return undefined;
  const mapping = { ...m, [f]: to };
  const refused = mappingViolations(cfg, p, mapping);
  return { mapping, what: `mapping ${f} ${v}->${to}${refused.length ? ' (refused)' : ''}`, refused };
}

/** How many forbidden descriptors a checked run starts before its layer (about 30 cycles each). */
export const refusalsPerRun = 16;

/**
 * The forbidden descriptors a checked run (verify, mutate) starts before its
 * layer, each of which the RTL must refuse with nothing written, after which
 * the layer must still run bit-exact: drawn around the contract's bounds
 * from the layer's own descriptor (testbenches/rs/desc-draw.ts, as the
 * descriptor-check test draws them), kept where the contract forbids them.
 * Seeded by the descriptor itself, so the same case starts the same ones.
 */
export function forbiddenDescriptors(desc: Record<RsDescriptorField, number>, cfg: RsConfig): RsRefusal[] {
  const limits = rsLimits(cfg);
  const rng = new Random(rsDescriptorFields.reduce((h, k) => (Math.imul(h, 31) + desc[k]) | 0, 0x7265667573));
  const out: RsRefusal[] = [];
  for (let tries = 0; tries < 16 * refusalsPerRun && out.length < refusalsPerRun; tries++) {
    const d = descriptorNear(desc, cfg, rng);
    const violations = rsDescriptorViolations(limits, d);
    const changed = rsDescriptorFields.filter((k) => d[k] !== desc[k]);
    if (violations.length)
      out.push({ desc: d, what: changed.map((k) => `${k} ${desc[k]}->${d[k]}`).join(', '), violations });
  }
  return out;
}

/** The descriptor check answered otherwise than the contract: what it should have done, what it did. */
const descriptorMismatch = (expected: string, actual: string): RsMismatch & { pe: string } => ({
  element: 'descriptor',
  n: 0,
  m: 0,
  e: 0,
  f: 0,
  expected,
  actual,
  cycle: 0,
  column: 0,
  pe: 'descriptor check',
});

/**
 * A case whose mapping the contract forbids passes only when the RTL refused
 * it with nothing written; a case the RTL refused otherwise fails. 'none':
 * neither, compare the ofmap.
 */
export function refusalMismatch(
  cfg: RsConfig,
  p: ConvProblem,
  r: RsRunResult,
): (RsMismatch & { pe: string }) | undefined | 'none' {
  if (r.preludeFailure)
    return descriptorMismatch(
      `refused (before the layer: ${r.preludeFailure.what}: ${r.preludeFailure.violations.join('; ')})`,
      'not refused (no error_o at done, or a DRAM write, or no done)',
    );
  const want = p.mapping ? mappingViolations(cfg, p, p.mapping) : [];
  if (!want.length && !r.refused) return 'none';
  if (want.length && r.refused?.wordsWritten === 0) return undefined;
  const expected = want.length ? `refused (${want.join('; ')})` : 'computed';
  const actual = r.refused
    ? `refused with ${r.refused.wordsWritten} DRAM words written`
    : 'computed the layer (no descriptor error)';
  return descriptorMismatch(expected, actual);
}

/** The failure folder of a descriptor check that answered wrong: the report (no waveform window to pick). */
export function descriptorFailure(bad: RsMismatch, dir: string, reproduce: string): Promise<FailureArtifacts> {
  mkdirSync(dir, { recursive: true });
  const report = [
    `rs descriptor check: expected ${bad.expected}, the RTL ${bad.actual}`,
    'The check is rs_desc_check (the descriptor contract: golden/rs/contract.ts, rsDescriptorViolations).',
    `reproduce: ${reproduce}`,
  ].join('\n');
  writeFileSync(join(dir, 'report.txt'), report + '\n');
  return Promise.resolve({ dir, files: ['report.txt'], report, findings: [] });
}
