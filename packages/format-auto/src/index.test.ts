import { IMAGE_FORMATS, TOKENS, UpframeError, createUpframeContainer, silentLogger } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { flatFrame } from '../bench/content.mjs';
import { AutoFormatSelector, FixedFormatSelector, register } from './index.js';

describe('register', () => {
  it('adds auto, source and one fixed selector per image format, auto first', () => {
    const c = createUpframeContainer({ logger: silentLogger });
    register(c);
    const registry = c.resolve(TOKENS.FormatSelectors);
    expect(registry.names()).toEqual(['auto', 'source', 'png', 'avif', 'jpeg', 'tiff', 'webp']);
    expect(registry.get('auto').origin).toBe('@upframe/format-auto');
    expect(registry.get('source').options).toBe(registry.get('auto').options);
    expect(new Set(registry.names())).toEqual(new Set(['auto', 'source', ...IMAGE_FORMATS]));
  });

  it('creates selectors with their options, through the container', async () => {
    const c = createUpframeContainer({ logger: silentLogger });
    register(c);
    const registry = c.resolve(TOKENS.FormatSelectors);
    const auto = registry.create(c, 'auto', { quality: 70 });
    expect(auto).toBeInstanceOf(AutoFormatSelector);
    expect((auto as AutoFormatSelector).options).toMatchObject({ lossy: true, quality: 70 });
    expect(auto.select(flatFrame(64, 36, 0), 0, { supported: IMAGE_FORMATS })).toMatchObject({ format: 'webp', lossless: false });

    const tiff = registry.create(c, 'tiff', { compression: 'lzw' });
    expect(tiff).toBeInstanceOf(FixedFormatSelector);
    expect(await tiff.select(flatFrame(8, 8, 0), 0, { supported: IMAGE_FORMATS })).toMatchObject({ options: { compression: 'lzw' } });
  });

  it('rejects bad options when the selector is created', () => {
    const c = createUpframeContainer({ logger: silentLogger });
    register(c);
    const registry = c.resolve(TOKENS.FormatSelectors);
    expect(() => registry.create(c, 'auto', { perFrame: 'sometimes' })).toThrow(UpframeError);
    expect(() => registry.create(c, 'png', { compressionLevel: 12 })).toThrow(/from 0 to 9/);
  });
});
