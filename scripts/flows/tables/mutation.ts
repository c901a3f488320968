// Markdown table of the mutation runs (`mutate`, the bench's mutation
// section): per design the mutants, what killed them, and the score.
import { pct, table } from './markdown.js';
import type { MutationReport } from '../../../testbenches/mutation/run.js';

export function mutationTable(rs: MutationReport[]): string {
  return table(
    [
      'design',
      'config',
      'mutants run',
      'killed',
      'survived (explained)',
      'equivalent',
      'stillborn',
      'score',
      'killed by kind',
      'not elaborated',
      'time',
    ],
    rs.map((r) => [
      r.design,
      `\`${r.config}\``,
      r.mutants,
      r.killed,
      `${r.survived} (${r.results.filter((x) => x.status === 'survived' && x.explained).length})`,
      r.equivalent,
      r.stillborn,
      pct(r.score),
      Object.entries(r.byKind)
        .filter(([, v]) => v.mutants)
        .map(([k, v]) => `${k} ${v.killed}/${v.killed + v.survived}`)
        .join(', '),
      `${r.notElaborated} of ${r.candidates}`,
      `${Math.round(r.seconds)} s`,
    ]),
  );
}

/** The survivors of the runs, each with its diff (docs and report). */
export function survivorsList(rs: MutationReport[]): string {
  const lines: string[] = [];
  for (const r of rs)
    for (const x of r.results.filter((y) => y.status === 'survived'))
      lines.push(
        `- ${r.design} mutant ${x.id}, ${x.kind} ${x.what}${x.explained ? `: ${x.explained}` : ' (not explained yet)'}`,
        '',
        '  ```diff',
        ...x.diff.split('\n').map((l) => `  ${l}`),
        '  ```',
      );
  return lines.join('\n') || 'No survivors.';
}
