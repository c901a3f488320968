// A netlist's text with its private names ($auto$..., $add$ws_pe.sv:118$12)
// replaced by names drawn from its structure. Yosys numbers the objects it
// creates in creation order, so two designs that optimize to the same netlist
// can still differ in every number (a `+` turned `-` in logic that is then
// removed as dead leaves different counters behind). Renaming is sound for
// equivalence whatever order it picks: equal canonical text means the two
// netlists are the same graph under a renaming of private objects, which
// compute the same function. An unlucky order only misses an equality.

interface Cell {
  head: string[];
  type: string;
  name: string;
  params: string[];
  conns: [port: string, sig: string][];
}

interface Module {
  head: string[];
  wires: { attrs: string[]; decl: string; name: string }[];
  cells: Cell[];
  connects: [lhs: string, rhs: string][];
  other: string[];
}

const ident = /(?<![\w$\\])([\\$][^\s{}[\]]+)/g;
const isPrivate = (n: string) => n.startsWith('$');

/** The modules of an RTLIL text (what precedes the first, such as `autoidx`, is left out: it names nothing). */
function parse(rtlil: string): Module[] {
  const modules: Module[] = [];
  let mod: Module | undefined;
  let cell: Cell | undefined;
  let attrs: string[] = [];
  for (const raw of rtlil.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    if (l.startsWith('attribute ')) {
      attrs.push(l);
      continue;
    }
    if (!mod) {
      if (l.startsWith('module ')) {
        mod = { head: [...attrs, l], wires: [], cells: [], connects: [], other: [] };
        attrs = [];
      }
      continue;
    }
    if (cell) {
      if (l === 'end') {
        mod.cells.push(cell);
        cell = undefined;
      } else if (l.startsWith('parameter ')) cell.params.push(l);
      else if (l.startsWith('connect ')) {
        const m = /^connect (\S+) (.*)$/.exec(l)!;
        cell.conns.push([m[1]!, m[2]!]);
      } else cell.params.push(l);
      continue;
    }
    if (l === 'end') {
      modules.push(mod);
      mod = undefined;
      continue;
    }
    if (l.startsWith('wire ')) {
      const name = l.split(/\s+/).at(-1)!;
      mod.wires.push({ attrs, decl: l.slice(0, l.length - name.length), name });
    } else if (l.startsWith('cell ')) {
      const [, type, name] = l.split(/\s+/);
      cell = { head: attrs, type: type!, name: name!, params: [], conns: [] };
    } else if (l.startsWith('connect ')) {
      const rest = l.slice('connect '.length);
      const [lhs, rhs] = splitSigPair(rest);
      mod.connects.push([lhs, rhs]);
    } else mod.other.push([...attrs, l].join('\n'));
    attrs = [];
  }
  return modules;
}

/** Splits `connect A B` where A and B are signal specs (a name with a slice, a constant, or `{ ... }`). */
function splitSigPair(s: string): [string, string] {
  let depth = 0;
  let inSlice = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '[') inSlice = true;
    else if (c === ']') inSlice = false;
    else if (c === ' ' && depth === 0 && !inSlice) {
      // A slice follows its name after a space: `\x [3:0]`.
      if (s[i + 1] === '[') continue;
      return [s.slice(0, i), s.slice(i + 1)];
    }
  }
  return [s, ''];
}

const namesIn = (sig: string) => [...sig.matchAll(ident)].map((m) => m[1]!);

// A reduction reads its input as a set of bits: the order of a concatenation's parts there means nothing.
const reductions = new Set(['$reduce_and', '$reduce_or', '$reduce_xor', '$reduce_xnor', '$reduce_bool']);
const unordered = (c: Cell, port: string) => port === '\\A' && reductions.has(c.type);

/** The parts of a top-level concatenation `{ a b [3:0] 1'0 }` (or the one signal). */
function concatParts(sig: string): string[] {
  const m = /^\{ (.*) \}$/.exec(sig);
  if (!m) return [sig];
  const parts: string[] = [];
  for (const tok of m[1]!.split(' ')) {
    if (tok.startsWith('[') && parts.length) parts[parts.length - 1] += ` ${tok}`;
    else parts.push(tok);
  }
  return parts;
}

/** A cell's connection with names replaced; a reduction's input parts sorted. */
function connText(c: Cell, port: string, sig: string, name: (n: string) => string): string {
  const sub = (x: string) => x.replace(ident, (_, n: string) => name(n));
  if (!unordered(c, port)) return sub(sig);
  const parts = concatParts(sig).map(sub).sort();
  return parts.length === 1 ? parts[0]! : `{ ${parts.join(' ')} }`;
}

function canonicalModule(m: Module): string {
  // Colour refinement: every private object's colour is its own text and its
  // neighbours' colours, refined until the number of colours stops growing.
  const priv = m.wires.filter((w) => isPrivate(w.name));
  let wc = new Map<string, number>();
  let cc: number[] = m.cells.map(() => 0);
  const wireColour = (n: string) => (isPrivate(n) ? `#${wc.get(n) ?? -1}` : n);
  const sub = (sig: string, c: (n: string) => string) => sig.replace(ident, (_, n: string) => c(n));
  const uses = new Map<string, string[]>();
  const rank = (sigs: string[]) => {
    const ids = new Map([...new Set(sigs)].sort().map((s, i) => [s, i]));
    return sigs.map((s) => ids.get(s)!);
  };
  const decls = priv.map((w) => [...w.attrs, w.decl].join('|'));
  let colours = -1;
  for (let round = 0; round < 64; round++) {
    const cellSigs = m.cells.map((c) =>
      [
        c.type,
        isPrivate(c.name) ? '' : c.name,
        ...c.params,
        ...c.conns.map(([p, s]) => `${p}=${connText(c, p, s, wireColour)}`).sort(),
      ].join('\u0001'),
    );
    cc = rank(cellSigs);
    uses.clear();
    const add = (n: string, u: string) => {
      if (isPrivate(n)) (uses.get(n) ?? uses.set(n, []).get(n)!).push(u);
    };
    m.cells.forEach((c, i) =>
      c.conns.forEach(([p, s]) => namesIn(s).forEach((n, k) => add(n, `${cc[i]}@${p}#${unordered(c, p) ? '' : k}`))),
    );
    m.connects.forEach(([a, b]) => {
      const t = `${sub(a, wireColour)}=${sub(b, wireColour)}`;
      namesIn(`${a} ${b}`).forEach((n, k) => add(n, `${t}#${k}`));
    });
    const ws = rank(priv.map((w, i) => `${decls[i]}\u0001${(uses.get(w.name) ?? []).sort().join('\u0002')}`));
    wc = new Map(priv.map((w, i) => [w.name, ws[i]!]));
    const n = new Set(ws).size + new Set(cc).size;
    if (n === colours) break;
    colours = n;
  }
  // Names by colour; objects of one colour keep their order (only an unlucky tie misses an equality).
  const rename = new Map<string, string>();
  priv
    .map((w, i) => ({ n: w.name, k: wc.get(w.name)!, i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .forEach(({ n }, j) => rename.set(n, `$w${j}`));
  m.cells
    .map((c, i) => ({ c, k: cc[i]!, i }))
    .filter(({ c }) => isPrivate(c.name))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .forEach(({ c }, j) => rename.set(c.name, `$c${j}`));
  const r = (n: string) => rename.get(n) ?? n;
  const wires = m.wires.map((w) => [...w.attrs, `${w.decl}${r(w.name)}`].join('\n')).sort();
  const cells = m.cells
    .map((c) =>
      [
        ...c.head,
        `cell ${c.type} ${r(c.name)}`,
        ...c.params,
        ...c.conns.map(([p, s]) => `connect ${p} ${connText(c, p, s, r)}`).sort(),
        'end',
      ].join('\n'),
    )
    .sort();
  const connects = m.connects.map(([a, b]) => `connect ${sub(a, r)} ${sub(b, r)}`).sort();
  return [...m.head, ...m.other.sort(), ...wires, ...cells, ...connects, 'end'].join('\n');
}

/** The netlist's text with private names drawn from its structure, objects in a sorted order. */
export function canonicalRtlil(rtlil: string): string {
  return parse(rtlil).map(canonicalModule).sort().join('\n');
}
