import { IMAGE_FORMATS, UpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { AUTO_OPTION_KEYS, FORMAT_OPTION_KEYS, parseAutoOptions, parseFormatOptions, parseImageFormat } from './format-options.js';

function usageError(fn: () => unknown): UpframeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UpframeError);
    expect((error as UpframeError).code).toBe('USAGE');
    return error as UpframeError;
  }
  throw new Error('expected a USAGE error');
}

describe('parseAutoOptions', () => {
  it('defaults to lossless, sequence-level, reviewing 8 frames', () => {
    expect(parseAutoOptions({})).toEqual({ lossy: false, quality: 90, perFrame: false, reviewFrames: 8 });
  });

  it('treats a quality as permission to go lossy, and accepts CLI strings', () => {
    expect(parseAutoOptions({ quality: '75' })).toMatchObject({ lossy: true, quality: 75 });
    expect(parseAutoOptions({ lossy: 'true', perFrame: 'true' })).toMatchObject({ lossy: true, quality: 90, perFrame: true });
  });

  it('lists every allowed option when given an unknown one', () => {
    const error = usageError(() => parseAutoOptions({ speed: 'max' }));
    expect(error.message).toContain('"speed"');
    for (const key of AUTO_OPTION_KEYS) expect(error.message).toContain(key);
    expect(error.plugin).toBe('auto');
  });

  it('rejects out-of-range and contradictory values', () => {
    expect(usageError(() => parseAutoOptions({ quality: 0 })).message).toContain('integer from 1 to 100');
    expect(usageError(() => parseAutoOptions({ quality: 80.5 })).message).toContain('80.5');
    expect(usageError(() => parseAutoOptions({ lossy: 'yes' })).message).toContain('true or false');
    expect(usageError(() => parseAutoOptions({ lossy: false, quality: 80 })).message).toContain('"lossy" is false');
  });
});

describe('parseFormatOptions', () => {
  it('lists the allowed tiff compressions when given another', () => {
    const error = usageError(() => parseFormatOptions('tiff', { compression: 'jpeg' }));
    expect(error.message).toContain('one of: deflate, lzw');
    expect(error.plugin).toBe('tiff');
  });

  it('does not offer nearLossless, and says why', () => {
    const error = usageError(() => parseFormatOptions('webp', { nearLossless: true }));
    expect(error.message).toContain(`allowed: ${FORMAT_OPTION_KEYS.webp.join(', ')}`);
    expect(error.hint).toMatch(/nearLossless .*lossy/);
  });

  it('rejects options that belong to another format', () => {
    expect(usageError(() => parseFormatOptions('png', { quality: 80 })).message).toContain('allowed: compressionLevel, adaptiveFiltering');
    expect(usageError(() => parseFormatOptions('jpeg', { lossy: false })).message).toContain('allowed: quality');
  });

  it('keeps only the options given, typed', () => {
    expect(parseFormatOptions('png', { compressionLevel: '9', adaptiveFiltering: 'true' })).toEqual({ compressionLevel: 9, adaptiveFiltering: true });
    expect(parseFormatOptions('webp', { quality: 70 })).toEqual({ lossy: true, quality: 70 });
    expect(parseFormatOptions('avif', { effort: 9 })).toEqual({ effort: 9 });
    expect(usageError(() => parseFormatOptions('webp', { effort: 9 })).message).toContain('from 0 to 6');
  });
});

describe('parseImageFormat', () => {
  it('accepts the core formats and lists them for anything else', () => {
    for (const format of IMAGE_FORMATS) expect(parseImageFormat(format)).toBe(format);
    expect(usageError(() => parseImageFormat('gif')).message).toContain(`allowed: ${IMAGE_FORMATS.join(', ')}`);
  });
});
