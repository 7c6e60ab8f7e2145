import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { parseNcnnParam } from './ncnn-param.js';

const HEADER = '7767517\n3 3\n';

describe('parseNcnnParam', () => {
  it('reads layers, blobs, int, float and array params', () => {
    const p = parseNcnnParam(
      HEADER +
        'Input            in0   0 1 data 0=8 1=8 2=3\n' +
        'Convolution      conv  1 1 data c 0=4 1=3 4=1 5=1 6=108 9=2 -23310=1,1.000000e-01\n' +
        'Crop             crop  1 1 c out -23309=2,4,4 -23310=2,-4,-4 -23311=2,-2,-1\n',
    );
    expect(p.blobCount).toBe(3);
    expect(p.layers.map((l) => l.type)).toEqual(['Input', 'Convolution', 'Crop']);
    const conv = p.layers[1]!;
    expect(conv.bottoms).toEqual(['data']);
    expect(conv.tops).toEqual(['c']);
    expect(conv.params.get(0)).toBe(4);
    expect(conv.params.get(10)).toEqual([0.1]);
    expect(p.layers[2]!.params.get(11)).toEqual([-2, -1]);
    expect(p.layers[2]!.line).toBe(5);
  });

  it('keeps float values written without exponent', () => {
    const p = parseNcnnParam('7767517\n1 2\nInterp up 1 1 a b 0=1 1=2.0 2=0.500000\n');
    expect(p.layers[0]!.params.get(1)).toBe(2);
    expect(p.layers[0]!.params.get(2)).toBe(0.5);
  });

  const bad: [string, string, RegExp][] = [
    ['a wrong magic', '7767518\n1 1\nInput in 0 1 data\n', /magic number 7767517/],
    ['a binary param', '\u0017\u0001\u0000\u0000', /magic/],
    ['a missing count line', '7767517\n', /layer count and the blob count/],
    ['a layer count that does not match', '7767517\n2 1\nInput in 0 1 data\n', /says 2 layers but the file has 1/],
    ['a short layer line', '7767517\n1 1\nInput in 0\n', /needs type, name/],
    ['missing blobs', '7767517\n1 1\nSplit s 1 2 a b\n', /fewer blobs/],
    ['a broken param', '7767517\n1 1\nInput in 0 1 data 0=abc\n', /"abc" is not a number/],
    ['an array with a wrong length', '7767517\n1 1\nInput in 0 1 data -23309=3,1,2\n', /says 3 values but has 2/],
  ];
  it.each(bad)('rejects %s with MODEL_INVALID naming the file', (_what, text, message) => {
    let error: unknown;
    try {
      parseNcnnParam(text, 'models/x.param');
    } catch (e) {
      error = e;
    }
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/^models\/x\.param:\d+: /);
    expect((error as Error).message).toMatch(message);
  });
});
