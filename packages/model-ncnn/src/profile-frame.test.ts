import { describe, expect, it } from 'vitest';
import { recogniseNcnnModel } from './ncnn-profiles.js';
import { finishFrame, paddedSize, prepareFrame } from './profile-frame.js';

// 3×2 RGB frame; red = 10·x + 100·y, green = 1, blue = 2.
const W = 3;
const H = 2;
const rgb = Uint8Array.from({ length: W * H * 3 }, (_v, i) => {
  const c = i % 3;
  const p = (i - c) / 3;
  return c === 0 ? 10 * (p % W) + 100 * Math.floor(p / W) : c;
});
const red = (img: { w: number; data: Float32Array }, y: number, x: number) => Math.round(img.data[y * img.w + x]! * 255);

describe('prepareFrame', () => {
  it('pads by reflecting without repeating the edge (Real-ESRGAN, Real-CUGAN)', () => {
    const profile = { ...recogniseNcnnModel('models/realesr-animevideov3-x2.param')!, pad: 2 };
    const img = prepareFrame(rgb, W, H, profile);
    expect([img.w, img.h]).toEqual([7, 6]);
    // Row 2 is frame row 0: reflect gives x = 2 1 | 0 1 2 | 1 0.
    expect([0, 1, 2, 3, 4, 5, 6].map((x) => red(img, 2, x))).toEqual([20, 10, 0, 10, 20, 10, 0]);
    // Column 2 is frame column 0: y = 0 1 | 0 1 | 0 1 (a 2-row frame reflects onto itself).
    expect([0, 1, 2, 3, 4, 5].map((y) => red(img, y, 2))).toEqual([0, 100, 0, 100, 0, 100]);
    expect(img.data[img.w * img.h]).toBeCloseTo(1 / 255, 7);
  });

  it('pads by repeating the edge (waifu2x) and aligns right and bottom', () => {
    const profile = { ...recogniseNcnnModel('models-cunet/noise0_model.param')!, pad: 1 };
    const img = prepareFrame(rgb, W, H, profile);
    // width 3 + 2 + 1 to reach a multiple of 4, height 2 + 2 + 2.
    expect([img.w, img.h]).toEqual([paddedSize(W, profile), paddedSize(H, profile)]);
    expect([img.w, img.h]).toEqual([6, 6]);
    expect([0, 1, 2, 3, 4, 5].map((x) => red(img, 1, x))).toEqual([0, 0, 10, 20, 20, 20]);
    expect([0, 1, 2, 3, 4, 5].map((y) => red(img, y, 1))).toEqual([0, 0, 100, 100, 100, 100]);
  });
});

describe('finishFrame', () => {
  const planar = (c: number, h: number, w: number, f: (c: number, y: number, x: number) => number) => {
    const data = new Float32Array(c * h * w);
    for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(k * h + y) * w + x] = f(k, y, x);
    return { c, h, w, data };
  };

  it('takes the frame region after the shrink and rounds like the tools (trunc(v·255 + 0.5), clamped)', () => {
    const profile = { ...recogniseNcnnModel('models/realesr-animevideov3-x2.param')!, pad: 1 };
    // Padded input 5×4 → a 2× model without shrink gives 10×8; the frame sits at offset 2.
    const out = planar(3, 8, 10, (c, y, x) => (c === 0 ? (y * 10 + x) / 255 : c === 1 ? -0.5 : 1.5));
    const frame = finishFrame(out, planar(3, 4, 5, () => 0), W, H, profile, 0);
    expect(frame.length).toBe(6 * 4 * 3);
    expect(frame[0]).toBe(22);
    expect(frame[(1 * 6 + 3) * 3]).toBe(35);
    expect([frame[1], frame[2]]).toEqual([0, 255]);
  });

  it('adds the nearest-upscaled input for residual models (Real-CUGAN 4×)', () => {
    const profile = { ...recogniseNcnnModel('models-se/up4x-conservative.param')!, pad: 1 };
    const input = planar(3, 4, 5, (_c, y, x) => (y * 5 + x) / 255);
    const out = planar(3, H * 4, W * 4, () => 1 / 255);
    const frame = finishFrame(out, input, W, H, profile, 2 * 4 * 1);
    // Output pixel (y, x) adds input pixel (1 + y/4, 1 + x/4).
    expect(frame[0]).toBe(1 + 6);
    expect(frame[(5 * 12 + 9) * 3]).toBe(1 + (2 * 5 + 3));
  });

  it('refuses an output too small for the frame', () => {
    const profile = recogniseNcnnModel('models/realesr-animevideov3-x2.param')!;
    expect(() => finishFrame(planar(3, 4, 4, () => 0), planar(3, 2, 2, () => 0), W, H, profile, 0)).toThrow(/does not hold a 6x4 frame padded by 10/);
  });
});
