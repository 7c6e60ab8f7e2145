import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { describeFormatSelectorContract } from '@upframe/plugin-kit';
import { IMAGE_FORMATS, isUpframeError, type Image } from '@upframe/core/plugin';
import { LOSSLESS_SETTINGS, parseSmallestOptions, type Candidate } from './smallest-options.js';
import { SmallestSelector } from './smallest-selector.js';

const ALL = { supported: IMAGE_FORMATS, frameCount: 2 };

/** Flat areas with hard edges (a cartoon) and noise (film grain): formats win on different content. */
function picture(kind: 'cartoon' | 'grain', width = 48, height = 32): Image {
  const data = new Uint8Array(width * height * 3);
  let seed = 7;
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const value = kind === 'cartoon' ? (x < width / 2 ? 40 : 220) : (seed >>> 24);
    data.set([value, kind === 'cartoon' ? 90 : value ^ 0x55, 255 - value], i * 3);
  }
  return { width, height, channels: 3, data };
}

async function encodedBytes(image: Image, format: Candidate): Promise<number> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  return (await sharp(image.data, { raw }).toFormat(format, LOSSLESS_SETTINGS[format]).toBuffer()).length;
}

describe('smallest format selector', () => {
  it.each(['cartoon', 'grain'] as const)('keeps the candidate that really encodes a %s frame smallest, and says by how much', async (kind) => {
    const image = picture(kind);
    const choice = await new SmallestSelector(parseSmallestOptions({})).select(image, 0, ALL);
    const [png, webp] = [await encodedBytes(image, 'png'), await encodedBytes(image, 'webp')];
    expect(choice.format).toBe(webp < png ? 'webp' : 'png');
    expect(choice).toMatchObject({ lossless: true, options: LOSSLESS_SETTINGS[choice.format as Candidate] });
    expect(choice.reason).toContain(`png ${png} B, webp ${webp} B`);
  });

  it('decides once, on the first frame, and keeps it for the sequence', async () => {
    const selector = new SmallestSelector(parseSmallestOptions({ candidates: 'tiff,png' }));
    await selector.initialize();
    const first = await selector.select(picture('cartoon'), 0, ALL);
    expect(await selector.select(picture('grain'), 1, ALL)).toBe(first);
    expect(selector.summary()).toMatch(new RegExp(`^${first.format} for 2 frame\\(s\\): smallest lossless encoding of frame 0`));
    await selector.dispose();
    await selector.dispose();
  });

  it('tries only candidates the output writes, and refuses an output that takes none of them', async () => {
    const selector = () => new SmallestSelector(parseSmallestOptions({}));
    expect((await selector().select(picture('grain'), 0, { supported: ['png', 'jpeg'] })).format).toBe('png');
    const refused = await selector().select(picture('grain'), 0, { supported: ['jpeg'] }).catch((e: unknown) => e);
    expect(isUpframeError(refused, 'USAGE')).toBe(true);
    expect((refused as Error).message).toMatch(/writes jpeg, none of the candidates png, webp/);
  });

  it('reads candidates from its options and refuses formats it cannot write losslessly, listing those it can', () => {
    expect(parseSmallestOptions({}).candidates).toEqual(['png', 'webp']);
    expect(parseSmallestOptions({ candidates: ' TIFF, png,tiff' }).candidates).toEqual(['tiff', 'png']);
    expect(() => parseSmallestOptions({ candidates: 'png,jpeg' })).toThrow(/candidates must list formats from png, webp, tiff, avif; got "png,jpeg"/);
    expect(() => parseSmallestOptions({ candidates: '' })).toThrow(/candidates must list/);
  });
});

// The kit's FormatSelector contract: choice shape, supported formats only, lossless and honest
// about it, one decision per sequence, deterministic, a summary sentence.
describeFormatSelectorContract(() => new SmallestSelector(parseSmallestOptions({})), { label: 'smallest (png,webp)', requiresLossless: true });
describeFormatSelectorContract(() => new SmallestSelector(parseSmallestOptions({ candidates: 'avif,tiff,webp,png' })), {
  label: 'smallest (every candidate, RGBA frames)',
  requiresLossless: true,
  channels: 4,
});
