// What the verbs share, declared once: argument parsers (integers, designs),
// the options several verbs take (--config, --json, --artifacts, --sim,
// --seed, --inject-fault, each design's own run flags) and the checks that go
// with them.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError } from '../../golden/common/errors.js';
import { designByName, designs, type AnyDesign } from '../api/index.js';

export const out = (s: string) => process.stdout.write(s + '\n');
export const progressLog = (l: string) => process.stderr.write(`${l}\n`);

export function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string) => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

export function designArg(v: string): AnyDesign {
  try {
    return designByName(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

export const configOption = () =>
  new Option('-c, --config <preset|file.json>', 'preset name or JSON config file').makeOptionMandatory();
export const jsonOption = (what: string) => new Option('--json <file>', what);
export const artifactsOption = () =>
  new Option('--artifacts <dir>', 'where failure reports and waveforms go').default('artifacts');
export const simOption = () => new Option('--sim <simulator>', "simulator: 'verilator' (default) or 'icarus'");
export const faultOption = () =>
  new Option(
    '--inject-fault <pe>',
    "flip a product bit in one PE, e.g. 'pe[1][2]' (ws, os, rs) or 'pe[3]' (eie); 'pe[1][2]:bit4' picks the bit",
  );
export const seedOption = (what: string, max = Number.MAX_SAFE_INTEGER, dflt?: number) => {
  const o = new Option('--seed <n>', what).argParser(intArg('--seed', 0, max));
  return dflt === undefined ? o : o.default(dflt);
};

/** --sim: one of the simulators the design runs on. */
export function simArg(d: AnyDesign, v: string | undefined): 'verilator' | 'icarus' | undefined {
  if (v === undefined) return undefined;
  if (!(d.simulators as readonly string[]).includes(v)) {
    throw new InputError(`--sim '${v}': design ${d.name} runs on ${d.simulators.join(' or ')}`);
  }
  return v as 'verilator' | 'icarus';
}

/** Every design's own run flags, once (the CLI refuses a flag for a design that does not declare it). */
function designFlags() {
  const seen = new Map<string, { flag: string; doc: string; choices?: readonly string[]; owners: string[] }>();
  for (const d of designs) {
    for (const f of d.runFlags ?? []) {
      const e = seen.get(f.key) ?? { flag: f.flag, doc: f.doc, choices: f.choices, owners: [] };
      e.owners.push(d.name);
      seen.set(f.key, e);
    }
  }
  return seen;
}

/** Adds every design's own flags (DesignFlag) to a verb; pickFlags refuses them for other designs. */
export function addDesignFlags(cmd: Command): Command {
  for (const [, f] of designFlags()) {
    const opt = new Option(f.flag, f.doc);
    cmd.addOption(f.choices ? opt.choices([...f.choices]) : opt);
  }
  return cmd;
}

/** The design flags given on the command line, checked against the design. */
export function pickFlags(d: AnyDesign, o: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const [key, f] of designFlags()) {
    if (o[key] === undefined) continue;
    if (!f.owners.includes(d.name))
      throw new InputError(
        `${f.flag.split(' ')[0]} '${o[key] as string}' applies to design ${f.owners.join(', ')} only (not ${d.name})`,
      );
    picked[key] = o[key];
  }
  return picked;
}
