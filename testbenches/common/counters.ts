// The first difference between counters an RTL run reported and an access
// model's, both as lists of named counts (one entry per pass, PE or layer).

export interface CounterMismatch {
  /** e.g. "pass 2 aReads" or "PE 3 matReads". */
  counter: string;
  measured: number;
  model: number;
  /** Where the model lives, for the message. */
  modelName: string;
}

/** Compares every counter the model names; `label(i)` names entry i ("pass 2", "PE 3"). */
export function firstCounterDiff(
  measured: readonly object[],
  model: readonly object[],
  label: (i: number) => string,
  modelName: string,
): CounterMismatch | undefined {
  if (measured.length !== model.length)
    return {
      counter: `${label(0).replace(/\s*\d+$/, '')} count`,
      measured: measured.length,
      model: model.length,
      modelName,
    };
  for (let i = 0; i < model.length; i++) {
    const want = model[i] as Record<string, unknown>,
      got = measured[i] as Record<string, unknown>;
    for (const [k, v] of Object.entries(want))
      if (typeof v === 'number' && got[k] !== v)
        return { counter: `${label(i)} ${k}`, measured: Number(got[k]), model: v, modelName };
  }
  return undefined;
}
