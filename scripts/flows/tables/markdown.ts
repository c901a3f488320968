// Markdown table helpers of the benchmark renderers.
export const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
export const fmt = (s: number) => `${s.toFixed(2)} s`;
export const f3 = (x: number) => x.toFixed(3);
export const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
