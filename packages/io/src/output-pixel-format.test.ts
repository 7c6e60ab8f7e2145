import { describe, expect, it } from 'vitest';
import { parseEncoderPixelFormats } from './encoder-pixel-formats.js';
import { keepPixelFormat } from './output-pixel-format.js';
import { parsePlanarYuv, pixelFormatChroma } from './pixel-formats.js';

const X264 = ['yuv420p', 'yuvj420p', 'yuv422p', 'yuvj422p', 'yuv444p', 'yuvj444p', 'nv12', 'nv16', 'nv21', 'yuv420p10le', 'yuv422p10le', 'yuv444p10le', 'nv20le', 'gray', 'gray10le'];
const X265 = ['yuv420p', 'yuv422p', 'yuv444p', 'gbrp', 'yuv420p10le', 'yuv422p10le', 'yuv444p10le', 'gbrp10le', 'yuv420p12le', 'yuv422p12le', 'yuv444p12le', 'gbrp12le'];
const PRORES = ['yuv422p10le', 'yuv444p10le', 'yuva444p10le'];
const VP9 = ['yuv420p', 'yuva420p', 'yuv422p', 'yuv440p', 'yuv444p', 'yuv420p10le', 'yuv422p10le', 'yuv440p10le', 'yuv444p10le', 'yuv420p12le'];

describe('keepPixelFormat', () => {
  it('keeps the 8-bit 4:2:0 default exactly', () => {
    expect(keepPixelFormat('yuv420p', { bitDepth: 8, chroma: '4:2:0' }, X264)).toEqual({ pixelFormat: 'yuv420p' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 8, chroma: 'rgb' }, X264)).toEqual({ pixelFormat: 'yuv420p' });
  });

  it('keeps depth and chroma where the encoder can', () => {
    expect(keepPixelFormat('yuv420p', { bitDepth: 10, chroma: '4:2:0' }, X264)).toEqual({ pixelFormat: 'yuv420p10le' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 10, chroma: '4:2:2' }, X264)).toEqual({ pixelFormat: 'yuv422p10le' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 8, chroma: '4:4:4' }, X264)).toEqual({ pixelFormat: 'yuv444p' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 12, chroma: '4:2:0' }, X265)).toEqual({ pixelFormat: 'yuv420p12le' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 8, chroma: '4:4:0' }, VP9)).toEqual({ pixelFormat: 'yuv440p' });
  });

  it('rounds up to the nearest format that keeps everything (ProRes has no 8-bit or 4:2:0)', () => {
    expect(keepPixelFormat('yuv420p', { bitDepth: 8, chroma: '4:2:0' }, PRORES)).toEqual({ pixelFormat: 'yuv422p10le' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 9, chroma: '4:2:0' }, X265)).toEqual({ pixelFormat: 'yuv420p10le' });
  });

  it('keeps as much as it can and says what is lost', () => {
    expect(keepPixelFormat('yuv420p', { bitDepth: 16, chroma: 'rgb' }, X264)).toEqual({ pixelFormat: 'yuv420p10le', reduced: '16-bit 4:2:0 → 10-bit 4:2:0' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 10, chroma: '4:4:4' }, ['yuv420p'])).toEqual({ pixelFormat: 'yuv420p', reduced: '10-bit 4:4:4 → 8-bit 4:2:0' });
    // Depth is kept before chroma.
    expect(keepPixelFormat('yuv420p', { bitDepth: 10, chroma: '4:4:4' }, ['yuv420p10le', 'yuv444p'])).toEqual({ pixelFormat: 'yuv420p10le', reduced: '10-bit 4:4:4 → 10-bit 4:2:0' });
  });

  it('keeps alpha formats among alpha formats', () => {
    expect(keepPixelFormat('yuva420p', { bitDepth: 10, chroma: '4:2:0' }, VP9)).toEqual({ pixelFormat: 'yuva420p', reduced: '10-bit 4:2:0 → 8-bit 4:2:0' });
    expect(keepPixelFormat('yuva444p10le', { bitDepth: 8, chroma: 'rgb' }, PRORES)).toEqual({ pixelFormat: 'yuva444p10le' });
  });

  it('leaves the default alone when the encoder lists nothing usable', () => {
    expect(keepPixelFormat('yuv420p', { bitDepth: 10, chroma: '4:2:2' }, undefined)).toEqual({ pixelFormat: 'yuv420p', reduced: '10-bit 4:2:2 → 8-bit 4:2:0' });
    expect(keepPixelFormat('yuv420p', { bitDepth: 10, chroma: '4:2:2' }, ['gray'])).toEqual({ pixelFormat: 'yuv420p' });
  });
});

describe('pixel format names', () => {
  it('reads chroma subsampling and planar YUV parts from the name', () => {
    expect(['yuv420p10le', 'p010le', 'yuv422p10le', 'yuv444p12le', 'gbrp10le', 'rgb48be', 'gray16le', 'yuvj422p', 'yuv440p'].map(pixelFormatChroma)).toEqual(['4:2:0', '4:2:0', '4:2:2', '4:4:4', 'rgb', 'rgb', 'gray', '4:2:2', '4:4:0']);
    expect(parsePlanarYuv('yuva444p16le')).toEqual({ name: 'yuva444p16le', chroma: '4:4:4', bitDepth: 16, alpha: true });
    expect(parsePlanarYuv('yuv420p')).toMatchObject({ bitDepth: 8, alpha: false });
    expect(parsePlanarYuv('yuv420p10be')).toBeUndefined();
    expect(parsePlanarYuv('nv12')).toBeUndefined();
  });

  it("parses ffmpeg's encoder help", () => {
    expect(parseEncoderPixelFormats('Encoder mpeg4 [MPEG-4 part 2]:\n    Supported pixel formats: yuv420p\nmpeg4 AVOptions:')).toEqual(['yuv420p']);
    expect(parseEncoderPixelFormats('Codec \'x\' is not recognized by FFmpeg.')).toBeUndefined();
  });
});
