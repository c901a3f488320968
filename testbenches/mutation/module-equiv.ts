// A proof by SAT that a mutated module is a drop-in replacement for the
// original: for every parametrization the design elaborates, the mutated
// module (its submodules flattened in) computes the same outputs and the same
// next value of every register from the same inputs and register values
// (Yosys: equiv_make matches the two by name, equiv_simple proves each output
// and register input from its cone, equiv_induct what needs the registers'
// earlier values, equiv_status -assert that nothing is left). Registers
// reset to the same values in both, so the two modules stay in step from
// reset in any surrounding design. A reset-value mutation differs exactly
// there, and is not tried.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { runSystemYosysScript } from '../tools/yosys/system.js';
import { readElaborated } from './elaborated.js';

/** The names Yosys gives the module's parametrizations (`$paramod$<hash>\m`, `$paramod\m\P=v`, or `m`). */
export function parametrizations(ls: string, module: string): string[] {
  const hashed = `\\${module}`;
  const named = `$paramod\\${module}\\`;
  return ls
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l === module || (/^\$paramod\$[0-9a-f]+\\/.test(l) && l.endsWith(hashed)) || l.startsWith(named))
    .sort();
}

/** Each parametrization of `module` in the design, flattened, its asynchronous resets made synchronous (RTLIL, module renamed `as`). */
export async function moduleNetlists(
  d: GeneratedDesign,
  module: string,
  blackbox: string,
  as: string,
): Promise<string[]> {
  const read = readElaborated(d, blackbox);
  const ls = await runSystemYosysScript(
    d,
    [...read, 'tee -q -o mods.txt ls'].join('\n') + '\n',
    ['mods.txt'],
    `${d.top} (modules)`,
  );
  const names = parametrizations(ls['mods.txt']!, module);
  if (!names.length) return [];
  const per = names.flatMap((p, i) => [
    'design -load base',
    `flatten ${p}`,
    `hierarchy -top ${p}`,
    'async2sync',
    'memory',
    'opt_clean',
    `rename ${p} ${as}`,
    'setattr -unset src',
    `write_rtlil m${i}.il`,
  ]);
  const out = await runSystemYosysScript(
    d,
    [...read, 'design -save base', ...per].join('\n') + '\n',
    names.map((_, i) => `m${i}.il`),
    `${d.top} (${module} alone)`,
  );
  return names.map((_, i) => out[`m${i}.il`]!);
}

/**
 * Whether Yosys proves each gate netlist equivalent to its gold twin (same
 * order, modules named `gold` and `gate`) within the time limit; false when
 * it finds a difference, cannot prove one, or runs out of time.
 */
export async function provedEquivalent(gold: string[], gate: string[], timeoutMs: number): Promise<boolean> {
  if (gold.length === 0 || gold.length !== gate.length) return false;
  const dir = mkdtempSync(join(tmpdir(), 'accelforge-equiv-'));
  const t0 = Date.now();
  try {
    for (let i = 0; i < gold.length; i++) {
      writeFileSync(join(dir, 'gold.il'), gold[i]!);
      writeFileSync(join(dir, 'gate.il'), gate[i]!);
      const ys = [
        'read_rtlil gold.il',
        'read_rtlil gate.il',
        'equiv_make gold gate eq',
        'hierarchy -top eq',
        'equiv_struct',
        'equiv_simple',
        'equiv_induct',
        'equiv_status -assert',
      ].join('\n');
      writeFileSync(join(dir, 'eq.ys'), ys + '\n');
      const left = timeoutMs - (Date.now() - t0);
      if (left <= 0) return false;
      const r = await execa('yosys', ['-q', '-s', 'eq.ys'], { cwd: dir, reject: false, timeout: left });
      if (r.exitCode !== 0) return false;
    }
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
