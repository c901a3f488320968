// A convolution's buffer budget (input key `buffers`): parsed, bounded by
// the configuration's depths, and planned within (passes) or refused naming why.
import { describe, expect, it } from 'vitest';
import { parseWsConfig } from '../../golden/gemm/config.js';
import { convGeometry } from '../../golden/gemm/conv.js';
import { convPasses } from '../../golden/gemm/conv-passes.js';
import { parseConv } from './conv-design.js';

const cfg = parseWsConfig({ rows: 4, cols: 4, aDepth: 256, bDepth: 128, accDepth: 64 }, 'test');
const t4 = (a: number, b: number, c: number, d: number) =>
  Array.from({ length: a }, () => Array.from({ length: b }, () => Array.from({ length: c }, () => Array(d).fill(1))));
const layer = { ifmap: t4(1, 8, 6, 6), filters: t4(4, 8, 3, 3), stride: 1 };

describe('convolution buffer budget', () => {
  it('plans within it', () => {
    const whole = parseConv('ws', layer, cfg, 'in.json');
    const tight = parseConv('ws', { ...layer, buffers: { b: 4, acc: 4 } }, cfg, 'in.json');
    expect(tight.buffers).toEqual({ b: 4, acc: 4 });
    expect(convPasses(cfg, convGeometry(cfg, whole))).toHaveLength(1);
    const passes = convPasses(cfg, convGeometry(cfg, tight));
    // 18 K tiles of 4 rows one at a time, over 4 bands of one output row (4 pixels).
    expect(passes).toHaveLength(18 * 4);
  });

  it('refuses a malformed budget, one past a buffer, and one too small for a pass, naming the key', () => {
    const bad = (buffers: unknown) => () => parseConv('ws', { ...layer, buffers }, cfg, 'in.json');
    expect(bad(7)).toThrow(/in.json: 'buffers' is 7; expected an object of buffer rows/);
    expect(bad({ c: 1 })).toThrow(/unknown key 'buffers.c'; allowed: a, b, acc/);
    expect(bad({ a: 0 })).toThrow(/'buffers.a' is 0; allowed: an integer of at least 1/);
    expect(bad({ b: 129 })).toThrow(
      /'buffers.b' = 129 is more than the b buffer's 128 rows \(bDepth\); allowed: 1..128/,
    );
    expect(bad({ b: 3 })).toThrow(
      /one K tile of filters takes 4 B buffer rows \(the rows\); the input's buffers.b leaves 3/,
    );
    expect(bad({ a: 5 })).toThrow(/A buffer rows; the input's buffers.a leaves 5/);
  });
});
