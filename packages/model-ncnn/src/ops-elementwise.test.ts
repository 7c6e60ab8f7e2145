import { describe, expect, it } from 'vitest';
import { chw, map } from './test-support/ncnn-reference.js';
import { exact, image, withInput } from './test-support/fixtures.js';
import { maxDiff, runConverted } from './test-support/run-converted.js';

const x = image(3, 5, 4);
const at = (c: number, y: number, w: number) => x.data[(c * x.h + y) * x.w + w]!;

describe('activations', () => {
  it('PReLU per channel and with one slope', async () => {
    const per = await runConverted(withInput().layer('PReLU', 'p', ['data'], ['out'], { 0: 3 }).raw([0.1, 0.2, -0.5]), x);
    expect(maxDiff(per.out, map(x, (v, c) => (v > 0 ? v : v * [0.1, 0.2, -0.5][c]!)))).toBeLessThan(1e-6);
    const one = await runConverted(withInput().layer('PReLU', 'p', ['data'], ['out'], { 0: 1 }).raw([0.25]), x);
    expect(maxDiff(one.out, map(x, (v) => (v > 0 ? v : v * 0.25)))).toBeLessThan(1e-6);
  });

  it('ReLU with and without slope, Sigmoid, TanH and Clip', async () => {
    const m = withInput()
      .layer('ReLU', 'r', ['data'], ['a'], { 0: 0.2 })
      .layer('Sigmoid', 's', ['a'], ['b'])
      .layer('TanH', 't', ['b'], ['c'])
      .layer('Clip', 'k', ['c'], ['d'], { 0: 0.3, 1: 0.6 })
      .layer('ReLU', 'r2', ['d'], ['out']);
    const { out } = await runConverted(m, x);
    const ref = map(x, (v) => Math.min(0.6, Math.max(0.3, Math.tanh(1 / (1 + Math.exp(-(v > 0 ? v : 0.2 * v)))))));
    expect(maxDiff(out, ref)).toBeLessThan(1e-6);
  });
});

describe('BinaryOp', () => {
  it.each([
    [0, (a: number, b: number) => a + b],
    [1, (a: number, b: number) => a - b],
    [2, (a: number, b: number) => a * b],
    [3, (a: number, b: number) => a / b],
    [4, Math.max],
    [5, Math.min],
    [7, (a: number, b: number) => b - a],
    [8, (a: number, b: number) => b / a],
  ])('op_type %i on two blobs and with a scalar', async (op, fn) => {
    const m = withInput().layer('Split', 'sp', ['data'], ['a', 'b']).layer('Sigmoid', 'sg', ['b'], ['c']).layer('BinaryOp', 'op', ['a', 'c'], ['out'], { 0: op });
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, map(x, (v) => fn(v, 1 / (1 + Math.exp(-v)))))).toBeLessThan(1e-5);
    const scalar = await runConverted(withInput().layer('BinaryOp', 'op', ['data'], ['out'], { 0: op, 1: 1, 2: 1.5 }), x);
    expect(maxDiff(scalar.out, map(x, (v) => fn(v, 1.5)))).toBeLessThan(1e-5);
  });

  it('broadcasts a 1-D blob per channel when its length is the channel count, else along width', async () => {
    const perChannel = withInput().layer('MemoryData', 'md', [], ['m'], { 0: 3 }).raw([1, 2, 3]).layer('BinaryOp', 'mul', ['data', 'm'], ['out'], { 0: 2 });
    const a = await runConverted(perChannel, x);
    expect(maxDiff(a.out, map(x, (v, c) => v * (c + 1)))).toBeLessThan(1e-6);
    const alongW = withInput().layer('MemoryData', 'md', [], ['m'], { 0: 4 }).raw([1, 2, 3, 4]).layer('BinaryOp', 'sub', ['m', 'data'], ['out'], { 0: 1 });
    const b = await runConverted(alongW, x);
    expect(maxDiff(b.out, chw(3, 5, 4, (c, y, w) => w + 1 - at(c, y, w)))).toBeLessThan(1e-6);
  });
});

describe('Eltwise', () => {
  const three = () => withInput().layer('Split', 'sp', ['data'], ['a', 'b', 'c']).layer('Sigmoid', 'sg', ['b'], ['s']).layer('TanH', 'th', ['c'], ['t']);
  const s = (v: number) => 1 / (1 + Math.exp(-v));
  it('sum with coefficients, product and max', async () => {
    const sum = await runConverted(three().layer('Eltwise', 'e', ['a', 's', 't'], ['out'], { 0: 1, 1: [0.2, 1, -2] }), x);
    expect(maxDiff(sum.out, map(x, (v) => 0.2 * v + s(v) - 2 * Math.tanh(v)))).toBeLessThan(1e-5);
    const plain = await runConverted(three().layer('Eltwise', 'e', ['a', 's', 't'], ['out'], { 0: 1 }), x);
    expect(maxDiff(plain.out, map(x, (v) => v + s(v) + Math.tanh(v)))).toBeLessThan(1e-5);
    const prod = await runConverted(three().layer('Eltwise', 'e', ['a', 's', 't'], ['out'], { 0: 0 }), x);
    expect(maxDiff(prod.out, map(x, (v) => v * s(v) * Math.tanh(v)))).toBeLessThan(1e-5);
    const max = await runConverted(three().layer('Eltwise', 'e', ['a', 's', 't'], ['out'], { 0: 2 }), x);
    expect(maxDiff(max.out, map(x, (v) => Math.max(v, s(v), Math.tanh(v))))).toBeLessThan(1e-5);
  });
});

describe('Scale and BatchNorm', () => {
  it('Scale with stored scale and bias', async () => {
    const { out } = await runConverted(withInput().layer('Scale', 'sc', ['data'], ['out'], { 0: 3, 1: 1 }).raw([2, -1, 0.5]).raw([0.1, 0.2, 0.3]), x);
    expect(maxDiff(out, map(x, (v, c) => v * [2, -1, 0.5][c]! + [0.1, 0.2, 0.3][c]!))).toBeLessThan(1e-6);
  });

  it('Scale with the scale from a second blob (-233)', async () => {
    const m = withInput().layer('MemoryData', 'md', [], ['m'], { 0: 3 }).raw([3, 2, 1]).layer('Scale', 'sc', ['data', 'm'], ['out'], { 0: -233 });
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, map(x, (v, c) => v * (3 - c)))).toBeLessThan(1e-6);
  });

  it('BatchNorm folds slope, mean, variance and bias', async () => {
    const slope = exact(3, 11);
    const mean = exact(3, 12);
    const variance = [0.5, 1, 2];
    const bias = exact(3, 13);
    const m = withInput().layer('BatchNorm', 'bn', ['data'], ['out'], { 0: 3, 1: 0.001 }).raw(slope).raw(mean).raw(variance).raw(bias);
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, map(x, (v, c) => (slope[c]! * (v - mean[c]!)) / Math.sqrt(variance[c]! + 0.001) + bias[c]!))).toBeLessThan(1e-5);
  });
});
