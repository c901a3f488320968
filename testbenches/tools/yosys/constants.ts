// Signal bits that are constant in a configuration (issue 28: toggle
// coverage "after documented exclusions"): a bit tied to 0 or 1 by the
// configuration (the other dataflow's chain in a single-dataflow array, the
// output stage's data in an array without it, the high half of a bus no
// source drives) can never toggle, whatever a test does. The system Yosys
// proves which: the design elaborated (hierarchy, proc), flattened and
// optimized (`opt`: constant folding, dead-mux removal, flip-flops whose
// input is their reset value); a bit whose net is then a constant is
// constant in every run. A bit counts as constant in a module only when it
// is in every instance of the module. Names follow Verilator's toggle
// points (`sig[bit]`, `sig` for one bit); a signal Yosys names otherwise
// (packed arrays of more than one dimension) is matched as a whole: all its
// bits constant in every instance. A bit Yosys does not see (assertions and
// checkers, which synthesis leaves out) is never counted as constant.
import { runSystemYosysScript } from './system.js';
import type { GeneratedDesign } from '../../../generators/common/design.js';
import type { CoverPoint, ToggleExclusion } from '../verilator/coverage.js';

/** Per module: its constant bits (Verilator point names) and its signals constant in every bit. */
export interface ConstantBits {
  bits: Map<string, Set<string>>;
  signals: Map<string, Set<string>>;
  /** Instances of each module. */
  instances: Map<string, number>;
  /** Per `module\0signal` of an unpacked array: Yosys's element count and width (`x[k]`). */
  elements: Map<string, { count: number; width: number }>;
}

export const constantReason =
  'constant in this configuration: Yosys (hierarchy, proc, flatten, opt) drives the bit by a constant in every instance of the module';

/** The signal a toggle point belongs to: `chd_t[0][1][5]` -> `chd_t`. */
const signalOf = (point: string) => point.replace(/\[.*$/, '');

export function isConstantBit(c: ConstantBits, module: string, point: string): boolean {
  return Boolean(c.bits.get(module)?.has(point) || c.signals.get(module)?.has(signalOf(point)));
}

interface YosysJson {
  modules: Record<
    string,
    {
      cells?: Record<string, { type: string }>;
      netnames?: Record<
        string,
        {
          hide_name: number;
          bits: (number | string)[];
          offset?: number;
          upto?: number;
          attributes?: { hdlname?: string };
        }
      >;
    }
  >;
}

/** A parametrized module's source name: `$paramod$hash\ws_pe` or `$paramod\ws_pe\W=8` -> `ws_pe`. */
const sourceModule = (type: string) => (type.startsWith('$paramod') ? (type.split('\\')[1] ?? type) : type);

/**
 * The constant bits from Yosys's JSON of the elaborated design (`pre`, for
 * which module each instance is) and of the flattened, optimized one (`flat`).
 */
export function constantBitsOf(pre: YosysJson, flat: YosysJson, top: string): ConstantBits {
  const moduleAt = new Map<string, string>();
  const walk = (mod: string, path: string[]) => {
    moduleAt.set(path.join(' '), sourceModule(mod));
    for (const [name, c] of Object.entries(pre.modules[mod]?.cells ?? {}))
      if (pre.modules[c.type]) walk(c.type, [...path, name.replace(/^\\/, '')]);
  };
  walk(top, []);
  const instances = new Map<string, number>();
  for (const m of moduleAt.values()) instances.set(m, (instances.get(m) ?? 0) + 1);

  // Per (module, point): instances seen, instances where constant; per (module, signal): bits seen, bits constant.
  const seen = new Map<string, number>(),
    constant = new Map<string, number>();
  const sigSeen = new Map<string, number>(),
    sigConst = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const elements = new Map<string, { count: number; width: number }>(),
    elementSeen = new Map<string, string>();
  for (const [name, n] of Object.entries(flat.modules[top]?.netnames ?? {})) {
    if (n.hide_name) continue;
    const parts = (n.attributes?.hdlname ?? name).split(' ');
    const module = moduleAt.get(parts.slice(0, -1).join(' '));
    if (module === undefined) continue;
    const sig = parts[parts.length - 1]!;
    const off = n.offset ?? 0;
    const el = /^(.+)\[(\d+)\]$/.exec(sig);
    if (el && n.bits.length > 1) {
      const k = `${module}\0${el[1]}`;
      const e = elements.get(k) ?? { count: 0, width: n.bits.length };
      // Counted in the first instance only (every instance has the same elements).
      if (
        e.width === n.bits.length &&
        (elementSeen.get(k) ?? parts.slice(0, -1).join(' ')) === parts.slice(0, -1).join(' ')
      ) {
        elementSeen.set(k, parts.slice(0, -1).join(' '));
        elements.set(k, { count: e.count + 1, width: e.width });
      }
    }
    n.bits.forEach((b, i) => {
      const idx = off + (n.upto ? n.bits.length - 1 - i : i);
      const key = `${module}\0${n.bits.length === 1 ? sig : `${sig}[${idx}]`}`;
      const sk = `${module}\0${signalOf(sig)}`;
      bump(seen, key);
      bump(sigSeen, sk);
      if (typeof b === 'string') {
        bump(constant, key);
        bump(sigConst, sk);
      }
    });
  }
  const out: ConstantBits = { bits: new Map(), signals: new Map(), instances, elements };
  const add = (m: Map<string, Set<string>>, key: string) => {
    const [module, what] = key.split('\0') as [string, string];
    m.set(module, (m.get(module) ?? new Set()).add(what));
  };
  for (const [key, c] of constant) if (c === instances.get(key.split('\0')[0]!)) add(out.bits, key);
  // A whole signal: every bit Yosys saw of it, in every instance (each instance contributes its bits once).
  for (const [key, c] of sigConst) if (c === sigSeen.get(key)) add(out.signals, key);
  return out;
}

/** The design's constant bits, from the system Yosys (a second or two for small arrays). */
export async function constantBits(d: GeneratedDesign): Promise<ConstantBits> {
  const ys = [
    `read_verilog -sv ${d.modules.map((m) => `${m.name}.sv`).join(' ')}`,
    `hierarchy -top ${d.top}`,
    'proc',
    'write_json pre.json',
    'flatten',
    'opt',
    'write_json flat.json',
  ].join('\n');
  const out = await runSystemYosysScript(d, ys, ['pre.json', 'flat.json'], `${d.top} (constant bits)`);
  return constantBitsOf(JSON.parse(out['pre.json']!) as YosysJson, JSON.parse(out['flat.json']!) as YosysJson, d.top);
}

/**
 * Verilator names an element of a multi-dimensional unpacked array by all its
 * indices (`x[a][b][bit]`), Yosys by its row-major position (`x[a B + b]`):
 * the dimensions come from the points Verilator lists for the signal (each
 * index's largest value plus one), and the mapping is used only when Yosys
 * has exactly that many elements of exactly that many bits.
 */
function yosysNames(c: ConstantBits, toggles: CoverPoint[]): Map<CoverPoint, string> {
  const parse = (p: CoverPoint) => {
    const m = /^([^[]+)((?:\[\d+\]){3,})$/.exec(p.what);
    return m ? { sig: m[1]!, idx: [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])) } : undefined;
  };
  const dims = new Map<string, number[]>();
  for (const p of toggles) {
    const n = parse(p);
    if (!n) continue;
    const k = `${p.module}\0${n.sig}`;
    const d = dims.get(k) ?? n.idx.map(() => 0);
    dims.set(k, d.length === n.idx.length ? d.map((v, i) => Math.max(v, n.idx[i]! + 1)) : d);
  }
  const out = new Map<CoverPoint, string>();
  for (const p of toggles) {
    const n = parse(p);
    const d = n && dims.get(`${p.module}\0${n.sig}`);
    const shape = n && c.elements.get(`${p.module}\0${n.sig}`);
    if (!n || !d || !shape || d.length !== n.idx.length) continue;
    const outer = d.slice(0, -1);
    if (shape.count !== outer.reduce((a, b) => a * b, 1) || shape.width !== d[d.length - 1]) continue;
    const flat = n.idx.slice(0, -1).reduce((acc, v, i) => acc * outer[i]! + v, 0);
    out.set(p, `${n.sig}[${flat}][${n.idx[n.idx.length - 1]}]`);
  }
  return out;
}

/**
 * The exclusion `verify --coverage` applies: the design's constant bits, or
 * none for a design built block by block (too large to flatten in Yosys). A
 * constant can change at most once per instance in a run (Verilator starts
 * every signal at zero): a bit counted more often stays in, and the reason
 * says how many did (a naming mismatch, not a constant).
 */
export async function constantToggles(d: GeneratedDesign, runs: number): Promise<ToggleExclusion | undefined> {
  if (d.build?.blocks?.length) return undefined;
  const c = await constantBits(d);
  let disputed = 0;
  return {
    pick: (toggles) => {
      const alias = yosysNames(c, toggles);
      return toggles.filter((p) => {
        const constant = isConstantBit(c, p.module, p.what) || isConstantBit(c, p.module, alias.get(p) ?? '');
        if (constant && p.count > runs * (c.instances.get(p.module) ?? 1)) disputed++;
        return constant && p.count <= runs * (c.instances.get(p.module) ?? 1);
      });
    },
    get reason() {
      return constantReason + (disputed ? ` (${disputed} bits it names toggled in the runs: kept)` : '');
    },
  };
}
