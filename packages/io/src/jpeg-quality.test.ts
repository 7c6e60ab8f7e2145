import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { estimateImageQuality, imageFormatOfSharp, readLumaTable } from './jpeg-quality.js';

const dir = mkdtempSync(join(tmpdir(), 'upframe-jpegq-'));

async function jpeg(quality: number, options: sharp.JpegOptions = {}): Promise<string> {
  const file = join(dir, `q${quality}-${options.mozjpeg ? 'moz' : 'ijg'}.jpg`);
  await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 180, g: 60, b: 20 } } }).jpeg({ quality, ...options }).toFile(file);
  return file;
}

describe('JPEG quality from the quantisation tables', () => {
  it.each([30, 50, 75, 90, 95, 100])('reads back libjpeg quality %i exactly', async (quality) => {
    expect(await estimateImageQuality(await jpeg(quality), 'jpeg')).toBe(quality);
  });

  it('gives a nearby quality for mozjpeg\'s own tables', async () => {
    const q = await estimateImageQuality(await jpeg(80, { mozjpeg: true }), 'jpeg');
    expect(q).toBeGreaterThanOrEqual(60);
    expect(q).toBeLessThanOrEqual(95);
  });

  it('is undefined for other formats and for bytes without a table', async () => {
    expect(await estimateImageQuality('/nonexistent.png', 'png')).toBeUndefined();
    expect(await estimateImageQuality(join(dir, 'missing.jpg'), 'jpeg')).toBeUndefined();
    expect(readLumaTable(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeUndefined();
    expect(readLumaTable(new Uint8Array([0x89, 0x50]))).toBeUndefined();
  });

  it('maps sharp format names onto image formats', () => {
    expect(imageFormatOfSharp('heif')).toBe('avif');
    expect(imageFormatOfSharp('jpeg')).toBe('jpeg');
    expect(imageFormatOfSharp('gif')).toBeUndefined();
  });
});
