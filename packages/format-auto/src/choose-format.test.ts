import { bytesOf16, IMAGE_FORMATS, UpframeError, type FormatContext } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { flatFrame, generateClass } from '../bench/content.mjs';
import { canvas } from '../bench/draw.mjs';
import { chooseFormat, type ChoicePolicy } from './choose-format.js';
import { analyseImage, type FrameAnalysis } from './frame-analysis.js';

const ALL: FormatContext = { supported: IMAGE_FORMATS };
const LOSSLESS: ChoicePolicy = { lossy: false, quality: 90, forUnseenFrames: true };
const LOSSY: ChoicePolicy = { lossy: true, quality: 80, forUnseenFrames: true };

const flat = analyseImage(flatFrame(512, 288, 0));
const flatAlpha = analyseImage(flatFrame(512, 288, 0, [50, 60, 70, 0]));
const flatAlphaClean = analyseImage(flatFrame(512, 288, 0, [0, 0, 0, 0]));
const opaqueRgba = analyseImage(flatFrame(512, 288, 0, [118, 178, 232, 255]));

describe('chooseFormat, lossless (the default)', () => {
  it('writes flat animation as lossless WebP tuned for flat content', () => {
    expect(chooseFormat(flat, ALL, LOSSLESS)).toMatchObject({ format: 'webp', lossless: true, options: { lossless: true, effort: 1, quality: 50 } });
  });

  it('writes photographs and noise as lossless WebP, with the cheaper window for noise', async () => {
    const [photo] = (await generateClass('photo', { frames: 1 })).frames;
    const [noisy] = (await generateClass('noisy', { frames: 1 })).frames;
    expect(chooseFormat(analyseImage(photo), ALL, LOSSLESS)).toMatchObject({ format: 'webp', lossless: true, options: { quality: 50 } });
    const noisyChoice = chooseFormat(analyseImage(noisy), ALL, LOSSLESS);
    expect(noisyChoice).toMatchObject({ format: 'webp', lossless: true, options: { lossless: true, effort: 1, quality: 1 } });
    expect(noisyChoice.reason).toContain('noisy');
  });

  it('keeps alpha with colour under transparent pixels in PNG, where WebP would zero that colour', () => {
    const choice = chooseFormat(flatAlpha, ALL, LOSSLESS);
    expect(choice).toMatchObject({ format: 'png', lossless: true, options: { compressionLevel: 8, adaptiveFiltering: false, palette: false } });
    expect(choice.reason).toContain('alpha in use');
    expect(choice.reason).toContain('not WebP because fully transparent pixels carry colour');
  });

  it('uses WebP for alpha when transparent pixels carry no colour', () => {
    expect(chooseFormat(flatAlphaClean, ALL, LOSSLESS)).toMatchObject({ format: 'webp', lossless: true });
  });

  it('falls back through PNG, TIFF and AVIF as the output allows', () => {
    expect(chooseFormat(flat, { supported: ['png', 'jpeg'] }, LOSSLESS)).toMatchObject({ format: 'png', lossless: true });
    expect(chooseFormat(flat, { supported: ['tiff', 'jpeg'] }, LOSSLESS)).toMatchObject({ format: 'tiff', options: { compression: 'deflate', predictor: 'none' } });
    expect(chooseFormat(flat, { supported: ['avif'] }, LOSSLESS)).toMatchObject({ format: 'avif', lossless: true, options: { lossless: true } });
  });

  it('never picks JPEG without permission, and says what to do', () => {
    let error: unknown;
    try {
      chooseFormat(flat, { supported: ['jpeg'] }, LOSSLESS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UpframeError);
    expect((error as UpframeError).code).toBe('USAGE');
    expect((error as UpframeError).message).toContain('can write jpeg, and none of them is lossless');
    expect((error as UpframeError).hint).toContain('--format-opt lossy=true');
    expect((error as UpframeError).hint).toContain('--quality 90');
    expect((error as UpframeError).hint).not.toMatch(/[{}]/);
  });

  it('writes a JPEG source back as JPEG at the source\'s quality when the output can only write JPEG', () => {
    const choice = chooseFormat(flat, { supported: ['jpeg'], sourceFormat: 'jpeg', sourceQuality: 72 }, LOSSLESS);
    expect(choice).toMatchObject({ format: 'jpeg', lossless: false, options: { quality: 72 } });
    expect(choice.reason).toContain("the source is jpeg and the output can only write jpeg, so jpeg at the source's estimated quality 72");
    expect(choice.reason).toContain('--quality N');
  });

  it('uses quality 90 for a JPEG source whose quality could not be estimated', () => {
    expect(chooseFormat(flat, { supported: ['jpeg'], sourceFormat: 'jpeg' }, LOSSLESS)).toMatchObject({ format: 'jpeg', options: { quality: 90 } });
  });

  it('still refuses JPEG for a lossless source (PNG in, .jpg out needs consent)', () => {
    expect(() => chooseFormat(flat, { supported: ['jpeg'], sourceFormat: 'png' }, LOSSLESS)).toThrow(/none of them is lossless/);
  });

  it('avoids WebP for frames beyond its 16383 px limit', () => {
    const huge: FrameAnalysis = { ...flat, width: 20_000, height: 200 };
    const choice = chooseFormat(huge, ALL, LOSSLESS);
    expect(choice.format).toBe('png');
    expect(choice.reason).toContain('16383');
  });

  it('keeps a high-bit-depth source in 16-bit PNG, not 8-bit lossless WebP', async () => {
    const { frames, sourceBitDepth } = await generateClass('hbd', { frames: 1, width: 256, height: 144 });
    const choice = chooseFormat(analyseImage(frames[0]), { supported: IMAGE_FORMATS, sourceBitDepth }, LOSSLESS);
    expect(choice).toMatchObject({ format: 'png', lossless: true });
    expect(choice.reason).toContain(`WebP stores 8 bits per sample and the source is ${sourceBitDepth}-bit`);
    expect(choice.reason).toContain(`16-bit png keeps the source's ${sourceBitDepth}-bit depth`);
  });

  it('judges a 16-bit image by its content like the same 8-bit image', () => {
    const eight = { width: 3, height: 1, channels: 3, data: Uint8Array.from([0, 10, 20, 200, 100, 50, 255, 255, 0]) };
    const sixteen = { ...eight, depth: 16 as const, data: bytesOf16(Uint16Array.from(eight.data, (v) => v * 257)) };
    expect(analyseImage(sixteen)).toEqual(analyseImage(eight));
  });
});

describe('chooseFormat, lossy allowed', () => {
  it('uses lossy WebP for flat content and JPEG for photographs and noise', async () => {
    expect(chooseFormat(flat, ALL, LOSSY)).toMatchObject({ format: 'webp', lossless: false, options: { quality: 80 } });
    const [photo] = (await generateClass('photo', { frames: 1 })).frames;
    expect(chooseFormat(analyseImage(photo), ALL, LOSSY)).toMatchObject({ format: 'jpeg', lossless: false, options: { quality: 80, mozjpeg: true } });
  });

  it('prefers JPEG for a high-bit-depth source, whose gradients lossy WebP bands more', () => {
    const choice = chooseFormat(flat, { supported: IMAGE_FORMATS, sourceBitDepth: 10 }, LOSSY);
    expect(choice.format).toBe('jpeg');
    expect(choice.reason).toContain('10-bit');
  });

  it('never uses JPEG when alpha is in use, and keeps alpha lossless inside lossy WebP', () => {
    expect(chooseFormat(flatAlpha, ALL, LOSSY)).toMatchObject({ format: 'webp', lossless: false, options: { alphaQuality: 100 } });
    expect(() => chooseFormat(flatAlpha, { supported: ['jpeg'] }, LOSSY)).toThrow(/none of them keeps the alpha channel/);
  });

  it('treats an opaque alpha channel as needed in a sequence, not in a single image', () => {
    expect(chooseFormat(opaqueRgba, { supported: ['jpeg', 'webp'] }, LOSSY).format).toBe('webp');
    expect(chooseFormat(opaqueRgba, { supported: ['jpeg', 'png'] }, { ...LOSSY, forUnseenFrames: false }).format).toBe('jpeg');
  });

  it('stays lossless when the output has no lossy format', () => {
    expect(chooseFormat(analyseImage(canvas(64, 64, [1, 2, 3])), { supported: ['png'] }, LOSSY)).toMatchObject({ format: 'png', lossless: true });
  });
});
