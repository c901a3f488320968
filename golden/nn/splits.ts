// The splits Deep Compression uses (docs/compression.md "Validation"): the
// 8,000 training images of mnist.ts are cut into a fixed validation set of
// 1,000 (every training id with id % 8 == 1; ids run digit by digit, so
// every digit is in it in proportion) and the 7,000 others ('fit'). The
// compression baseline, the retraining and the fine-tuning train on 'fit'
// only; recipe search, bit-width choice and the pipeline's progress are
// scored on validation; the 2,000 test images are scored once, at the end.
import { isTestId, loadMnist } from './mnist.js';

export const isValidationId = (id: number) => !isTestId(id) && id % 8 === 1;

export interface CompressSplit {
  fit: number[];
  validation: number[];
  test: number[];
}

/** Ids of the three splits, ascending. */
export function compressSplit(count = loadMnist().count): CompressSplit {
  const s: CompressSplit = { fit: [], validation: [], test: [] };
  for (let id = 0; id < count; id++) (isTestId(id) ? s.test : isValidationId(id) ? s.validation : s.fit).push(id);
  return s;
}
