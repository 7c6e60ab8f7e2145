import { getModel } from '@upframe/models';
import { describe, expect, it } from 'vitest';
import { createBackend } from './test-support/backend-harness.js';
import { psnr, readRgb, resize } from './test-support/images.js';

describe('quality sanity', () => {
  it('esrgan-slim-x2 restores a 2x-downscaled real image better than bicubic', async () => {
    const original = await readRgb(getModel('esrgan-slim-x2').paths!.fixture!);
    const small = await resize(original, original.width / 2, original.height / 2);
    const bicubic = await resize(small, original.width, original.height);
    const { backend } = createBackend({ model: 'esrgan-slim-x2' });
    await backend.initialize();
    const [upscaled] = await backend.run([small]);
    await backend.dispose();
    const model = psnr(upscaled!, original);
    const baseline = psnr(bicubic, original);
    console.log(`PSNR vs original: esrgan-slim-x2 ${model.toFixed(2)} dB, sharp bicubic ${baseline.toFixed(2)} dB`);
    expect(model).toBeGreaterThan(baseline);
  });
});
