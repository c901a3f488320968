// The printed form of a coverage summary: a line per module, then the points
// left uncovered, by file and line (at most `show` per module; the JSON has all).
import { pct, type CoverageSummary, type Ratio } from './coverage.js';

const r = (x: Ratio) => `${x.covered}/${x.total} (${pct(x).toFixed(1)} %)`;

export function coverageText(c: CoverageSummary, show = 8): string[] {
  const lines = [`coverage: lines ${r(c.lines)}, toggles ${r(c.toggles)}`];
  if (c.excluded) lines.push(`  toggles exclude ${c.excluded.toggles} signal bits ${c.excluded.reason}`);
  lines.push(`  ${'module'.padEnd(22)} ${'lines'.padStart(20)} ${'toggles'.padStart(22)}`);
  for (const m of c.modules)
    lines.push(`  ${m.module.padEnd(22)} ${r(m.lines).padStart(20)} ${r(m.toggles).padStart(22)}`);
  for (const m of c.modules) {
    const ul = m.uncoveredLines,
      ut = m.uncoveredToggles;
    if (!ul.length && !ut.length) continue;
    const more = (n: number) => (n > show ? ` (+${n - show} more)` : '');
    if (ul.length)
      lines.push(
        `  ${m.file}: never run: ${ul
          .slice(0, show)
          .map((p) => `line ${p.line} (${p.what})`)
          .join(', ')}${more(ul.length)}`,
      );
    if (ut.length)
      lines.push(
        `  ${m.file}: not toggled both ways: ${ut
          .slice(0, show)
          .map((p) => `${p.signal} (line ${p.line})`)
          .join(', ')}${more(ut.length)}`,
      );
  }
  return lines;
}
