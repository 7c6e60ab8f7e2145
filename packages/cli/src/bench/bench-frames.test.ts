import { describe, expect, it } from 'vitest';
import { benchFrames, catalogPictures, cropWindow } from './bench-frames.js';

describe('bench frames', () => {
  it('uses the pictures the installed model packages ship', () => {
    const pictures = catalogPictures();
    expect(pictures.some((p) => /esrgan-slim[\\/]assets[\\/]fixture\.png$/.test(p))).toBe(true);
    expect(pictures.some((p) => /samples[\\/]4x[\\/]result\.png$/.test(p))).toBe(true);
    expect(new Set(pictures).size).toBe(pictures.length);
  });

  it('keeps every crop window inside the picture, with the target aspect ratio', () => {
    for (let i = 0; i < 50; i++) {
      const w = cropWindow(i, 512, 384, 256, 144);
      expect(w.left).toBeGreaterThanOrEqual(0);
      expect(w.top).toBeGreaterThanOrEqual(0);
      expect(w.left + w.width).toBeLessThanOrEqual(512);
      expect(w.top + w.height).toBeLessThanOrEqual(384);
      expect(w.width / w.height).toBeCloseTo(256 / 144, 1);
      expect(w.width).toBeGreaterThanOrEqual(Math.floor(512 * 0.6));
    }
    expect(cropWindow(1, 128, 128, 64, 64)).not.toEqual(cropWindow(2, 128, 128, 64, 64));
  });

  it('cuts distinct RGB frames of the requested size from real pictures', async () => {
    const { frames, pictures } = await benchFrames({ width: 40, height: 24, count: 5 });
    expect(pictures.length).toBeGreaterThan(1);
    expect(frames.map((f) => [f.width, f.height, f.channels, f.data.length])).toEqual(Array(5).fill([40, 24, 3, 40 * 24 * 3]));
    const keys = new Set(frames.map((f) => Buffer.from(f.data).toString('base64')));
    expect(keys.size).toBe(5);
    // Real content, not a flat fill: plenty of distinct values in each frame.
    for (const f of frames) expect(new Set(f.data).size).toBeGreaterThan(40);
  });

  it('says what to install when there is nothing to cut frames from', async () => {
    await expect(benchFrames({ width: 8, height: 8, count: 1, pictures: [] })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});
