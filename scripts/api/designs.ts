// The public API's per-design calls: a design by name or handle, its
// configuration from a preset, a JSON file or an object, and what the verbs
// do with it (generate, lint, synth, run, verify, open a live simulation).
// The CLI's verbs call these; so does a user's program.
import { InputError } from '../../golden/common/errors.js';
import { newSeed } from '../../golden/common/random.js';
import { designFiles } from '../../generators/common/emit.js';
import type { GenerateOptions } from '../../generators/common/fault.js';
import type { GeneratedDesign } from '../../generators/common/design.js';
import { checkOutputDir, writeDirAtomic } from '../../testbenches/common/output.js';
import { designByName, loadConfig, type AnyDesign } from '../../testbenches/registry.js';
import type { LiveDriver, LiveOptions } from '../../testbenches/tools/live/sim.js';
import { lint as verilatorLint } from '../../testbenches/tools/verilator/runner.js';
import { synth as yosysSynth, type SynthReport } from '../../testbenches/tools/yosys/synth.js';
import { area as yosysArea, type AreaReport } from '../../testbenches/tools/yosys/area.js';
import { runProblem, verifyDesign, type RunFlags, type VerifyReport } from '../../testbenches/verbs.js';
import type { VerifyOptions } from '../../testbenches/verbs.js';

/** A design: its name ('ws', 'os', 'rs', 'eie') or its handle (`ws`, `designByName('rs')`). */
export type DesignRef = string | { readonly name: string };

const handle = (d: DesignRef): AnyDesign => designByName(typeof d === 'string' ? d : d.name);

/**
 * A validated configuration: a preset name, a JSON file path, or an object
 * (checked against the design's schema; InputError naming the key, the
 * value and the allowed range).
 */
export function config(d: DesignRef, c: string | object): object {
  const x = handle(d);
  return typeof c === 'string' ? loadConfig(x, c) : x.parseConfig(c, 'config');
}

/** How a configuration given as an object is named in reproduce lines and reports. */
const configArgOf = (c: string | object) => (typeof c === 'string' ? c : 'config.json');

/**
 * The RTL of a configuration in memory: the generated design (modules,
 * ports, parameters, memories) and the files `generate` writes (one .sv per
 * module, files.f, manifest.json, binding.ts, datasheet.md, a FuseSoC .core).
 */
export async function generate(
  d: DesignRef,
  c: string | object,
  o: GenerateOptions = {},
): Promise<{ design: GeneratedDesign; files: Map<string, string> }> {
  const x = handle(d);
  const cfg = config(x, c);
  const design = x.generate(cfg, o);
  return { design, files: await designFiles(design, x.datasheet(cfg)) };
}

/**
 * Writes a configuration's RTL into `dir` (new, empty, or written by
 * accelforge before; `force` replaces a folder accelforge did not write).
 */
export async function writeDesign(
  d: DesignRef,
  c: string | object,
  dir: string,
  o: GenerateOptions & { force?: boolean } = {},
): Promise<GeneratedDesign> {
  checkOutputDir('--out', dir, { force: o.force, canForce: true });
  const g = await generate(d, c, o);
  writeDirAtomic(dir, g.files, { force: o.force, canForce: true, kind: 'rtl' });
  return g.design;
}

/** Verilator --lint-only -Wall on the generated RTL; LintError with the messages on any warning. */
export async function lint(d: DesignRef, c: string | object): Promise<GeneratedDesign> {
  const x = handle(d);
  const g = x.generate(config(x, c));
  await verilatorLint(g);
  return g;
}

/** Yosys synthesis check (SynthError on latches, multiple drivers, undriven nets) and, unless `area: false`, area and timing per module. */
export async function synth(
  d: DesignRef,
  c: string | object,
  o: { flow?: 'coarse' | 'gates'; area?: boolean } = {},
): Promise<SynthReport & { area?: AreaReport }> {
  const x = handle(d);
  const g = x.generate(config(x, c));
  const r = await yosysSynth(g, o.flow ?? 'coarse');
  return o.area === false ? r : { ...r, area: await yosysArea(g) };
}

export type RunOptions = Partial<RunFlags> & {
  /** Where failure artifacts go (default artifacts). */
  artifacts?: string;
  /** Where the problem came from, for messages (default 'problem'). */
  source?: string;
};

/**
 * Runs a problem (cli.md's input JSON, as parsed JSON) on the RTL: the
 * object `run` writes (the result, cycles and counters measured in the
 * RTL). With `expect`, MismatchError and failure artifacts on a wrong result.
 */
export async function run(
  d: DesignRef,
  c: string | object,
  problem: unknown,
  o: RunOptions = {},
): Promise<{ cycles: number } & Record<string, unknown>> {
  const x = handle(d);
  return runProblem(x, config(x, c), problem, o.source ?? 'problem', {
    ...o,
    artifacts: o.artifacts ?? 'artifacts',
    configArg: o.configArg ?? configArgOf(c),
  });
}

export type VerifyCallOptions = Partial<VerifyOptions> & {
  /** How reproduce lines name the configuration (default: the preset or file given; 'config.json' for an object). */
  configArg?: string;
  /** First case seed (later cases: the next seeds, steered toward bins no case has hit); random when absent. */
  seed?: number;
  /** Number of cases (default 10). */
  cases?: number;
  /** Called with each case's line (PASS/FAIL ...). */
  log?: (line: string) => void;
};

/** Random problems against the golden model and the exact models: the object `verify --json` writes. */
export async function verify(d: DesignRef, c: string | object, o: VerifyCallOptions = {}): Promise<VerifyReport> {
  const x = handle(d);
  const cases = o.cases ?? 10;
  if (!Number.isSafeInteger(cases) || cases < 1) throw new InputError(`cases ${cases}: allowed: 1 .. 100000`);
  return verifyDesign(x, config(x, c), o.configArg ?? configArgOf(c), o.seed ?? newSeed(), cases, o.log ?? (() => {}), {
    ...o,
    artifacts: o.artifacts ?? 'artifacts',
  });
}

/**
 * A live simulation of a configuration with the design's driver (reset,
 * idle), for directed tests: typed by the handle (`open(ws, 'ws-4x4')` is a
 * GemmLive, `open(rs, ...)` an RsLive), a LiveDriver by name.
 */
export function open<L extends LiveDriver>(
  d: { readonly name: string; open(cfg: never, o?: LiveOptions): Promise<L> },
  c: string | object,
  o?: LiveOptions,
): Promise<L>;
export function open(d: string, c: string | object, o?: LiveOptions): Promise<LiveDriver>;
export function open(d: DesignRef, c: string | object, o: LiveOptions = {}): Promise<LiveDriver> {
  const x = handle(d);
  return x.open(config(x, c), o);
}
