import { describe, expect, it } from 'vitest';
import { crop } from './test-support/ncnn-reference.js';
import { image, withInput } from './test-support/fixtures.js';
import { maxDiff, runConverted } from './test-support/run-converted.js';

const x = image(4, 9, 8);

describe('Crop', () => {
  it('numpy-style starts/ends/axes with negative axes and ends (Real-CUGAN)', async () => {
    const { out } = await runConverted(withInput(4).layer('Crop', 'c', ['data'], ['out'], { 9: [2, 3], 10: [-2, -1], 11: [-2, -1] }), x);
    expect(maxDiff(out, crop(x, 0, 4, 2, 7, 3, 7))).toBe(0);
  });

  it('numpy-style over every axis, with -233 and 0 ends meaning "to the end"', async () => {
    const { out } = await runConverted(withInput(4).layer('Crop', 'c', ['data'], ['out'], { 9: [1, -233, 2], 10: [3, 0, -233] }), x);
    expect(maxDiff(out, crop(x, 1, 3, 0, 9, 2, 8))).toBe(0);
  });

  it('offsets with -233 sizes and far offsets', async () => {
    const m = withInput(4).layer('Crop', 'c', ['data'], ['out'], { 0: 1, 1: 2, 2: 0, 3: -233, 4: -233, 5: -233, 6: 2, 7: 1, 8: 1 });
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, crop(x, 0, 3, 2, 8, 1, 6))).toBe(0);
  });

  it('offsets with fixed sizes', async () => {
    const m = withInput(4).layer('Crop', 'c', ['data'], ['out'], { 0: 2, 1: 1, 2: 1, 3: 3, 4: 4, 5: 2 });
    const { out } = await runConverted(m, x);
    expect(maxDiff(out, crop(x, 1, 3, 1, 5, 2, 5))).toBe(0);
  });

  it('to the size of a reference blob at an offset (waifu2x cunet)', async () => {
    const m = withInput(4)
      .layer('Split', 'sp', ['data'], ['a', 'b'])
      .layer('Pooling', 'gap', ['b'], ['g'], { 0: 1, 4: 1 })
      .layer('Crop', 'r', ['a'], ['ref'], { 9: [2, 2], 10: [-3, -2], 11: [1, 2] })
      .layer('Crop', 'c', ['a', 'ref'], ['out'], { 0: 1, 1: 2 });
    // The reference is 4 x (9-5) x (8-4); Pooling is only there to keep `b` used.
    const { out } = await runConverted(m, x, 'out');
    expect(maxDiff(out, crop(x, 0, 4, 2, 6, 1, 5))).toBe(0);
  });
});
