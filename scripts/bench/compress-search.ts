// `npm run bench -- compress-search`: the Deep Compression recipe search,
// on validation only. Each candidate recipe compresses the built-in model's
// fit-split baseline with the test split never scored (deepCompress test:
// false); the container is encoded and measured. The rule picks the
// candidate with the smallest container whose validation accuracy is at most
// `maxDrop` below the float baseline's; compressRecipes (golden/nn/compress.ts)
// then holds that recipe, and `compress` scores the test split once.
// ACCELFORGE_SEARCH_MODELS=lenet-5 limits the models. Two candidates run at
// a time (one per core), each in a worker thread.
import { compressRecipes, type CompressRecipe } from '../../golden/nn/compress.js';
import { encodeContainer } from '../../golden/nn/container.js';
import { parameterCount } from '../../golden/nn/graph.js';
import { loadModel } from '../nn/zoo.js';
import { runNnJob } from '../nn/worker.js';
import type { CompressResult } from '../nn/compressed.js';
import type { BuiltinModel } from '../../golden/nn/train.js';
import { log, writeResult } from './env.js';

export const maxDrop = 0.003;

/** Per-layer target densities to try (the rest of each recipe is compressRecipes' own). */
export const candidates: Record<BuiltinModel, Record<string, number>[]> = {
  'lenet-300-100': [
    { fc1: 0.08, fc2: 0.09, fc3: 0.26 },
    { fc1: 0.07, fc2: 0.08, fc3: 0.25 },
    { fc1: 0.065, fc2: 0.07, fc3: 0.2 },
    { fc1: 0.06, fc2: 0.06, fc3: 0.2 },
  ],
  'lenet-5': [
    { conv1: 0.7, conv2: 0.4, fc1: 0.05, fc2: 0.075, fc3: 0.25 },
    { conv1: 0.7, conv2: 0.3, fc1: 0.04, fc2: 0.06, fc3: 0.25 },
    { conv1: 0.7, conv2: 0.35, fc1: 0.03, fc2: 0.06, fc3: 0.25 },
    { conv1: 0.6, conv2: 0.3, fc1: 0.035, fc2: 0.05, fc3: 0.2 },
    { conv1: 0.6, conv2: 0.25, fc1: 0.03, fc2: 0.05, fc3: 0.2 },
    { conv1: 0.5, conv2: 0.2, fc1: 0.025, fc2: 0.04, fc3: 0.15 },
  ],
};

interface Scored {
  densities: Record<string, number>;
  containerBytes: number;
  pointerBytes: number;
  ratio: number;
  validation: { float: number; pruned: number; compressed: number };
  seconds: number;
}

async function score(model: BuiltinModel, densities: Record<string, number>): Promise<Scored> {
  const g = await loadModel(model, log, 'fit');
  const recipe: CompressRecipe = { ...compressRecipes[model]!, densities };
  const r = await runNnJob<CompressResult>({
    kind: 'compress',
    graph: g,
    model,
    recipe,
    options: { test: false, bitsTable: [] },
  });
  const { size } = encodeContainer(r);
  const dense = 4 * parameterCount(r.graph);
  const s = {
    densities,
    containerBytes: size.total,
    pointerBytes: size.layers.reduce((a, l) => a + l.pointers, 0),
    ratio: dense / size.total,
    validation: {
      float: r.log.validation.float,
      pruned: r.log.validation.pruned,
      compressed: r.log.validation.quantized,
    },
    seconds: r.log.seconds,
  };
  log(
    `  ${model} ${JSON.stringify(densities)}: ${s.containerBytes} B (${s.ratio.toFixed(2)}x), validation ${(100 * s.validation.float).toFixed(1)} -> ${(100 * s.validation.compressed).toFixed(1)} %`,
  );
  return s;
}

/** Runs `jobs` two at a time, in order. */
async function twoAtATime<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all([lane(), lane()]);
  return out;
}

export async function compressSearch(): Promise<void> {
  const models = (process.env.ACCELFORGE_SEARCH_MODELS?.split(',') ?? Object.keys(candidates)) as BuiltinModel[];
  for (const model of models) {
    await loadModel(model, log, 'fit'); // trains the baseline once, before the two lanes share it
    const scored = await twoAtATime(candidates[model].map((d) => () => score(model, d)));
    const ok = scored.filter((s) => s.validation.compressed >= s.validation.float - maxDrop - 1e-9);
    const chosen = ok.sort((a, b) => a.containerBytes - b.containerBytes)[0];
    writeResult(`compress-search-${model}.json`, {
      schema: 'accelforge.compress-search/1',
      command: 'npm run bench -- compress-search',
      model,
      rule: `the smallest container whose validation accuracy (1,000 training images never trained on) is at most ${100 * maxDrop} points below the float baseline's; the test split is not scored`,
      base: { ...compressRecipes[model], densities: undefined },
      candidates: scored,
      chosen: chosen?.densities ?? null,
    });
    log(`  ${model}: chosen ${chosen ? JSON.stringify(chosen.densities) : 'none within the rule'}`);
  }
}
