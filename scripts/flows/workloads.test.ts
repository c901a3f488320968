import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError } from '../../golden/common/errors.js';
import { parseTimeloopProblem, parseTopologyCsv, readWorkload } from './workloads.js';

const out = (n: number, k: number, u: number) => Math.floor((n - k) / u) + 1;
const refused = (f: () => unknown, msg: RegExp) => {
  expect(f).toThrow(InputError);
  expect(f).toThrow(msg);
};

describe('SCALE-Sim topology CSV', () => {
  it('reads the AlexNet example: shapes, strides, no padding', () => {
    const w = readWorkload('docs/workloads/alexnet.csv', 'topology');
    expect(w.name).toBe('alexnet.csv');
    expect(w.layers.map((l) => [l.name, l.C, l.H, l.W, l.M, l.R, l.S, l.U, l.P, l.N])).toEqual([
      ['Conv1', 3, 227, 227, 96, 11, 11, 4, 0, 1],
      ['Conv2', 48, 31, 31, 256, 5, 5, 1, 0, 1],
      ['Conv3', 256, 15, 15, 384, 3, 3, 1, 0, 1],
      ['Conv4', 192, 15, 15, 384, 3, 3, 1, 0, 1],
      ['Conv5', 192, 15, 15, 256, 3, 3, 1, 0, 1],
    ]);
    // The outputs AlexNet has: 55, 27, 13, 13, 13.
    expect(w.layers.map((l) => out(l.H, l.R, l.U))).toEqual([55, 27, 13, 13, 13]);
  });

  it('reads the ResNet-18 example with its stride-width column', () => {
    const w = readWorkload('docs/workloads/resnet18.csv', 'topology');
    expect(w.layers).toHaveLength(21);
    expect(w.layers.map((l) => out(l.H, l.R, l.U))).toEqual([
      112, 56, 56, 56, 56, 28, 28, 28, 28, 28, 14, 14, 14, 14, 14, 7, 7, 7, 7, 7, 1,
    ]);
  });

  it('takes rows with or without the trailing comma, CRLF and blank lines; a missing stride width is the height', () => {
    const l = parseTopologyCsv(
      'Layer,h,w,fh,fw,c,m,s\r\n\r\nA,8,10,3,5,2,4,2\r\nB, 6, 6, 1, 1, 3, 7, 1, 1,\r\n',
      't.csv',
    );
    expect(l.map((x) => [x.name, x.H, x.W, x.R, x.S, x.C, x.M, x.U])).toEqual([
      ['A', 8, 10, 3, 5, 2, 4, 2],
      ['B', 6, 6, 1, 1, 3, 7, 1],
    ]);
  });

  it("expands a depthwise row ('DP' in the name) into one single-channel layer per channel, as SCALE-Sim does", () => {
    const l = parseTopologyCsv('Layer name,a,b,c,d,e,f,g,\nConvDP1, 9, 9, 3, 3, 3, 3, 1,\n', 't.csv');
    expect(l.map((x) => [x.name, x.C, x.M])).toEqual([
      ['ConvDP1Channel_0', 1, 3],
      ['ConvDP1Channel_1', 1, 3],
      ['ConvDP1Channel_2', 1, 3],
    ]);
  });

  it('refuses malformed rows naming the row, the column and the value', () => {
    const h = 'Layer name, IFMAP height, IFMAP width, Filter height, Filter width, Channels, Num filter, Strides,\n';
    refused(() => parseTopologyCsv('Conv1, 8, 8, 3, 3, 1, 4, 1,\n', 'x.csv'), /x\.csv row 1: the first row is a layer/);
    refused(
      () => parseTopologyCsv(h + 'A, 8, 8, 3, 3, 1, 4,\n', 'x.csv'),
      /x\.csv row 2: 7 fields; a layer has 8 or 9/,
    );
    refused(() => parseTopologyCsv(h + 'A, 8, 8, 3, x3, 1, 4, 1,\n', 'x.csv'), /row 2: Filter width is 'x3'/);
    refused(
      () => parseTopologyCsv(h + 'A, 8, 8, 3, 3, 0, 4, 1,\n', 'x.csv'),
      /row 2: Channels is '0'; allowed: an integer from 1/,
    );
    refused(() => parseTopologyCsv(h + 'A, 8, 8, 3, 3, 1, -4, 1,\n', 'x.csv'), /row 2: Num filter is '-4'/);
    refused(
      () => parseTopologyCsv(h + 'A, 8, 8, 3, 3, 1, 4, 2, 1,\n', 'x.csv'),
      /Stride height 2 and Stride width 1 differ/,
    );
    refused(
      () => parseTopologyCsv(h + 'A, 2, 8, 3, 3, 1, 4, 1,\n', 'x.csv'),
      /row 2: Filter height 3 is larger than IFMAP height 2/,
    );
    refused(() => parseTopologyCsv(h + ', 8, 8, 3, 3, 1, 4, 1,\n', 'x.csv'), /row 2: the layer name is empty/);
    refused(() => parseTopologyCsv(h, 'x.csv'), /x\.csv: no layer rows after the header/);
    refused(() => parseTopologyCsv(h + 'A, 8, 8, 3, 3, 1, 99999999, 1,\n', 'x.csv'), /Num filter is '99999999'/);
  });
});

describe('Timeloop problem YAML', () => {
  it('reads the v0.4 instance form (the example): AlexNet CONV3 at batch 16', () => {
    const l = parseTimeloopProblem(readFileSync('docs/workloads/alexnet-conv3.yaml', 'utf8'), 'alexnet-conv3.yaml');
    expect([l.name, l.C, l.M, l.H, l.W, l.R, l.S, l.U, l.P, l.N]).toEqual([
      'alexnet-conv3',
      256,
      384,
      15,
      15,
      3,
      3,
      1,
      0,
      16,
    ]);
  });

  it("reads the flat form with K, and maps Timeloop's width-wise R, P to this S, F", () => {
    const y =
      'problem:\n  C: 3\n  K: 8\n  N: 1\n  P: 10\n  Q: 7\n  R: 5\n  S: 3\n  Wstride: 2\n  Hstride: 2\n  Wdilation: 1\n  Hdilation: 1\n  shape: cnn-layer\n';
    const l = parseTimeloopProblem(y, 'flat.yaml');
    // Height: Q = 7 outputs of an S = 3 filter; width: P = 10 outputs of an R = 5 filter.
    expect([l.C, l.M, l.R, l.S, l.H, l.W, l.U]).toEqual([3, 8, 3, 5, (7 - 1) * 2 + 3, (10 - 1) * 2 + 5, 2]);
    expect(out(l.H, l.R, l.U)).toBe(7);
    expect(out(l.W, l.S, l.U)).toBe(10);
  });

  it('refuses what it cannot run, naming the key', () => {
    const base = { C: 3, M: 8, R: 3, S: 3, P: 4, Q: 4 };
    const y = (inst: Record<string, unknown>) =>
      `problem:\n  instance:\n${Object.entries(inst)
        .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
        .join('\n')}\n`;
    refused(
      () => parseTimeloopProblem(y({ ...base, Wdilation: 2 }), 'p.yaml'),
      /'problem\.instance\.Wdilation' is 2; allowed: 1/,
    );
    refused(
      () => parseTimeloopProblem(y({ ...base, Hstride: 2 }), 'p.yaml'),
      /'problem\.instance\.Wstride' 1 and 'problem\.instance\.Hstride' 2 differ/,
    );
    refused(
      () => parseTimeloopProblem(y({ ...base, G: 2 }), 'p.yaml'),
      /'problem\.instance\.G' is not a convolution dimension/,
    );
    refused(
      () => parseTimeloopProblem(y({ C: 3, M: 8, R: 3, S: 3, P: 4 }), 'p.yaml'),
      /'problem\.instance\.Q' is missing/,
    );
    refused(
      () => parseTimeloopProblem(y({ ...base, K: 8 }), 'p.yaml'),
      /both 'problem\.instance\.M' and 'problem\.instance\.K'/,
    );
    refused(() => parseTimeloopProblem(y({ ...base, C: 2.5 }), 'p.yaml'), /'problem\.instance\.C' is 2\.5/);
    refused(() => parseTimeloopProblem('shape: x\n', 'p.yaml'), /p\.yaml: no 'problem' mapping/);
    refused(() => parseTimeloopProblem('problem: [1\n', 'p.yaml'), /p\.yaml is not valid YAML/);
  });
});
