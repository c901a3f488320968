import { expect, test } from 'vitest';
import { config, gemm, open, ws, type GemmConfig } from 'accelforge';

const a = [
  [1n, -2n, 3n],
  [4n, 5n, -6n],
];
const b = [
  [7n, 8n],
  [-9n, 10n],
  [11n, 12n],
];

test('ws-4x4 computes C = A B through its host port', async () => {
  const live = await open(ws, 'ws-4x4', { waves: true, name: 'ws-gemm' });
  try {
    await live.writeCsr('m', 2); // a directed register check first
    expect(await live.readCsr('m')).toBe(2n);
    const r = await live.gemm({ a, b }); // load A and B, start, wait for done, read C
    const want = gemm(config(ws, 'ws-4x4') as GemmConfig, { a, b });
    const off = process.env.EXAMPLE_WRONG ? 1n : 0n; // set it to see a failure with its waveform
    for (const [i, row] of want.entries())
      for (const [j, v] of row.entries()) await live.sim.expectEqual(`C[${i}][${j}]`, r.c[i]![j]!, v + off);
    expect(live.sim.peek('busy_o')).toBe(0n);
  } finally {
    await live.close();
  }
});
