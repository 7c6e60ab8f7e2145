import { describe, expect, it } from 'vitest';
import { flatFrame, generateClass } from '../bench/content.mjs';
import { addNoise, canvas } from '../bench/draw.mjs';
import { classify } from './content-class.js';
import { analyseImage, mergeAnalyses } from './frame-analysis.js';

describe('analyseImage: alpha', () => {
  it('tells an opaque alpha channel from one in use, however small the transparent area', () => {
    const img = canvas(640, 360, [10, 20, 30, 255]);
    expect(analyseImage(img)).toMatchObject({ alphaChannel: true, alphaUsed: false, hiddenColour: false });
    // One pixel in the last row: the colour sample would miss it, the alpha scan must not.
    img.data[img.data.length - 1] = 254;
    expect(analyseImage(img)).toMatchObject({ alphaChannel: true, alphaUsed: true, hiddenColour: false });
  });

  it('notices colour hidden under fully transparent pixels', () => {
    const img = canvas(64, 64, [10, 20, 30, 255]);
    img.data.set([0, 0, 0, 0], 100 * 4);
    expect(analyseImage(img).hiddenColour).toBe(false);
    img.data.set([9, 0, 0, 0], 200 * 4);
    expect(analyseImage(img)).toMatchObject({ alphaUsed: true, hiddenColour: true });
  });

  it('reports no alpha for RGB', () => {
    expect(analyseImage(canvas(32, 32, [1, 2, 3]))).toMatchObject({ alphaChannel: false, alphaUsed: false });
  });
});

describe('analyseImage: content', () => {
  it('sees flat animation as flat, photographs as photographic, grain as noisy', async () => {
    const flat = analyseImage(flatFrame(512, 288, 3));
    expect(flat.runFraction).toBeGreaterThan(0.9);
    expect(flat.distinctColours).toBeLessThan(1000);
    expect(classify(flat)).toBe('flat');

    const [photo] = (await generateClass('photo', { frames: 1 })).frames;
    const photoAnalysis = analyseImage(photo);
    expect(photoAnalysis.runFraction).toBeLessThan(0.5);
    expect(classify(photoAnalysis)).toBe('photographic');
    expect(classify(analyseImage(addNoise(photo, 6, 1)))).toBe('noisy');
  });

  it('classifies gradients from a 16-bit source as photographic, not flat', async () => {
    const { frames } = await generateClass('hbd', { frames: 2, width: 256, height: 144 });
    for (const frame of frames) expect(classify(analyseImage(frame))).toBe('photographic');
  });

  it('samples a bounded number of pixels whatever the frame size', () => {
    const big = analyseImage(canvas(3840, 2160, [0, 0, 0]));
    expect(big.samples).toBeLessThanOrEqual(48 * 384);
    expect(big.samples).toBeGreaterThan(10_000);
    expect(analyseImage(canvas(2, 2, [0, 0, 0])).samples).toBe(0);
  });
});

describe('mergeAnalyses', () => {
  it('ORs alpha facts and takes the median of measurements', () => {
    const flat = analyseImage(flatFrame(256, 144, 0));
    const noisy = analyseImage(addNoise(flatFrame(256, 144, 1), 12, 2));
    const withAlpha = analyseImage(flatFrame(256, 144, 2, [0, 0, 0, 0]));
    const merged = mergeAnalyses([flat, noisy, withAlpha]);
    expect(merged.alphaUsed).toBe(true);
    expect(merged.channels).toBe(4);
    // Two of three frames are flat, so the typical frame is flat.
    expect(classify(merged)).toBe('flat');
    expect(() => mergeAnalyses([])).toThrow(RangeError);
  });
});
