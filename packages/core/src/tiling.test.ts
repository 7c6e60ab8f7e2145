import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackendCapabilities, BackendInitInfo, InferenceBackend } from './contracts/inference-backend.js';
import type { Image } from './frame.js';
import { TiledBackend } from './tiled-backend.js';
import { planTiles } from './tiling.js';
import { upscaleNearest } from './test-support/fakes.js';

/** A small "model": two 3×3 box blurs (receptive-field radius 2) then 2× nearest upscaling. */
function boxBlur(im: Image): Image {
  const out = new Uint8Array(im.data.length);
  const c = im.channels;
  for (let y = 0; y < im.height; y++)
    for (let x = 0; x < im.width; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            // Zero padding, like a 'same' convolution.
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < im.height && xx >= 0 && xx < im.width) acc += im.data[(yy * im.width + xx) * c + ch];
          }
        out[(y * im.width + x) * c + ch] = Math.round(acc / 9);
      }
  return { ...im, data: out };
}

class ConvBackend implements InferenceBackend {
  readonly name = 'conv';
  readonly scale = 2;
  shapes: string[] = [];
  capabilities(): BackendCapabilities {
    return { devices: ['cpu'], modelFormats: [], maxBatch: 16 };
  }
  async initialize() {}
  info(): BackendInitInfo {
    return { device: 'cpu', provider: 'js', model: { id: 'blur', scale: 2 }, warnings: [] };
  }
  async run(images: readonly Image[]) {
    this.shapes.push(...images.map((i) => `${i.width}x${i.height}`));
    return images.map((im) => upscaleNearest(boxBlur(boxBlur(im)), 2));
  }
  async dispose() {}
}

const randomImage = (w: number, h: number, seed: number): Image => {
  const data = new Uint8Array(w * h * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1664525 + 1013904223) >>> 0) >>> 24;
  return { width: w, height: h, channels: 3, data };
};

describe('tiling', () => {
  it('covers every pixel exactly once with equal-sized windows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 8 }), (w, h, tile, overlap) => {
        const tiles = planTiles(w, h, tile, overlap);
        const cover = new Uint8Array(w * h);
        for (const t of tiles) {
          expect(t.pw).toBe(tiles[0].pw);
          expect(t.ph).toBe(tiles[0].ph);
          expect(t.px).toBeGreaterThanOrEqual(0);
          expect(t.px + t.pw).toBeLessThanOrEqual(w);
          // The core sits inside its window with `overlap` context unless clamped at the image edge.
          expect(t.x - t.px >= overlap || t.px === 0).toBe(true);
          expect(t.px + t.pw - (t.x + t.w) >= overlap || t.px + t.pw === w).toBe(true);
          for (let y = t.y; y < t.y + t.h; y++) for (let x = t.x; x < t.x + t.w; x++) cover[y * w + x]++;
        }
        expect(cover.every((v) => v === 1)).toBe(true);
      }),
    );
  });

  it('tiled output equals untiled output when the overlap covers the receptive field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 8, max: 48 }), fc.integer({ min: 8, max: 40 }), fc.integer({ min: 4, max: 20 }), fc.integer(), async (w, h, tile, seed) => {
        const image = randomImage(w, h, seed);
        const whole = await new ConvBackend().run([image]);
        const inner = new ConvBackend();
        const tiled = await new TiledBackend(inner, { tile, overlap: 2, batch: 3 }).run([image]);
        expect(tiled[0].width).toBe(w * 2);
        expect(Buffer.from(tiled[0].data).equals(Buffer.from(whole[0].data))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('shows seams when the overlap is too small (so the equality above is meaningful)', async () => {
    const image = randomImage(40, 40, 7);
    const whole = await new ConvBackend().run([image]);
    const tiled = await new TiledBackend(new ConvBackend(), { tile: 10, overlap: 0, batch: 4 }).run([image]);
    expect(Buffer.from(tiled[0].data).equals(Buffer.from(whole[0].data))).toBe(false);
  });

  it('runs small images whole and batches tiles of large ones', async () => {
    const inner = new ConvBackend();
    const backend = new TiledBackend(inner, { tile: 16, overlap: 2, batch: 4 });
    await backend.run([randomImage(16, 16, 1)]);
    expect(inner.shapes).toEqual(['16x16']);
    inner.shapes = [];
    await backend.run([randomImage(40, 20, 1)]);
    expect(inner.shapes).toEqual(Array(6).fill('20x20'));
  });
});
