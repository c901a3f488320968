// The built-in models' Deep Compression recipes (docs/compression.md). Kept
// apart from the pipeline: the compression cache hashes the pipeline's source
// and each recipe's own values, so changing one model's recipe leaves the
// other's cached compression valid.
import type { CompressRecipe } from './compress.js';

export const compressRecipes: Record<string, CompressRecipe> = {
  // Chosen on validation by `npm run bench -- compress-search` (docs/results/compress-search-lenet-300-100.json).
  'lenet-300-100': {
    densities: { fc1: 0.07, fc2: 0.08, fc3: 0.25 },
    defaultConvDensity: 0.5,
    defaultFcDensity: 0.1,
    steps: 5,
    epochsPerStep: 3,
    lr: 5e-4,
    finalEpochs: 12,
    bits: 4,
    finetuneEpochs: 6,
    finetuneLr: 2e-4,
    tableEpochs: 1,
    indexBits: 4,
    seed: 1,
  },
  // Chosen on validation by `npm run bench -- compress-search` (docs/results/compress-search-lenet-5.json):
  // no candidate stayed within 0.3 points, so the rule's fallback (the most accurate at 40x or more).
  'lenet-5': {
    densities: { conv1: 0.7, conv2: 0.3, fc1: 0.04, fc2: 0.06, fc3: 0.25 },
    defaultConvDensity: 0.5,
    defaultFcDensity: 0.1,
    steps: 8,
    epochsPerStep: 3,
    lr: 1.5e-3,
    finalEpochs: 40,
    bits: 4,
    finetuneEpochs: 8,
    finetuneLr: 2e-4,
    tableEpochs: 1,
    indexBits: 4,
    seed: 1,
  },
};
