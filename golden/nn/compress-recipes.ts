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
    finalEpochs: 6,
    bits: 4,
    finetuneEpochs: 3,
    finetuneLr: 2e-4,
    tableEpochs: 1,
    indexBits: 4,
    seed: 1,
  },
  // Chosen by a sweep on the trained model (session notes in docs/benchmarks.md): conv2 kept
  // denser than Han's 12 % (16 filters, not 50), fc1 and fc2 sparser; a higher retraining rate.
  'lenet-5': {
    densities: { conv1: 0.7, conv2: 0.4, fc1: 0.05, fc2: 0.075, fc3: 0.25 },
    defaultConvDensity: 0.5,
    defaultFcDensity: 0.1,
    steps: 8,
    epochsPerStep: 3,
    lr: 1.5e-3,
    finalEpochs: 24,
    bits: 4,
    finetuneEpochs: 3,
    finetuneLr: 2e-4,
    tableEpochs: 1,
    indexBits: 4,
    seed: 1,
  },
};

