import type { Image } from '@upframe/core';
import { DEFAULT_TILE_OVERLAP, TiledBackend, planRun } from '@upframe/core/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from './test-support/backend-harness.js';

/** Smooth gradients with pixel noise: edges and texture everywhere, so a seam would show. */
function picture(width: number, height: number): Image {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const n = ((i + 1) * 2654435761) >>> 27;
      data[i] = (x * 200) / width + n;
      data[i + 1] = (y * 200) / height + n;
      data[i + 2] = 128 + 60 * Math.sin(x / 37) * Math.cos(y / 23) + n;
    }
  }
  return { width, height, channels: 3, data };
}

describe('auto tiling on a real model', () => {
  const { backend } = createBackend({ model: 'esrgan-slim-x2', device: 'cpu', threads: 2 });
  afterAll(() => backend.dispose());

  it('the planned tiles of a frame over the budget give the untiled output bit for bit', async () => {
    await backend.initialize();
    const image = picture(600, 400);
    const info = { kind: 'image', path: 'x.png', width: 600, height: 400, layout: 'rgb24', timeBase: { num: 1, den: 1 }, variableFrameRate: false } as const;
    // A budget the whole frame does not fit: the plan tiles it, as it does a 2000×1500 image by default.
    const plan = planRun(info, backend, { memoryBudgetBytes: 400 * 1024 * 1024 });
    expect(plan.tile).toBeDefined();
    expect(plan.tile!).toBeLessThan(400);
    expect(plan.overlap).toBe(DEFAULT_TILE_OVERLAP);

    const [whole] = await backend.run([image]);
    const [tiled] = await new TiledBackend(backend, { tile: plan.tile!, overlap: plan.overlap, batch: plan.batch }).run([image]);
    expect(tiled!.width).toBe(1200);
    expect(Buffer.from(tiled!.data).equals(Buffer.from(whole!.data))).toBe(true);
  }, 120_000);
});
