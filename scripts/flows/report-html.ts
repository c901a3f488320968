// HTML pieces of the report page: escaping, vega-lite charts drawn to inline
// SVG in Node (ids scoped per picture), the bench's markdown tables as HTML,
// figures.
import type { TopLevelSpec } from 'vega-lite';

export const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

let svgCount = 0;
/** Inline SVGs share one id space: prefix every id (and its references) per picture. */
export function scopeSvgIds(svg: string, prefix = `af${++svgCount}-`): string {
  return svg
    .replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}${id})`)
    .replace(/(xlink:href|href)="#([^"]+)"/g, (_m, a: string, id: string) => `${a}="#${prefix}${id}"`)
    .replace(/<\?xml[^>]*>/, '');
}

/** A vega-lite spec drawn to an SVG string (vega's headless renderer, no canvas, no browser). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: vega and vega-lite are most of the CLI's start-up otherwise.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return scopeSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** The bench's markdown tables (`| a | b |` lines and plain paragraphs) as HTML. */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  for (const block of md.split(/\n\s*\n/)) {
    const lines = block.trim().split('\n');
    if (lines.every((l) => l.startsWith('|'))) {
      const cells = (l: string) =>
        l
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim());
      const [head, , ...body] = lines;
      out.push(
        `<table><thead><tr>${cells(head!)
          .map((c) => `<th>${inline(c)}</th>`)
          .join('')}</tr></thead><tbody>${body
          .map(
            (l) =>
              `<tr>${cells(l)
                .map((c) => `<td>${inline(c)}</td>`)
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`,
      );
    } else if (block.trim()) {
      out.push(`<p>${inline(block.trim())}</p>`);
    }
  }
  return out.join('\n');
}
const inline = (s: string) =>
  esc(s)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>');

export const figure = (svg: string, caption?: string) =>
  `<figure class="chart">${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
export const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
