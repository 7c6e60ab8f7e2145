import { describe, expect, it } from 'vitest';
import type { Image } from '@upframe/core';
import { ParityAccumulator, PeakTracker, percentile, psnr } from './bench-stats.js';

const img = (values: number[], width = values.length / 3): Image => ({ width, height: 1, channels: 3, data: Uint8Array.from(values) });

describe('percentile', () => {
  it('interpolates between ranks like numpy, whatever the input order', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 95)).toBeCloseTo(3.85, 10);
    expect(percentile([10, 20, 30, 40, 50], 0)).toBe(10);
    expect(percentile([10, 20, 30, 40, 50], 100)).toBe(50);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('psnr and parity', () => {
  it('gives PSNR in dB from the mean squared error, infinite when identical', () => {
    expect(psnr(0)).toBe(Number.POSITIVE_INFINITY);
    expect(psnr(1)).toBeCloseTo(48.1308, 3);
    expect(psnr(255 * 255)).toBe(0);
  });

  it('accumulates max difference and PSNR over every byte of every frame', () => {
    const acc = new ParityAccumulator();
    acc.add(img([10, 20, 30, 40, 50, 60]), img([10, 20, 30, 40, 50, 60]));
    expect(acc.result()).toEqual({ maxAbsDiff: 0, psnr: Number.POSITIVE_INFINITY });
    acc.add(img([0, 0, 0, 0, 0, 0]), img([0, 4, 0, 0, 0, 0]));
    // 12 bytes, one off by 4 (and a negative difference counts the same): MSE 16/12.
    acc.add(img([9, 9, 9]), img([5, 9, 9]));
    const r = acc.result();
    expect(r.maxAbsDiff).toBe(4);
    expect(r.psnr).toBeCloseTo(10 * Math.log10((255 * 255) / (32 / 15)), 9);
  });

  it('refuses to compare frames of different sizes, saying how they differ', () => {
    const acc = new ParityAccumulator();
    acc.add(img([1, 2, 3, 4, 5, 6]), img([1, 2, 3]));
    expect(acc.result()).toMatchObject({ maxAbsDiff: Number.NaN, mismatch: 'output is 1×1×3, reference 2×1×3' });
    expect(new ParityAccumulator().result().mismatch).toBe('no frames compared');
  });

  it('keeps the highest sample', () => {
    const peak = new PeakTracker();
    [3, 9, 2].forEach((v) => peak.sample(v));
    expect(peak.peak).toBe(9);
  });
});
