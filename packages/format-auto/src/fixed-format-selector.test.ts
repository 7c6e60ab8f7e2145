import { IMAGE_FORMATS, UpframeError, createMemoryLogger, type FormatContext } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { flatFrame } from '../bench/content.mjs';
import { FixedFormatSelector, fixedChoice } from './fixed-format-selector.js';

const ALL: FormatContext = { supported: IMAGE_FORMATS };

describe('fixedChoice', () => {
  it('is lossless for every format but JPEG unless loss is asked for', () => {
    expect(fixedChoice('png', {})).toMatchObject({ lossless: true, options: { compressionLevel: 6, adaptiveFiltering: false, palette: false } });
    expect(fixedChoice('webp', {})).toMatchObject({ lossless: true, options: { lossless: true, effort: 1 } });
    expect(fixedChoice('tiff', {})).toMatchObject({ lossless: true, options: { compression: 'deflate', predictor: 'horizontal' } });
    expect(fixedChoice('avif', {})).toMatchObject({ lossless: true, options: { lossless: true } });
    expect(fixedChoice('jpeg', {})).toMatchObject({ lossless: false, options: { quality: 90, mozjpeg: true } });
  });

  it('applies the options given', () => {
    expect(fixedChoice('webp', { lossy: true, quality: 70 })).toMatchObject({ lossless: false, options: { quality: 70, alphaQuality: 100 } });
    expect(fixedChoice('avif', { effort: 2 }).options).toEqual({ lossless: true, effort: 2 });
    expect(fixedChoice('tiff', { compression: 'lzw', predictor: 'none' }).options).toEqual({ compression: 'lzw', predictor: 'none' });
    expect(fixedChoice('png', { compressionLevel: 9, adaptiveFiltering: true }).options).toEqual({ compressionLevel: 9, adaptiveFiltering: true, palette: false });
  });
});

describe('FixedFormatSelector', () => {
  it('returns its one choice for every frame and summarises it', () => {
    const selector = new FixedFormatSelector('png');
    const a = selector.select(flatFrame(32, 32, 0), 0, ALL);
    expect(selector.select(flatFrame(32, 32, 1), 1, ALL)).toBe(a);
    expect(selector.summary()).toBe('png (fixed): png lossless (compressionLevel 6, adaptiveFiltering false, palette false) for 2 frames.');
  });

  it('refuses a format the output cannot write, listing what it can', () => {
    expect(() => new FixedFormatSelector('webp').select(flatFrame(8, 8, 0), 0, { supported: ['png', 'tiff'] })).toThrow(/cannot write webp; it supports png, tiff/);
  });

  it('refuses to drop alpha into JPEG, but accepts an opaque alpha channel', () => {
    const selector = new FixedFormatSelector('jpeg');
    expect(selector.select(flatFrame(32, 32, 0, [1, 2, 3, 255]), 0, ALL).format).toBe('jpeg');
    let error: unknown;
    try {
      selector.select(flatFrame(32, 32, 0, [1, 2, 3, 0]), 7, ALL);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UpframeError);
    expect((error as UpframeError).message).toBe('format selector jpeg: frame 7 uses transparency, which JPEG cannot store');
    expect((error as UpframeError).hint).toContain('png, webp, tiff or avif');
  });

  it('warns once when lossless WebP meets colour under alpha 0', () => {
    const logger = createMemoryLogger();
    const selector = new FixedFormatSelector('webp', {}, logger);
    for (let i = 0; i < 3; i++) selector.select(flatFrame(32, 32, i, [9, 9, 9, 0]), i, ALL);
    expect(logger.messages.filter((m) => m.level === 'warn').map((m) => m.message)).toEqual([
      expect.stringContaining('frame 0 has colour under fully transparent pixels'),
    ]);
  });
});

describe('FixedFormatSelector, resumed run', () => {
  it('counts the frames an interrupted run kept in its summary', () => {
    const selector = new FixedFormatSelector('png');
    selector.resume([selector.choice, selector.choice]);
    selector.select(flatFrame(8, 8, 0, [1, 2, 3, 255]), 2, ALL);
    expect(selector.summary()).toMatch(/^png \(fixed\): .* for 3 frames\.$/);
  });
});
