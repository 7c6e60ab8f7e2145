import { IMAGE_FORMATS, type FormatChoice, type FormatContext } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { flatFrame, generateClass, type ContentClassName } from '../bench/content.mjs';
import { alphaRamp } from '../bench/draw.mjs';
import { AutoFormatSelector } from './auto-format-selector.js';
import { LOSSLESS_SETTINGS, PNG_BASELINE_OPTIONS } from './encoder-settings.js';
import { FixedFormatSelector } from './fixed-format-selector.js';
import { alphaPlane, decode, differingBytes, encode } from './test-support/codec.js';

// Encodes with sharp exactly as a sink would (the choice's options verbatim) and decodes back.

const ALL: FormatContext = { supported: IMAGE_FORMATS };

async function runSequence(name: ContentClassName, options: Record<string, unknown> = {}, frames = 3, width = 512, height = 288) {
  const content = await generateClass(name, { frames, width, height });
  const selector = new AutoFormatSelector(options);
  const context: FormatContext = { ...ALL, frameCount: frames, sourceBitDepth: content.sourceBitDepth };
  const choices = content.frames.map((image, i) => selector.select(image, i, context));
  return { content, choices, selector };
}

async function totalBytes(images: { width: number; height: number; channels: number; data: Uint8Array }[], choice: Pick<FormatChoice, 'format' | 'options'>) {
  let bytes = 0;
  for (const image of images) bytes += (await encode(image, choice)).length;
  return bytes;
}

describe('lossless choices decode bit-exact', () => {
  for (const name of ['flat', 'synthetic', 'photo', 'noisy', 'alpha', 'hbd'] as const) {
    it(`${name}: every frame decodes to the exact RGB(A) given`, async () => {
      const { content, choices } = await runSequence(name);
      for (const [i, image] of content.frames.entries()) {
        expect(choices[i].lossless).toBe(true);
        const back = await decode(await encode(image, choices[i]), image.channels);
        expect([back.width, back.height, back.channels]).toEqual([image.width, image.height, image.channels]);
        expect(differingBytes(back.data, image.data)).toBe(0);
      }
    });
  }

  it('alpha without colour under alpha 0 goes to WebP, and decodes bit-exact', async () => {
    const image = flatFrame(256, 144, 2, [0, 0, 0, 0]);
    alphaRamp(image, 20, 10, 120, 30, [255, 240, 200]);
    const choice = new AutoFormatSelector({}).select(image, 0, ALL);
    expect(choice).toMatchObject({ format: 'webp', lossless: true });
    const back = await decode(await encode(image, choice), 4);
    expect(differingBytes(back.data, image.data)).toBe(0);
  });

  it('fixed lossless selectors decode bit-exact too, alpha included', async () => {
    const { frames } = await generateClass('alpha', { frames: 1, width: 96, height: 64 });
    for (const format of ['png', 'tiff', 'avif'] as const) {
      const choice = new FixedFormatSelector(format).select(frames[0], 0, ALL);
      const back = await decode(await encode(frames[0], choice), 4);
      expect(differingBytes(back.data, frames[0].data), format).toBe(0);
    }
  });
});

describe('size against the PNG baseline (sharp png() with default settings)', () => {
  it('flat animation: at least 25% smaller', async () => {
    const { content, choices } = await runSequence('flat', {}, 4);
    const auto = await totalBytes(content.frames, choices[0]);
    const png = await totalBytes(content.frames, { format: 'png', options: PNG_BASELINE_OPTIONS });
    expect(auto / png).toBeLessThanOrEqual(0.75);
  });

  for (const name of ['synthetic', 'photo', 'noisy', 'alpha', 'hbd'] as const) {
    it(`${name}: never more than 2% larger`, async () => {
      const { content, choices } = await runSequence(name, {}, 2);
      const auto = await totalBytes(content.frames, choices[0]);
      const png = await totalBytes(content.frames, { format: 'png', options: PNG_BASELINE_OPTIONS });
      expect(auto / png).toBeLessThanOrEqual(1.02);
    });
  }

  for (const name of ['photo', 'noisy'] as const) {
    it(`${name}: the choice is the smallest of the lossless candidates`, async () => {
      // Smaller frames: AVIF takes seconds on a full one.
      const { content, choices } = await runSequence(name, {}, 1, 256, 144);
      const frames = content.frames;
      const auto = await totalBytes(frames, choices[0]);
      const all: Pick<FormatChoice, 'format' | 'options'>[] = [
        { format: 'png', options: PNG_BASELINE_OPTIONS },
        ...(['png', 'tiff', 'avif'] as const).flatMap((format) => Object.values(LOSSLESS_SETTINGS[format]).map((options) => ({ format, options }))),
      ];
      const candidates = [...new Map(all.map((c) => [JSON.stringify(c), c])).values()];
      for (const candidate of candidates) {
        expect(auto, `${candidate.format} ${JSON.stringify(candidate.options)}`).toBeLessThanOrEqual(await totalBytes(frames, candidate));
      }
    });
  }
});

describe('alpha is preserved', () => {
  it('lossless: auto keeps every alpha value (and the colour under alpha 0)', async () => {
    const { content, choices } = await runSequence('alpha', {}, 2);
    expect(choices[0].format).not.toBe('jpeg');
    const back = await decode(await encode(content.frames[1], choices[1]), 4);
    expect(differingBytes(alphaPlane(back.data), alphaPlane(content.frames[1].data))).toBe(0);
  });

  it('lossy: alpha still decodes exactly', async () => {
    const { content, choices } = await runSequence('alpha', { quality: 60 }, 2);
    expect(choices[0]).toMatchObject({ format: 'webp', lossless: false });
    const back = await decode(await encode(content.frames[0], choices[0]), 4);
    expect(back.channels).toBe(4);
    expect(differingBytes(alphaPlane(back.data), alphaPlane(content.frames[0].data))).toBe(0);
  });

  it('lossy photographs become JPEG, and really are lossy', async () => {
    const { content, choices } = await runSequence('photo', { lossy: true }, 1);
    expect(choices[0]).toMatchObject({ format: 'jpeg', lossless: false });
    const back = await decode(await encode(content.frames[0], choices[0]), 3);
    expect(differingBytes(back.data, content.frames[0].data)).toBeGreaterThan(0);
  });
});
