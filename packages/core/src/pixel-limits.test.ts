import { describe, expect, it } from 'vitest';
import type { SourceInfo } from './contracts/frame-source.js';
import { checkInputPixels, checkOutputPixels, DEFAULT_MAX_PIXELS, OUTPUT_PIXEL_FACTOR } from './pixel-limits.js';

const info = (width: number, height: number) => ({ path: '/in/x.png', width, height }) as SourceInfo;

describe('pixel limits', () => {
  it('let 8K UHD through by default and refuse a 16000×16000 header, naming the file, size and flag', () => {
    expect(() => checkInputPixels(info(7680, 4320))).not.toThrow();
    expect(() => checkInputPixels(info(16000, 16000))).toThrow(expect.objectContaining({
      code: 'LIMIT_EXCEEDED',
      file: '/in/x.png',
      message: expect.stringMatching(/16000×16000 \(256\.0 Mpx\), over the 40\.0 Mpx limit/),
      hint: expect.stringMatching(/--max-pixels 256M/),
    }));
  });

  it('apply the limit the caller raised or lowered', () => {
    expect(() => checkInputPixels(info(100, 100), 9_999)).toThrow(/over the 9999 px limit/);
    expect(() => checkInputPixels(info(16000, 16000), 300e6)).not.toThrow();
  });

  it(`allow outputs up to ${OUTPUT_PIXEL_FACTOR} × the input limit`, () => {
    const side = Math.floor(Math.sqrt(DEFAULT_MAX_PIXELS));
    expect(() => checkOutputPixels(info(side, side), 2)).not.toThrow();
    expect(() => checkOutputPixels(info(side, side), 3)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/x3 output would be/) }));
  });
});
