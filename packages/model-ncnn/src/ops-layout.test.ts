import { describe, expect, it } from 'vitest';
import { chw, globalAverage, innerProduct, map, nearest, pixelShuffle, resize } from './test-support/ncnn-reference.js';
import { exact, image, withInput } from './test-support/fixtures.js';
import { maxDiff, runConverted } from './test-support/run-converted.js';

describe('Split, Concat, Noop and Dropout', () => {
  it('concatenates along channels and along width', async () => {
    const x = image(3, 4, 5);
    const at = (c: number, y: number, w: number) => x.data[(c * 4 + y) * 5 + w]!;
    const m = withInput().layer('Split', 'sp', ['data'], ['a', 'b']).layer('Noop', 'n', ['b'], ['b2']).layer('Concat', 'cat', ['a', 'b2'], ['out'], { 0: 0 });
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, chw(6, 4, 5, (c, y, w) => at(c % 3, y, w)))).toBe(0);
    const w = withInput().layer('Split', 'sp', ['data'], ['a', 'b']).layer('Dropout', 'd', ['b'], ['b2'], { 0: 0.5 }).layer('Concat', 'cat', ['a', 'b2'], ['out'], { 0: -1 });
    const byWidth = await runConverted(w, x);
    expect(maxDiff(byWidth.out, chw(3, 4, 10, (c, y, xx) => (xx < 5 ? at(c, y, xx) : 0.5 * at(c, y, xx - 5))))).toBeLessThan(1e-7);
  });
});

describe('PixelShuffle', () => {
  it.each([0, 1] as const)('mode %i', async (mode) => {
    const x = image(12, 3, 4);
    const { out } = await runConverted(withInput(12).layer('PixelShuffle', 'ps', ['data'], ['out'], { 0: 2, 1: mode }), x);
    expect(maxDiff(out, pixelShuffle(x, 2, mode))).toBe(0);
  });
});

describe('Interp', () => {
  const x = image(3, 6, 5);
  it.each([2, 3, 4])('nearest x%i', async (s) => {
    const { out } = await runConverted(withInput().layer('Interp', 'up', ['data'], ['out'], { 0: 1, 1: s, 2: s }), x);
    expect(maxDiff(out, nearest(x, s))).toBe(0);
  });

  it.each([
    ['bilinear', 2, 2],
    ['bilinear', 0.5, 2],
    ['bicubic', 2, 3],
    ['bicubic', 0.5, 3],
    ['bicubic', 3, 3],
  ] as const)('%s by %f with ncnn\'s half-pixel coordinates and border rules', async (kind, s, type) => {
    const big = image(3, 12, 10);
    const { out } = await runConverted(withInput().layer('Interp', 'r', ['data'], ['out'], { 0: type, 1: s, 2: s }), big);
    expect(maxDiff(out, resize(big, Math.trunc(12 * s), Math.trunc(10 * s), kind))).toBeLessThan(1e-5);
  });

  it('bicubic to a fixed output size', async () => {
    const { out } = await runConverted(withInput().layer('Interp', 'r', ['data'], ['out'], { 0: 3, 3: 9, 4: 7 }), x);
    expect(maxDiff(out, resize(x, 9, 7, 'bicubic'))).toBeLessThan(1e-5);
  });
});

describe('Pooling, InnerProduct and MemoryData', () => {
  it('squeeze-excitation: global average → InnerProduct ReLU → InnerProduct sigmoid → per-channel multiply', async () => {
    const x = image(4, 5, 6);
    const w1 = exact(2 * 4, 21);
    const b1 = [0.1, -0.1];
    const w2 = exact(4 * 2, 22);
    const m = withInput(4)
      .layer('Split', 'sp', ['data'], ['a', 'b'])
      .layer('Pooling', 'gap', ['b'], ['g'], { 0: 1, 4: 1 })
      .layer('InnerProduct', 'fc1', ['g'], ['f1'], { 0: 2, 1: 1, 2: 8, 9: 1 })
      .weights(w1, 'fp16')
      .raw(b1)
      .layer('InnerProduct', 'fc2', ['f1'], ['f2'], { 0: 4, 1: 0, 2: 8, 9: 4 })
      .weights(w2)
      .layer('BinaryOp', 'mul', ['a', 'f2'], ['out'], { 0: 2 });
    const { out, conversion } = await runConverted(m, x);
    const gate = innerProduct(innerProduct(globalAverage(x), 2, w1, b1).map((v) => Math.max(0, v)), 4, w2).map((v) => 1 / (1 + Math.exp(-v)));
    expect(maxDiff(out, map(x, (v, c) => v * gate[c]!))).toBeLessThan(1e-5);
    expect(conversion.tileSafe).toBe(false);
  });

  it('global max pooling gives one value per channel', async () => {
    const x = image(3, 4, 4);
    const m = withInput().layer('Split', 'sp', ['data'], ['a', 'b']).layer('Pooling', 'gmp', ['b'], ['g'], { 0: 0, 4: 1 }).layer('BinaryOp', 'sub', ['a', 'g'], ['out'], { 0: 1 });
    const { out } = await runConverted(m, x);
    const max = [0, 1, 2].map((c) => Math.max(...x.data.subarray(c * 16, c * 16 + 16)));
    expect(maxDiff(out, map(x, (v, c) => v - max[c]!))).toBeLessThan(1e-6);
  });

  it('MemoryData is a constant blob that broadcasts', async () => {
    const m = withInput().layer('MemoryData', 'md', [], ['m'], { 0: 1, 1: 1, 2: 3 }).raw([0.5, -1, 2]).layer('BinaryOp', 'add', ['data', 'm'], ['out'], { 0: 0 });
    const x = image(3, 2, 2);
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, map(x, (v, c) => v + [0.5, -1, 2][c]!))).toBeLessThan(1e-6);
  });
});
