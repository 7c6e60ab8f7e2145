import { describe, expect, it } from 'vitest';
import { chw, conv, deconv, map, type Chw } from './test-support/ncnn-reference.js';
import { maxDiff, noise, runConverted } from './test-support/run-converted.js';
import { NcnnModelWriter } from './test-support/ncnn-writer.js';

const image = (c: number, h: number, w: number, seed = 3): Chw => {
  const v = noise(c * h * w, seed);
  return chw(c, h, w, (k, y, x) => v[(k * h + y) * w + x]!);
};
// Multiples of 1/64 in [-1, 1]: exact in fp16, so every storage form holds the same numbers.
const exact = (n: number, seed: number) => noise(n, seed).map((v) => Math.round(v * 64) / 64);
const model = () => new NcnnModelWriter().layer('Input', 'in', [], ['data'], { 0: 0, 1: 0, 2: 3 });
const leaky = (v: number) => (v > 0 ? v : 0.1 * v);

describe('Convolution', () => {
  it.each(['fp32', 'fp16', 'table'] as const)('3x3 with pads, bias and fused LeakyReLU (%s weights)', async (storage) => {
    const weight = exact(4 * 3 * 9, 1);
    const bias = [0.5, -0.25, 0, 1];
    const m = model()
      .layer('Convolution', 'conv', ['data'], ['out'], { 0: 4, 1: 3, 4: 1, 5: 1, 6: weight.length, 9: 2, 10: [0.1] })
      .weights(weight, storage)
      .raw(bias);
    const x = image(3, 9, 7);
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, map(conv(x, { out: 4, k: 3, pads: [1, 1, 1, 1], weight, bias }), leaky))).toBeLessThan(1e-5);
  });

  it('asymmetric pads, stride 2, dilation 2 and a clip activation', async () => {
    const weight = exact(2 * 3 * 9, 2);
    const m = model()
      .layer('Convolution', 'conv', ['data'], ['out'], { 0: 2, 1: 3, 2: 2, 3: 2, 4: 1, 15: 0, 14: 2, 16: 1, 6: weight.length, 9: 3, 10: [-0.5, 0.5] })
      .weights(weight);
    const x = image(3, 11, 10);
    const { out } = await runConverted(m, x);
    const ref = map(conv(x, { out: 2, k: 3, stride: 2, dilation: 2, pads: [1, 0, 2, 1], weight }), (v) => Math.min(0.5, Math.max(-0.5, v)));
    expect(maxDiff(out, ref)).toBeLessThan(1e-5);
  });

  it('"same" padding (-233) with stride 2 and a fused sigmoid', async () => {
    const weight = exact(3 * 3 * 9, 4);
    const m = model().layer('Convolution', 'conv', ['data'], ['out'], { 0: 3, 1: 3, 3: 2, 4: -233, 6: weight.length, 9: 4 }).weights(weight);
    const x = image(3, 8, 7);
    const { out } = await runConverted(m, x);
    // ncnn: pad = k + (size-1)/stride*stride - size, half before and the rest after.
    const wpad = 3 + Math.floor(6 / 2) * 2 - 7;
    const hpad = 3 + Math.floor(7 / 2) * 2 - 8;
    const ref = conv(x, { out: 3, k: 3, stride: 2, pads: [wpad >> 1, wpad - (wpad >> 1), hpad >> 1, hpad - (hpad >> 1)], weight });
    expect(maxDiff(out, map(ref, (v) => 1 / (1 + Math.exp(-v))))).toBeLessThan(1e-5);
  });

  it('a non-zero pad_value', async () => {
    const weight = exact(1 * 3 * 9, 5);
    const m = model().layer('Convolution', 'conv', ['data'], ['out'], { 0: 1, 1: 3, 4: 2, 18: 0.5, 6: weight.length }).weights(weight);
    const x = image(3, 5, 5);
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, conv(x, { out: 1, k: 3, pads: [2, 2, 2, 2], padValue: 0.5, weight }))).toBeLessThan(1e-5);
  });

  it('int8 weights are divided by their per-output scales', async () => {
    const q = exact(2 * 3, 6).map((v) => Math.round(v * 100));
    const scales = [50, 25];
    const m = model()
      .layer('Convolution', 'conv', ['data'], ['out'], { 0: 2, 1: 1, 5: 1, 6: q.length, 8: 1 })
      .weights(q, 'int8')
      .raw([0.25, -0.25])
      .raw(scales)
      .raw([1]);
    const x = image(3, 4, 4);
    const { out } = await runConverted(m, x);
    const weight = q.map((v, i) => v / scales[Math.floor(i / 3)]!);
    expect(maxDiff(out, conv(x, { out: 2, k: 1, weight, bias: [0.25, -0.25] }))).toBeLessThan(1e-5);
  });

  it('ConvolutionDepthWise with groups and ReLU', async () => {
    const weight = exact(3 * 1 * 9, 7);
    const m = new NcnnModelWriter()
      .layer('Input', 'in', [], ['data'], { 2: 3 })
      .layer('ConvolutionDepthWise', 'dw', ['data'], ['out'], { 0: 3, 1: 3, 4: 1, 6: weight.length, 7: 3, 9: 1 })
      .weights(weight, 'fp16');
    const x = image(3, 6, 6);
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, map(conv(x, { out: 3, k: 3, pads: [1, 1, 1, 1], group: 3, weight }), (v) => Math.max(0, v)))).toBeLessThan(1e-5);
  });
});

describe('Deconvolution', () => {
  it('stride 2, kernel 4, pads 3 (waifu2x upconv), [out][in][k][k] weights and bias', async () => {
    const weight = exact(2 * 3 * 16, 8);
    const bias = [0.1, -0.1];
    const m = model().layer('Deconvolution', 'up', ['data'], ['out'], { 0: 2, 1: 4, 3: 2, 4: 3, 5: 1, 6: weight.length }).weights(weight, 'fp16').raw(bias);
    const x = image(3, 6, 5);
    const { out } = await runConverted(m, x);
    expect(out.h).toBe(2 * 6 - 4);
    expect(maxDiff(out, deconv(x, { out: 2, k: 4, stride: 2, pads: [3, 3, 3, 3], weight, bias }))).toBeLessThan(1e-5);
  });

  it('output padding and a fused LeakyReLU', async () => {
    const weight = exact(3 * 3 * 4, 9);
    const m = model().layer('Deconvolution', 'up', ['data'], ['out'], { 0: 3, 1: 2, 3: 2, 18: 1, 6: weight.length, 9: 2, 10: [0.1] }).weights(weight);
    const x = image(3, 4, 3);
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, map(deconv(x, { out: 3, k: 2, stride: 2, outPad: 1, weight }), leaky))).toBeLessThan(1e-5);
  });
});
