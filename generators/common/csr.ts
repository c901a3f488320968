// Rendering a register interface (golden/common/csr-spec.ts): the SystemVerilog
// package <design>_pkg (Sel* and Csr* localparams the RTL decodes with) and
// the datasheet's tables.
import type { CsrSpec, TargetSpec } from '../../golden/common/csr-spec.js';

const pascal = (s: string) => s[0]!.toUpperCase() + s.slice(1);

const accessWords = { rw: 'read/write', ro: 'read-only', wo: 'write-only (reads answer 0)' } as const;

/** The SystemVerilog package of a register interface (plus design-specific localparams). */
export function svRegisterPackage(
  pkg: string,
  headerComment: string,
  selWidth: number,
  targets: readonly TargetSpec[],
  csrs: readonly CsrSpec[],
  extra: string[] = [],
): string {
  const addrs = new Set<number>();
  for (const c of csrs) {
    if (addrs.has(c.addr)) throw new Error(`${pkg}: CSR address ${c.addr} used twice`);
    addrs.add(c.addr);
  }
  return [
    headerComment,
    `// Host-port targets and CSR numbers (generated from the design's interface.ts).`,
    `/* verilator lint_off UNUSEDPARAM */`,
    `package ${pkg};`,
    ...targets.map(
      (t) => `  localparam logic [${selWidth - 1}:0] Sel${pascal(t.name)} = ${selWidth}'d${t.sel};  // ${t.doc}`,
    ),
    ...csrs.map((c) => `  localparam int Csr${pascal(c.name)} = ${c.addr};  // ${c.access}: ${c.doc}`),
    ...extra.map((l) => `  ${l}`),
    `endpackage`,
    `/* verilator lint_on UNUSEDPARAM */`,
    '',
  ].join('\n');
}

const cell = (s: string) => s.replaceAll('|', '\\|');

/** Markdown tables: the targets, then the CSRs. */
export function registerTables(
  targets: readonly (TargetSpec & { address?: string; data?: string })[],
  csrs: readonly CsrSpec[],
): string {
  // Address and data columns only where a caller describes them (the datasheet does, with the configuration's numbers).
  const cells = targets.some((t) => t.address !== undefined || t.data !== undefined);
  return [
    cells ? '| `host_req_sel_i` | target | address | data |' : '| `host_req_sel_i` | target |',
    cells ? '|---|---|---|---|' : '|---|---|',
    ...targets.map(
      (t) => `| ${t.sel} | ${cell(t.doc)} |${cells ? ` ${cell(t.address ?? '')} | ${cell(t.data ?? '')} |` : ''}`,
    ),
    '',
    '| CSR | name | access | meaning |',
    '|---|---|---|---|',
    ...csrs.map((c) => `| ${c.addr} | \`${c.name}\` | ${accessWords[c.access]} | ${cell(c.doc)} |`),
  ].join('\n');
}
