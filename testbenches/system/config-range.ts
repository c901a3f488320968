// The accepted range is the verified range: every configuration a design's
// schema accepts must lint -Wall clean, compile in Icarus 11 and pass the
// system Yosys 0.23's front end. This module names the extremes of every
// design (each key at its minimum and at its maximum) and runs the three
// checks on one configuration.
import type { AnyDesign } from '../plugin.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { lint } from '../tools/verilator/runner.js';
import { checkWithIcarus, checkWithIcarusByBlocks } from '../tools/icarus/runner.js';
import { checkWithSystemYosys } from '../tools/yosys/system.js';

type Raw = Record<string, number | boolean | string>;

/** The smallest and largest value of every key (enums: every value), with the rules' fixes. */
export function extremeConfigs(d: AnyDesign): Raw[] {
  const lo: Raw = {},
    hi: Raw = {};
  for (const [k, p] of Object.entries(d.params)) {
    if (p.kind === 'int') [lo[k], hi[k]] = [p.min, p.max];
    else if (p.kind === 'enum') [lo[k], hi[k]] = [p.values[0]!, p.values[p.values.length - 1]!];
    else [lo[k], hi[k]] = [false, true];
  }
  const out: Raw[] = [lo, hi, ...(extraExtremes[d.name] ?? [])].map((c) => fixRules(d, c));
  return out;
}

/** The shapes the issue names: very unequal arrays. */
const extraExtremes: Record<string, Raw[]> = {
  ws: [
    { rows: 16, cols: 256, dataWidth: 16, accWidth: 48, dataflow: 'ws' },
    { rows: 1, cols: 256 },
    { rows: 256, cols: 1 },
    { rows: 8, cols: 200 },
  ],
  os: [
    { rows: 16, cols: 256, dataWidth: 16, accWidth: 48, dataflow: 'os' },
    { rows: 1, cols: 256 },
    { rows: 256, cols: 1 },
    { rows: 200, cols: 8 },
  ],
  rs: [
    { peRows: 1, peCols: 32 },
    { peRows: 32, peCols: 1 },
  ],
  eie: [{ pes: 256 }],
};

/**
 * A rule that fails at an extreme is repaired by moving its first key
 * towards the end where it holds (accWidth up to 2 x dataWidth, a memory
 * depth down to the budget), doubling or halving: the result is the
 * extreme the schema accepts.
 */
function fixRules(d: AnyDesign, c: Raw): Raw {
  const cfg: Raw = { ...defaultsOf(d), ...c };
  for (const r of d.rules) {
    const key = r.keys[0]!;
    const p = d.params[key]!;
    if (p.kind !== 'int' || r.check(cfg)) continue;
    const grow = r.check({ ...cfg, [key]: p.max });
    for (let i = 0; i < 64 && !r.check(cfg); i++) {
      const v = cfg[key] as number;
      cfg[key] = grow ? Math.min(p.max, v * 2) : Math.max(p.min, Math.floor(v / 2));
    }
  }
  return cfg;
}

function defaultsOf(d: AnyDesign): Raw {
  return Object.fromEntries(Object.entries(d.params).map(([k, p]) => [k, p.default]));
}

/** Processing elements of a configuration (the size the Icarus check scales with). */
export function peCount(cfg: Raw): number {
  const n = (k: string) => (typeof cfg[k] === 'number' ? cfg[k] : 1);
  return 'pes' in cfg ? n('pes') : 'peRows' in cfg ? n('peRows') * n('peCols') : n('rows') * n('cols');
}

/**
 * Lint, Icarus and the system Yosys on one generated design. Icarus
 * elaborates every PE (128 x 128: 75 s, 2.2 GB); above `icarusFlatPes` it
 * compiles the design hierarchy block by block, as the lint does.
 */
export async function checkAcrossTools(g: GeneratedDesign, pes: number, icarusFlatPes = 4096): Promise<void> {
  await lint(g);
  if (pes <= icarusFlatPes || !g.build?.blocks?.length) await checkWithIcarus(g);
  else await checkWithIcarusByBlocks(g);
  await checkWithSystemYosys(g);
}
