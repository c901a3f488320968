// The order in which verify (and mutate, which runs verify's cases) draws its
// random cases: coverage-directed. The first case is the seed's own; each
// later one comes from the first seed after the last case's whose predicted
// bins include a bin no case has hit yet (within steerTries seeds; a design
// without bin predictions, or every bin hit: the next seed). Every case stays
// reproducible by its own seed (`verify --seed S --cases 1`), and a few cases
// reach the corners that plain seeds reach by luck only.
import { BinTally, steerTries } from '../common/bins.js';
import type { AnyDesign, VerifyCase } from '../plugin.js';

export class CaseDraw {
  readonly tally?: BinTally;
  private next: number;
  private drawn = 0;

  constructor(
    private readonly d: AnyDesign,
    private readonly cfg: object,
    seed: number,
    private readonly cases: number,
    private readonly flags?: Record<string, unknown>,
  ) {
    this.next = seed;
    if (d.bins) this.tally = new BinTally(d.bins.list(cfg));
  }

  /** The next case to run; record what it hit with `hit` before drawing another. */
  draw(): VerifyCase<unknown> {
    const c = this.drawn++ === 0 ? this.d.randomCase(this.cfg, this.next, this.flags) : this.steered();
    this.next = c.seed + 1;
    return c;
  }

  /** The bins the case just drawn hit (from its run, not the golden model). */
  hit(caseIndex: number, bins: string[]): void {
    this.tally?.add(caseIndex, bins);
  }

  private steered(): VerifyCase<unknown> {
    const bins = this.d.bins;
    const empty = new Set(this.tally?.empty().map((b) => b.name) ?? []);
    // Seeds stay safe integers with room for the cases still to draw.
    const last = Math.min(this.next + steerTries - 1, Number.MAX_SAFE_INTEGER - (this.cases - this.drawn));
    if (bins?.predict && empty.size)
      for (let s = this.next; s <= last; s++) {
        const c = this.d.randomCase(this.cfg, s, this.flags);
        if (bins.predict(this.cfg, c.problem, { stallPermille: c.stallPermille }).some((b) => empty.has(b))) return c;
      }
    return this.d.randomCase(this.cfg, this.next, this.flags);
  }
}
