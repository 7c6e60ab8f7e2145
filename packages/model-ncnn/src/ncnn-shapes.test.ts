import { describe, expect, it } from 'vitest';
import { readNcnnModel } from './ncnn-model.js';
import { measureGeometry } from './ncnn-shapes.js';
import { exact, image, withInput } from './test-support/fixtures.js';
import { runConverted } from './test-support/run-converted.js';

describe('measureGeometry', () => {
  it('computes the border shrink of unpadded convolutions and the scale of a deconvolution', async () => {
    const m = withInput()
      .layer('Convolution', 'c1', ['data'], ['a'], { 0: 4, 1: 3, 6: 108 })
      .weights(exact(108, 1))
      .layer('Convolution', 'c2', ['a'], ['b'], { 0: 4, 1: 5, 6: 400 })
      .weights(exact(400, 2))
      .layer('Deconvolution', 'up', ['b'], ['out'], { 0: 3, 1: 4, 3: 2, 4: 3, 6: 192 })
      .weights(exact(192, 3));
    const g = measureGeometry(readNcnnModel(m.param(), m.bin()), 'out');
    // in - 2 - 4 = in - 6; deconv: 2(in - 6) - 4.
    expect(g).toMatchObject({ scale: 2, shrink: 16, alignment: 1, outputChannels: 3 });
    const { out } = await runConverted(m, image(3, 20, 24));
    expect([out.h, out.w]).toEqual([2 * 20 - 16, 2 * 24 - 16]);
    // FLOPs per input pixel: 2 × (108 + 400·(out pixels/in pixels → 1) + 192·1) MACs for large inputs.
    expect(g.flopsPerPixel).toBeGreaterThan(2 * (108 + 400 + 192) * 0.95);
    expect(g.flopsPerPixel).toBeLessThanOrEqual(2 * (108 + 400 + 192));
  });

  it('finds the size alignment a strided U-Net needs', () => {
    const m = withInput()
      .layer('Split', 'sp', ['data'], ['a', 'b'])
      .layer('Convolution', 'down', ['a'], ['d'], { 0: 3, 1: 2, 3: 2, 6: 36 })
      .weights(exact(36, 4))
      .layer('Deconvolution', 'up', ['d'], ['u'], { 0: 3, 1: 2, 3: 2, 6: 36 })
      .weights(exact(36, 5))
      .layer('BinaryOp', 'add', ['b', 'u'], ['out']);
    expect(measureGeometry(readNcnnModel(m.param(), m.bin()), 'out')).toMatchObject({ scale: 1, shrink: 0, alignment: 2 });
  });
});
