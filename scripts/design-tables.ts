// The tables of docs/designs/<design>.md that code already holds, rendered
// from it so the docs cannot drift: each design's parameters (the config
// table and its rules), presets, top-level ports (the generator's port list)
// and, for host-port designs, targets and registers (the interface
// description). scripts/docs-tables.ts places them between markers.
import type { ParamSpec } from '../golden/common/params.js';
import { registerTables } from '../generators/common/csr.js';
import { designs, type AnyDesign } from '../testbenches/registry.js';

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');

const pow2 = (n: number) => (n >= 1024 && (n & (n - 1)) === 0 ? `2^${Math.log2(n)}` : String(n));
const range = (p: ParamSpec) =>
  p.kind === 'int'
    ? `${pow2(p.min)}..${pow2(p.max)}`
    : p.kind === 'enum'
      ? p.values.map((v) => `'${v}'`).join(', ')
      : 'true, false';

/** Keys, ranges, defaults and meanings; then the rules between keys. */
export function paramsTable(d: AnyDesign): string {
  const rows = Object.entries(d.params).map(([k, p]) => [code(k), range(p), String(p.default), p.doc]);
  const rules = d.rules.map((r) => `- ${r.doc}`);
  return [
    table(['key', 'range', 'default', 'meaning'], rows),
    ...(rules.length ? ['', 'Rules between keys:', '', ...rules] : []),
  ].join('\n');
}

/** Every preset with its values. */
export function presetsTable(d: AnyDesign): string {
  const keys = Object.keys(d.params);
  const rows = Object.entries(d.presets).map(([name, c]) => [
    code(name),
    ...keys.map((k) => String((c as Record<string, unknown>)[k])),
  ]);
  return table(['preset', ...keys.map(code)], rows);
}

/** The top's ports in the default configuration: declaration (in parameters), width there, meaning. */
export function portsTable(d: AnyDesign): string {
  const g = d.generate(d.parseConfig({}, 'defaults'));
  const rows = g.ports.map((p) => [
    code(p.name),
    p.direction,
    p.decl.trim() ? code(p.decl.trim()) : '1 bit',
    String(p.width),
    p.doc,
  ]);
  return `Top ${code(g.top)}, widths in the default configuration:\n\n${table(['port', 'dir', 'declaration', 'width', 'meaning'], rows)}`;
}

/** The host-port targets and CSRs (designs driven through one). */
export function registersTable(d: AnyDesign): string {
  const r = d.registers!;
  const groups = (r.groups ?? []).map(
    (g) => `${g.heading}:\n\n${registerTables([], g.csrs).split('\n').slice(3).join('\n')}`,
  );
  return [registerTables(r.targets, r.csrs), ...groups].join('\n\n');
}

/** Table names and renderers for every registered design. */
export const designTables: Record<string, () => string> = Object.fromEntries(
  designs.flatMap((d) => [
    [`params-${d.name}`, () => paramsTable(d)],
    [`presets-${d.name}`, () => presetsTable(d)],
    [`ports-${d.name}`, () => portsTable(d)],
    ...(d.registers ? [[`registers-${d.name}`, () => registersTable(d)] as const] : []),
  ]),
);
