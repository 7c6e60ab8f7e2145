import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { createStrategy, decideAll, testContainer } from './test-support/run-strategy.js';
import { addNoise, brighten, frameOf, mapPicture, paintRect, texturedPicture, type Picture } from './test-support/synthetic-frames.js';

const base = texturedPicture(64, 48, 1);
const near = (options: Record<string, unknown> = {}) => createStrategy(testContainer().container, 'near', options);
const frames = (pics: readonly Picture[]) => pics.map((p, i) => frameOf(p, i));

/**
 * A fade drawn on threes: drawing k is `base` brightened by k × step levels, and its two held
 * frames drift a further `drift` level (that fraction of the pixels one level brighter), the way
 * x264 lets a fade's held frames drift from their reference.
 */
function fadeOnThrees(step: number, drift: number, drawings = 8): Picture[] {
  // The drift's pixels are spread one in every hundred, so every block's mean moves alike.
  return Array.from({ length: drawings * 3 }, (_, i) => {
    const k = Math.floor(i / 3);
    const held = i % 3 !== 0;
    return mapPicture(base, (pixel, c, v) => (c < 3 ? v + Math.round(k * step) + (held && pixel % 100 < drift * 100 ? 1 : 0) : v));
  });
}

/** ±amount in a checkerboard over one 8×8 block: changes detail but not the block's mean. */
function checker(pic: Picture, amount: number, x0 = 16, y0 = 16): Picture {
  return mapPicture(pic, (pixel, c, v) => {
    const x = pixel % pic.width;
    const y = Math.floor(pixel / pic.width);
    if (c > 2 || x < x0 || x >= x0 + 8 || y < y0 || y >= y0 + 8) return v;
    return v + ((x + y) % 2 === 0 ? amount : -amount);
  });
}

describe('near', () => {
  it('marks an identical frame as a duplicate of the reference', async () => {
    const { refs } = await decideAll(near(), frames([base, base, base]));
    expect(refs).toEqual([-1, 0, 0]);
  });

  it('infers a frame with one 8x8 block changed above hi, without any mean shift', async () => {
    const s = near();
    const { refs, stats } = await decideAll(s, frames([base, checker(base, 40)]));
    expect(refs).toEqual([-1, -1]);
    expect(stats.reasons?.block).toBe(1);
  });

  it('keeps a frame whose only change is one block just under hi', async () => {
    // ±6 on 64 pixels sums to 384 in the block, under the default hi of 448.
    const { refs } = await decideAll(near(), frames([base, checker(base, 6)]));
    expect(refs).toEqual([-1, 0]);
  });

  it('treats zero-mean noise under lo as a duplicate, for a whole run of noisy frames', async () => {
    const noisy = [base, ...Array.from({ length: 8 }, (_, k) => addNoise(base, 3, 100 + k))];
    const { refs } = await decideAll(near(), frames(noisy));
    expect(refs).toEqual([-1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('lifts hi by the comparison\'s noise floor: one busier block in a noisy frame is still a duplicate', async () => {
    // ±9 on one block sums to 576, over the fixed hi of 448; the noise around it lifts hi above that.
    const noisy = checker(addNoise(base, 3, 7), 9);
    const adaptive = await decideAll(near(), frames([base, noisy]));
    expect(adaptive.refs).toEqual([-1, 0]);
    const fixed = await decideAll(near({ hiNoise: 0 }), frames([base, noisy]));
    expect(fixed.refs).toEqual([-1, -1]);
    expect(fixed.stats.reasons?.block).toBe(1);
    // The same block on a clean frame faces the fixed hi.
    const clean = await decideAll(near(), frames([base, checker(base, 9)]));
    expect(clean.refs).toEqual([-1, -1]);
  });

  it('infers a frame that passes every block rule but is further than psnr from the reference', async () => {
    // Uniform ±8 noise on RGB: ~34 dB, under the 40 dB floor, yet every block rule lets it through.
    const noisy = addNoise(base, 8, 11);
    const checked = await decideAll(near(), frames([base, noisy]));
    expect(checked.refs).toEqual([-1, -1]);
    expect(checked.stats.reasons?.fidelity).toBe(1);
    expect((await decideAll(near({ psnr: 0 }), frames([base, noisy]))).refs).toEqual([-1, 0]);
    expect((await decideAll(near({ psnr: 30 }), frames([base, noisy]))).refs).toEqual([-1, 0]);
  });

  it('compares with the last inferred frame, not the previous frame', async () => {
    // Frame 1 is within hi of frame 0; frame 2 is within hi of frame 1 but not of frame 0.
    const { refs } = await decideAll(near(), frames([base, checker(base, 5), checker(base, 10)]));
    expect(refs).toEqual([-1, 0, -1]);
  });

  it('catches slow local drift that no single step would reveal', async () => {
    // Each frame adds ±1 to the checkerboard: 64 per step, far under hi, but it accumulates
    // against the reference and must trigger inference by the time it passes hi (448).
    const drifting = Array.from({ length: 20 }, (_, k) => checker(base, k));
    const { refs } = await decideAll(near({ maxRunFrames: 1000, maxRunSeconds: 1000 }), frames(drifting));
    const firstInferred = refs.findIndex((r, i) => i > 0 && r === -1);
    expect(firstInferred).toBeGreaterThan(1);
    expect(firstInferred).toBeLessThanOrEqual(8);
  });

  it('catches a slow fade by its accumulated mean shift, long before maxRun', async () => {
    // Every frame brightens one more eighth of the pixels by 1: 0.125 levels of mean per step.
    const fade = Array.from({ length: 24 }, (_, k) => mapPicture(base, (pixel, c, v) => (c < 3 && pixel % 8 < k % 8 ? v + 1 + (k >> 3) : v + (k >> 3))));
    const { refs } = await decideAll(near({ maxRunFrames: 1000, maxRunSeconds: 1000 }), frames(fade));
    const mean = (p: Picture) => p.data.reduce((a, b) => a + b, 0) / p.data.length;
    refs.forEach((ref, i) => {
      if (ref >= 0) expect(Math.abs(mean(fade[i]) - mean(fade[ref]))).toBeLessThanOrEqual(0.26);
    });
    expect(refs.filter((r) => r === -1).length).toBeGreaterThanOrEqual(6);
  });

  it('reuses the held frames of a fade drawn on threes despite a drift under the fade allowance, never its steps', async () => {
    const { refs } = await decideAll(near(), frames(fadeOnThrees(3, 0.4)));
    // Three steps of ~2.6 levels (each from the drifted frame before it) raise the allowance to
    // ~0.78 level: from then on every held frame reuses its drawing's first frame.
    refs.forEach((r, i) => {
      if (i % 3 === 0) expect(r).toBe(-1);
      else if (i > 9) expect(r).toBe(i - (i % 3));
    });
    // Before that, and with the fixed shift throughout, the first held frame of each drawing is inferred.
    expect(refs[4]).toBe(-1);
    const fixed = await decideAll(near({ shiftRatio: 0 }), frames(fadeOnThrees(3, 0.4)));
    expect(fixed.refs.filter((r, i) => i % 3 === 1 && r === -1)).toHaveLength(8);
  });

  it('infers every step of a fade whose steps are ~1 level, and its held frames drifting 0.4 level', async () => {
    // Steps of 0.6–1 level allow no more than the fixed 0.25: neither steps nor drifts pass.
    const { refs } = await decideAll(near(), frames(fadeOnThrees(1, 0.4)));
    refs.forEach((r, i) => {
      if (i % 3 !== 2) expect(r).toBe(-1);
      else expect(r).toBe(i - 1); // the second held frame equals the first
    });
  });

  it('forces inference within maxRunFrames on a fade too slow for any threshold', async () => {
    // One more pixel in a hundred gets a level brighter each frame: 0.01 of mean per step, so
    // after 20 frames the drift (0.2) is still under `shift` and only the run cap can act.
    const fade = Array.from({ length: 20 }, (_, k) => mapPicture(base, (pixel, c, v) => (c < 3 && pixel % 100 < k ? v + 1 : v)));
    const { refs, stats } = await decideAll(near({ maxRunFrames: 4 }), frames(fade));
    expect(refs).toEqual([-1, 0, 0, 0, 0, -1, 5, 5, 5, 5, -1, 10, 10, 10, 10, -1, 15, 15, 15, 15]);
    expect(stats.forced).toBe(3);
    const uncapped = await decideAll(near({ maxRunFrames: 1000 }), frames(fade));
    expect(uncapped.refs.slice(1).every((r) => r === 0)).toBe(true);
  });

  it('forces inference when a duplicate would reuse an output older than maxRunSeconds', async () => {
    // Variable frame rate: a 2 s gap between frames 2 and 3.
    const pts = [0, 6, 12, 60, 66];
    const s = near({ maxRunSeconds: 1 });
    const { refs } = await decideAll(s, pts.map((p, i) => frameOf(base, i, p)));
    expect(refs).toEqual([-1, 0, 0, -1, 3]);
  });

  it('infers a colour change at unchanged luma', async () => {
    // Both colours have luma 130 with the 77/150/29 weights, so only chroma differs.
    const red = paintRect(base, 16, 16, 16, 16, [200, 100, 100]);
    const blue = paintRect(base, 16, 16, 16, 16, [100, 133, 185]);
    const s = near();
    const { refs, stats } = await decideAll(s, frames([red, blue]));
    expect(refs).toEqual([-1, -1]);
    expect(stats.reasons?.chroma).toBe(1);
  });

  it('infers a uniform brightness change of one level (fade step) by the mean shift', async () => {
    const { refs, stats } = await decideAll(near(), frames([base, brighten(base, 1)]));
    expect(refs).toEqual([-1, -1]);
    expect(stats.reasons?.shift).toBe(1);
  });

  it('infers when only alpha changes in RGBA frames, and keeps an unchanged RGBA frame', async () => {
    const rgba = texturedPicture(32, 32, 5, 'rgba');
    const faded = mapPicture(rgba, (pixel, c, v) => (c === 3 && pixel % 32 < 16 ? 0 : v));
    const { refs } = await decideAll(near(), frames([rgba, rgba, faded]));
    expect(refs).toEqual([-1, 0, -1]);
  });

  it('infers when the geometry changes and handles frames smaller than a block', async () => {
    const tiny = texturedPicture(6, 5, 2);
    const { refs } = await decideAll(near(), frames([base, tiny, tiny, checker(tiny, 60, 0, 0)]));
    expect(refs).toEqual([-1, -1, 1, -1]);
  });

  it('rejects frames out of index order and frames with too few bytes', () => {
    const s = near();
    expect(() => s.decide(frameOf(base, 1))).toThrow(/index order: got 1, expected 0/);
    const short = { ...frameOf(base, 0), data: base.data.subarray(0, 100) };
    try {
      s.decide(short);
      expect.unreachable();
    } catch (error) {
      expect(isUpframeError(error, 'INPUT_INVALID')).toBe(true);
    }
  });
});
