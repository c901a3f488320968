// Functional coverage (verify --coverage, --until-covered): each design lists
// the bins a configuration can reach and says which ones a case hit, from
// the case's problem and the RTL's own result (its counters), never from
// the golden model's answer.

export interface CoverageBin {
  name: string;
  doc: string;
}

export interface CoverageBins<C, P, R> {
  /** The bins this configuration can reach (a bin it cannot, e.g. M < rows on a one-row array, is left out). */
  list(cfg: C): CoverageBin[];
  /** The bins one case hit. */
  hit(cfg: C, p: P, r: R, c: { stallPermille?: number }): string[];
  /**
   * The bins a case will hit, known from its problem before it runs (no RTL
   * result): --until-covered steers by them, drawing seeds until one hits a
   * bin still empty (every case stays reproducible by its seed).
   */
  predict?(cfg: C, p: P, c: { stallPermille?: number }): string[];
}

/** How many seeds --until-covered looks ahead for a case that hits an empty bin. */
export const steerTries = 500;

export interface FunctionalCoverage {
  covered: number;
  total: number;
  /** Every bin with the cases (1-based, in run order) that hit it. */
  bins: (CoverageBin & { cases: number[] })[];
}

/** A running tally of the bins over the cases of a verify. */
export class BinTally {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly bins: CoverageBin[]) {
    for (const b of bins) this.hits.set(b.name, []);
  }
  add(caseIndex: number, names: string[]): void {
    for (const n of names) this.hits.get(n)?.push(caseIndex);
  }
  empty(): CoverageBin[] {
    return this.bins.filter((b) => !this.hits.get(b.name)!.length);
  }
  summary(): FunctionalCoverage {
    const bins = this.bins.map((b) => ({ ...b, cases: this.hits.get(b.name)! }));
    return { covered: bins.filter((b) => b.cases.length).length, total: bins.length, bins };
  }
}

/** The printed tally: bins hit over bins, and the bins that stayed empty. */
export function binsText(f: FunctionalCoverage, untilCovered: boolean, maxCases: number): string[] {
  // The case that hit the last bin to be hit for the first time.
  const cases = Math.max(0, ...f.bins.map((b) => b.cases[0] ?? 0));
  const empty = f.bins.filter((b) => !b.cases.length);
  const lines = [`functional coverage: ${f.covered}/${f.total} bins hit`];
  if (untilCovered)
    lines.push(
      empty.length
        ? `  not every bin was hit within ${maxCases} cases`
        : `  every bin hit; the last new bin came with case ${cases}`,
    );
  for (const b of empty) lines.push(`  never hit: ${b.name} (${b.doc})`);
  return lines;
}
