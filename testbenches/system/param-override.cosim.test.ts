// A generated module stays correct when its SV parameters are overridden
// (as `-GPes=6` or a parent's #(.Pes(6)) would): widths and the
// leading-nonzero tree come from $clog2 and generate blocks, not from
// numbers the generator computed for the rendered configuration. Each case
// renders the RTL for one configuration, overrides the top's parameter
// defaults with another's, and runs the other configuration's random
// problem bit-exact and cycle-exact (its harness and host program).
import { describe, expect, it } from 'vitest';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { generateEie } from '../../generators/eie/generate.js';
import { parseEieConfig } from '../../golden/eie/config.js';
import { eieCase, eieExpected, firstEieMismatch } from '../eie/check.js';
import { runEie } from '../eie/sim.js';
import { generateGemm } from '../../generators/gemm/generate.js';
import { parseWsConfig } from '../../golden/gemm/config.js';
import { gemmCase as wsCase } from '../../golden/gemm/problem.js';
import { gemm } from '../../golden/common/gemm.js';
import { runGemmEngine } from '../gemm/sim.js';
import { testSeed } from '../support/cli.js';

const seed = testSeed();

/** `rendered`'s modules with the top's parameter defaults set to `values` (`target`'s harness and ports). */
function overridden(
  rendered: GeneratedDesign,
  target: GeneratedDesign,
  values: Record<string, number>,
): GeneratedDesign {
  const modules = rendered.modules.map((m) => {
    if (m.name !== rendered.top) return m;
    let text = m.text;
    for (const [name, v] of Object.entries(values)) {
      const re = new RegExp(`(parameter int ${name}\\s*=\\s*)\\d+`);
      if (!re.test(text)) throw new Error(`${rendered.top} has no parameter ${name}`);
      text = text.replace(re, `$1${v}`);
    }
    return { ...m, text };
  });
  return { ...target, modules };
}

describe('parameter overrides', () => {
  it(`eie rendered for 4 PEs, overridden to Pes = 6 (a two-level detector tree), runs a 6-PE problem exactly (seed ${seed})`, async () => {
    const a = parseEieConfig({ pes: 4, fifoDepth: 2, rowsPerPe: 32 });
    const b = parseEieConfig({ pes: 6, fifoDepth: 2, rowsPerPe: 32 });
    const design = overridden(generateEie(a), generateEie(b), { Pes: 6 });
    for (let i = 0; i < 2; i++) {
      const c = eieCase(b, seed + i);
      const r = await runEie(b, c.problem, { design, stallPermille: c.stallPermille, seed: c.seed });
      const m = eieExpected(b, c.problem);
      expect(firstEieMismatch(m.out, r.b, r.bCycle), c.describe).toBeUndefined();
      expect(r.cycles).toBe(m.cycles.cycles);
    }
  });

  it(`ws rendered 4 x 4, overridden to 3 x 5, runs a 3 x 5 problem exactly (seed ${seed})`, async () => {
    const a = parseWsConfig({ rows: 4, cols: 4 });
    const b = parseWsConfig({ rows: 3, cols: 5 });
    const design = overridden(generateGemm('ws', a), generateGemm('ws', b), { Rows: 3, Cols: 5 });
    const c = wsCase(b, seed);
    const r = await runGemmEngine('ws', b, 'ws', c.problem, { design, stallPermille: c.stallPermille });
    expect(r.c).toEqual(gemm(b, c.problem));
  });
});
