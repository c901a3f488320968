// ws-auto's per-layer choice: im2col where it needs fewer K tiles than the native mapping.
import { describe, expect, it } from 'vitest';
import { parseWsConfig } from '../../golden/gemm/config.js';
import type { QLayer } from '../../golden/nn/quant.js';
import { im2colFewerTiles } from './network.js';

const ws16 = parseWsConfig({ rows: 16, cols: 16 }, 'test');
const layer = (C: number, R: number, S: number) => ({ conv: { C, R, S } }) as unknown as QLayer;

describe('im2colFewerTiles', () => {
  it('takes im2col where the channels leave lanes of a channel tile empty', () => {
    // AlexNet CONV1 (3 x 11 x 11): 23 K tiles against 121; LeNet-5 conv1 (1 x 5 x 5): 2 against 25, conv2 (6 x 5 x 5): 10 against 25.
    expect(im2colFewerTiles(ws16, layer(3, 11, 11))).toBe(true);
    expect(im2colFewerTiles(ws16, layer(1, 5, 5))).toBe(true);
    expect(im2colFewerTiles(ws16, layer(6, 5, 5))).toBe(true);
  });
  it('keeps native where the channel tiles are full, and on ties', () => {
    // AlexNet CONV2 (48 x 5 x 5): 75 either way; CONV3 (256 x 3 x 3): 144 either way; a 1 x 1 over 20 channels: 2 either way.
    expect(im2colFewerTiles(ws16, layer(48, 5, 5))).toBe(false);
    expect(im2colFewerTiles(ws16, layer(256, 3, 3))).toBe(false);
    expect(im2colFewerTiles(ws16, layer(20, 1, 1))).toBe(false);
  });
});
