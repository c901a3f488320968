// `npm run bench -- int8-conformance`: the int8 conformance matrix
// (scripts/nn/int8-cells.ts) at 20 random models per cell: outputs checked,
// ties and limits reached, and the outputs where the golden forward pass or
// af_requant in RTL differ from onnxruntime (every one must be 0).
import type { Int8ConformanceResult } from '../flows/bench-schema.js';
import { conformanceCells, runCell } from '../nn/int8-cells.js';
import { log, type Data } from './env.js';

export async function int8Conformance(): Promise<Data<Int8ConformanceResult>> {
  const ort = (await import('onnxruntime-node')) as { env?: { versions?: Record<string, string> } };
  const cells = [];
  for (const [i, c] of conformanceCells().entries()) {
    const r = await runCell(c, 20, 1000 + i);
    log(`${r.name}: ${r.values} outputs, golden differs ${r.goldenDiffers}, RTL differs ${r.rtlDiffers}`);
    cells.push(r);
  }
  return {
    onnxruntime: `onnxruntime-node ${ort.env?.versions?.node ?? '1.30.0'}, CPU provider, default session options`,
    modelsPerCell: 20,
    cells,
  };
}
