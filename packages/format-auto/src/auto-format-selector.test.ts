import { IMAGE_FORMATS, UpframeError, createMemoryLogger, type FormatContext, type Image } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { flatFrame, generateClass } from '../bench/content.mjs';
import { AutoFormatSelector } from './auto-format-selector.js';
import { chooseFormat } from './choose-format.js';
import { analyseImage } from './frame-analysis.js';
import { sameChoice } from './selection-report.js';

const ALL: FormatContext = { supported: IMAGE_FORMATS };

/** Flat frames, then frames that would alone choose differently (colour under alpha 0 → PNG). */
function flatThenHiddenColour(): Image[] {
  const opaque = [0, 1, 2].map((t) => flatFrame(256, 144, t, [118, 178, 232, 255]));
  const hidden = [3, 4].map((t) => flatFrame(256, 144, t, [118, 178, 232, 0]));
  return [...opaque, ...hidden];
}

describe('AutoFormatSelector, sequence mode', () => {
  it('returns the frame-0 choice for every frame, even where a later frame alone would pick differently', () => {
    const frames = flatThenHiddenColour();
    const alone = frames.map((f) => chooseFormat(analyseImage(f), ALL, { lossy: false, quality: 90, forUnseenFrames: true }));
    expect(alone[0].format).toBe('webp');
    expect(alone[4].format).toBe('png');

    const selector = new AutoFormatSelector({});
    const choices = frames.map((f, i) => selector.select(f, i, ALL));
    for (const choice of choices) expect(choice).toBe(choices[0]);
    expect(choices[0].format).toBe('webp');
  });

  it('reports the decision, the frames that disagreed, and colour lost under alpha 0 — and warns', () => {
    const logger = createMemoryLogger();
    const selector = new AutoFormatSelector({}, logger);
    flatThenHiddenColour().forEach((f, i) => selector.select(f, i, ALL));
    const summary = selector.summary()!;
    expect(summary).toMatch(/^auto: webp lossless for all 5 frames, decided at frame 0: flat content .*: webp \(lossless true, effort 1, quality 50\)/);
    expect(summary).toContain('Of frames 1–4, 2 of 4 would on their own have chosen png lossless');
    expect(summary).toContain('(first: frame 3)');
    expect(summary).toContain('From frame 3, fully transparent pixels carry colour');
    const warnings = logger.messages.filter((m) => m.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('frame 3');
  });

  it('says when the reviewed frames agree, and reviews only reviewFrames of them', () => {
    const selector = new AutoFormatSelector({ reviewFrames: 2 });
    for (let i = 0; i < 6; i++) selector.select(flatFrame(256, 144, i), i, ALL);
    expect(selector.summary()).toContain('for all 6 frames');
    expect(selector.summary()).toContain('Checked against frames 1–2: each would have chosen the same on its own.');
  });

  it('has nothing to say before the first frame', () => {
    expect(new AutoFormatSelector({}).summary()).toBeUndefined();
  });

  it('refuses a frame whose channel count differs from the sequence it decided for', () => {
    const selector = new AutoFormatSelector({});
    selector.select(flatFrame(64, 64, 0), 0, ALL);
    expect(() => selector.select(flatFrame(64, 64, 1, [0, 0, 0, 0]), 1, ALL)).toThrow(
      expect.objectContaining({ code: 'SEQUENCE_INVALID', message: expect.stringContaining('frame 1 has 4 channels') }),
    );
  });

  it('lets JPEG through for a single opaque RGBA image, never for an RGBA sequence', () => {
    const opaque = flatFrame(128, 72, 0, [200, 200, 200, 255]);
    const context: FormatContext = { supported: ['jpeg', 'png'] };
    expect(new AutoFormatSelector({ lossy: true }).select(opaque, 0, { ...context, frameCount: 1 }).format).toBe('jpeg');
    expect(new AutoFormatSelector({ lossy: true }).select(opaque, 0, { ...context, frameCount: 10 }).format).toBe('png');
  });
});

describe('AutoFormatSelector.prime', () => {
  it('decides from sample frames before the run, and frame 0 gets that decision', async () => {
    const { frames: photos } = await generateClass('photo', { frames: 3, width: 256, height: 144 });
    const flat = flatFrame(256, 144, 0);
    const selector = new AutoFormatSelector({});
    // Frame 0 alone (flat) would lead to the flat settings; the samples are mostly photographic.
    const primed = selector.prime([flat, ...photos], ALL);
    expect(primed.reason).toContain('photographic');
    expect(selector.select(flat, 0, ALL)).toBe(primed);
    expect(selector.summary()).toContain('decided from 4 sample frames before the run');
    expect(() => selector.prime([flat], ALL)).toThrow(UpframeError);
  });

  it('is refused in perFrame mode and without samples', () => {
    expect(() => new AutoFormatSelector({ perFrame: true }).prime([flatFrame(8, 8, 0)], ALL)).toThrow(/perFrame/);
    expect(() => new AutoFormatSelector({}).prime([], ALL)).toThrow(/at least one sample/);
  });
});

describe('AutoFormatSelector, perFrame mode', () => {
  it('decides each frame on its own and tallies the choices', async () => {
    const { frames: noisy } = await generateClass('noisy', { frames: 1, width: 256, height: 144 });
    const frames = [flatFrame(256, 144, 0), noisy[0], flatFrame(256, 144, 1)];
    const selector = new AutoFormatSelector({ perFrame: true });
    const choices = frames.map((f, i) => selector.select(f, i, ALL));
    expect(sameChoice(choices[0], choices[2])).toBe(true);
    expect(choices[1].options).toMatchObject({ quality: 1 });
    expect(choices[0].options).toMatchObject({ quality: 50 });
    expect(selector.summary()).toBe(
      'auto (decided per frame) over 3 frames: webp lossless (lossless true, effort 1, quality 50) ×2, webp lossless (lossless true, effort 1, quality 1) ×1.',
    );
  });

  it('may use JPEG for an opaque RGBA frame when lossy output is allowed', () => {
    const selector = new AutoFormatSelector({ perFrame: true, quality: 70 });
    const opaque = flatFrame(128, 72, 0, [200, 200, 200, 255]);
    expect(selector.select(opaque, 0, { supported: ['jpeg', 'png'] })).toMatchObject({ format: 'jpeg', lossless: false });
    const transparent = flatFrame(128, 72, 0, [0, 0, 0, 0]);
    expect(selector.select(transparent, 1, { supported: ['jpeg', 'png'] })).toMatchObject({ format: 'png', lossless: true });
  });
});

describe('AutoFormatSelector, resumed run', () => {
  it('keeps the interrupted run\'s decision where the first new frame alone would pick differently, and counts the kept frames', () => {
    const frames = flatThenHiddenColour();
    const first = new AutoFormatSelector({});
    const before = [0, 1, 2].map((i) => first.select(frames[i], i, ALL));
    expect(before[0].format).toBe('webp');

    const resumed = new AutoFormatSelector({});
    resumed.resume(before);
    // Frame 3 alone would choose png (colour under alpha 0), but the folder stays one format.
    expect(resumed.select(frames[3], 3, ALL)).toEqual(before[0]);
    expect(resumed.select(frames[4], 4, ALL)).toEqual(before[0]);
    expect(resumed.summary()).toMatch(/^auto: webp lossless for all 5 frames, decided at frame 0/);
    expect(new AutoFormatSelector({}).select(frames[3], 3, ALL).format).toBe('png');
  });

  it('per frame: each new frame is still decided alone, and the kept ones are counted', () => {
    const frames = flatThenHiddenColour();
    const selector = new AutoFormatSelector({ perFrame: true });
    const kept = [0, 1, 2].map((i) => new AutoFormatSelector({ perFrame: true }).select(frames[i], i, ALL));
    selector.resume(kept);
    expect(selector.select(frames[3], 3, ALL).format).toBe('png');
    expect(selector.summary()).toMatch(/over 4 frames: webp lossless .*×3, png lossless .*×1/);
  });
});
