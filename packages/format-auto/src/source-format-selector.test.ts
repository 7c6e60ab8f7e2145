import { IMAGE_FORMATS, type FormatContext, type Image } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { flatFrame, generateClass } from '../bench/content.mjs';
import { AutoFormatSelector } from './auto-format-selector.js';
import { SourceFormatSelector } from './source-format-selector.js';

const flat: Image = flatFrame(64, 48, 0);
const ALL = (extra: Partial<FormatContext> = {}): FormatContext => ({ supported: IMAGE_FORMATS, frameCount: 3, ...extra });

describe('source format selector (the default)', () => {
  it('keeps PNG frames as PNG where auto would pick WebP', () => {
    expect(new AutoFormatSelector().select(flat, 0, ALL({ sourceFormat: 'png' })).format).toBe('webp');
    const selector = new SourceFormatSelector();
    const choice = selector.select(flat, 0, ALL({ sourceFormat: 'png' }));
    expect(choice).toMatchObject({ format: 'png', lossless: true });
    expect(selector.select(flat, 1, ALL({ sourceFormat: 'png' })).format).toBe('png');
    expect(selector.summary()).toMatch(/^source: png lossless for all 2 frames/);
  });

  it('keeps TIFF as TIFF and lossless WebP as WebP', () => {
    expect(new SourceFormatSelector().select(flat, 0, ALL({ sourceFormat: 'tiff' })).format).toBe('tiff');
    expect(new SourceFormatSelector().select(flat, 0, ALL({ sourceFormat: 'webp' })).format).toBe('webp');
  });

  it('keeps JPEG frames as JPEG at the source quality, and --quality wins', async () => {
    const [photo] = (await generateClass('photo', { frames: 1 })).frames;
    expect(new SourceFormatSelector().select(photo, 0, ALL({ sourceFormat: 'jpeg', sourceQuality: 83 }))).toMatchObject({ format: 'jpeg', lossless: false, options: { quality: 83 } });
    expect(new SourceFormatSelector({ quality: 60 }).select(photo, 0, ALL({ sourceFormat: 'jpeg', sourceQuality: 83 }))).toMatchObject({ format: 'jpeg', options: { quality: 60 } });
  });

  it('chooses as auto does for a video source or an output that cannot write the source format', () => {
    expect(new SourceFormatSelector().select(flat, 0, ALL())).toMatchObject({ format: 'webp', lossless: true });
    expect(new SourceFormatSelector().select(flat, 0, { supported: ['png'], sourceFormat: 'jpeg', frameCount: 1 })).toMatchObject({ format: 'png' });
  });
});
