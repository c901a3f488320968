// The eie cycle model on hand-worked cases (the cosim tests hold it equal to the RTL).
import { describe, expect, it } from 'vitest';
import { eieCycles } from './cycles.js';
import { encodeCsc } from './format.js';

describe('eie cycle model', () => {
  it('one PE, one entry: broadcast, pointer read, walker, 4 cycles of arithmetic, then the end cycle', () => {
    // c0 broadcast; c1 pop; c2 pointers arrive, walker takes the entry; ends
    // once 4 cycles passed (c7): INIT 1 + 7 + the end cycle.
    const r = eieCycles(1, 8, [{ pes: encodeCsc([[3]], 1, 4), rows: 1, nonzero: [0] }]);
    // Starved: c0 (queue still empty), c3..c6 (walker done, nothing queued) and the end cycle c7; c1 has the
    // activation queued, c2 the walker busy.
    expect(r).toEqual({
      cycles: 9,
      layerCycles: [9],
      broadcasts: 1,
      queueFullStalls: 0,
      busy: [1],
      starved: [6],
      queueFull: [0],
    });
  });

  it('zero activations cost INIT and the end cycle only', () => {
    const r = eieCycles(2, 8, [{ pes: encodeCsc([[1], [1], [1], [1], [1]], 2, 4), rows: 5, nonzero: [] }]);
    expect(r.layerCycles).toEqual([Math.ceil(5 / 2) + 1]);
    expect(r.broadcasts).toBe(0);
  });

  it('stalls the broadcast while a queue is full, and chains layers', () => {
    // PE 0 holds a dense column per activation: its walker is the bottleneck.
    const index = Array.from({ length: 8 }, (_, i) => Array.from({ length: 6 }, () => (i % 2 === 0 ? 1 : 0)));
    const layer = { pes: encodeCsc(index, 2, 4), rows: 8, nonzero: [0, 1, 2, 3, 4, 5] };
    const deep = eieCycles(2, 8, [layer]);
    const shallow = eieCycles(2, 1, [layer]);
    expect(deep.queueFullStalls).toBe(0);
    expect(shallow.queueFullStalls).toBeGreaterThan(0);
    expect(shallow.cycles).toBeGreaterThanOrEqual(deep.cycles);
    expect(deep.busy).toEqual([24, 0]);
    // PE 1 has no work: starved every compute cycle but those its queue or a pointer read kept it waiting.
    expect(deep.starved[1]).toBeGreaterThan(0);
    expect(shallow.queueFull[0]).toBeGreaterThan(0);
    expect(deep.queueFull).toEqual([0, 0]);
    const two = eieCycles(2, 8, [layer, layer]);
    expect(two.layerCycles).toEqual([deep.cycles, deep.cycles]);
    expect(two.cycles).toBe(2 * deep.cycles);
  });
});
