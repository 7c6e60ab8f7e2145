import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, IMAGE_FORMATS, type SinkResult, type UpframeError } from '@upframe/core';
import { ImageSink } from './image-sink.js';
import { ImageSource } from './image-source.js';
import { writableImageFormats } from './image-formats.js';
import { tempDir } from './test-support/fixtures.js';
import { fixedSelector, writeImage } from './test-support/images.js';
import { meanSquaredError } from './test-support/media.js';

let dir: string;
let cleanup: () => Promise<void>;
let rgbPng: string;
let rgbaPng: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  rgbPng = join(dir, 'rgb.png');
  rgbaPng = join(dir, 'rgba.png');
  await writeImage(rgbPng, 40, 30);
  await writeImage(rgbaPng, 40, 30, { alpha: true });
});
afterAll(() => cleanup());

async function readBack(file: string) {
  const source = new ImageSource({ input: file }, createMemoryLogger());
  const info = await source.open();
  const frames = [];
  for await (const frame of source.frames()) frames.push(frame);
  return { info, frame: frames[0], count: frames.length };
}

async function copyImage(input: string, output: string, options: { extra?: Record<string, unknown>; selector?: ReturnType<typeof fixedSelector>; overwrite?: boolean } = {}): Promise<SinkResult> {
  const { info, frame } = await readBack(input);
  const sink = new ImageSink({ output, extra: options.extra, formatSelector: options.selector, overwrite: options.overwrite }, createMemoryLogger());
  try {
    await sink.open({ source: info, width: info.width, height: info.height, layout: info.layout });
    await sink.write(frame);
    return await sink.close();
  } finally {
    await sink.dispose();
  }
}

describe('ImageSource', () => {
  it('reads one frame with its size, layout and bit depth', async () => {
    const { info, frame, count } = await readBack(rgbaPng);
    expect(info).toMatchObject({ kind: 'image', width: 40, height: 30, layout: 'rgba', bitDepth: 8, frameCount: 1 });
    expect(count).toBe(1);
    expect(frame.data.length).toBe(40 * 30 * 4);
    expect(frame.sourceName).toBe('rgba.png');
  });

  it('applies EXIF orientation so width and height are what is shown', async () => {
    const rotated = join(dir, 'exif.jpg');
    await sharp(await sharp(rgbPng).raw().toBuffer(), { raw: { width: 40, height: 30, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(rotated);
    const { info, frame } = await readBack(rotated);
    expect([info.width, info.height]).toEqual([30, 40]);
    expect([frame.width, frame.height]).toEqual([30, 40]);
  });

  it('names the file when it is missing, empty or not an image', async () => {
    const bogus = join(dir, 'bogus.png');
    const empty = join(dir, 'empty.png');
    await writeFile(bogus, 'definitely not a png');
    await writeFile(empty, '');
    const open = (input: string) => new ImageSource({ input }, createMemoryLogger()).open().then(() => undefined, (e: unknown) => e as UpframeError);
    expect(await open(join(dir, 'none.png'))).toMatchObject({ code: 'INPUT_NOT_FOUND' });
    expect(await open(empty)).toMatchObject({ code: 'INPUT_INVALID', file: empty });
    expect(await open(bogus)).toMatchObject({ code: 'INPUT_INVALID', file: bogus });
  });
});

describe('ImageSink round trips', () => {
  it('this sharp build writes every upframe image format', () => {
    expect(writableImageFormats()).toEqual([...IMAGE_FORMATS]);
  });

  it.each([
    ['png', 0],
    ['webp', 0],
    ['tiff', 0],
    ['avif', 2],
    ['jpg', 20],
  ])('%s keeps size and pixels (mean squared error ≤ %d)', async (ext, maxError) => {
    const output = join(dir, `round.${ext}`);
    const result = await copyImage(rgbPng, output);
    expect(result).toMatchObject({ output, framesWritten: 1 });
    const [a, b] = [await readBack(rgbPng), await readBack(output)];
    expect([b.info.width, b.info.height, b.info.layout]).toEqual([40, 30, 'rgb24']);
    expect(meanSquaredError(a.frame.data, b.frame.data)).toBeLessThanOrEqual(maxError);
  });

  it.each(['png', 'webp', 'tiff', 'avif'])('keeps the alpha channel in %s', async (ext) => {
    const output = join(dir, `alpha.${ext}`);
    await copyImage(rgbaPng, output);
    const [a, b] = [await readBack(rgbaPng), await readBack(output)];
    expect(b.info.layout).toBe('rgba');
    const alpha = (d: Uint8Array) => d.filter((_, i) => i % 4 === 3);
    expect(meanSquaredError(alpha(a.frame.data), alpha(b.frame.data))).toBeLessThanOrEqual(2);
  });

  it('an RGBA PNG whose every pixel is opaque goes to JPEG: transparency is read from the pixels', async () => {
    const opaque = join(dir, 'opaque-rgba.png');
    await sharp(await sharp(rgbPng).raw().toBuffer(), { raw: { width: 40, height: 30, channels: 3 } }).ensureAlpha().png().toFile(opaque);
    const { info } = await readBack(opaque);
    expect(info.layout).toBe('rgba');
    expect(info.details).toMatchObject({ alphaUnused: true });
    expect((await readBack(rgbaPng)).info.details?.alphaUnused).toBeUndefined();
    const result = await copyImage(opaque, join(dir, 'opaque.jpg'));
    expect(result.notes?.join('\n')).toMatch(/alpha channel left out of jpeg: every pixel of the input is opaque/);
    const back = await readBack(join(dir, 'opaque.jpg'));
    const original = await readBack(rgbPng);
    expect(back.info.layout).toBe('rgb24');
    expect(meanSquaredError(back.frame.data, original.frame.data)).toBeLessThan(20);
  });

  it('refuses RGBA into JPEG before any work, and flattens only when asked', async () => {
    const refused = await copyImage(rgbaPng, join(dir, 'alpha.jpg')).then(() => undefined, (e: unknown) => e as UpframeError);
    expect(refused).toMatchObject({ code: 'USAGE' });
    expect(refused?.hint).toMatch(/--alpha drop/);
    expect(refused?.message).toContain(rgbaPng);
    expect((await readdir(dir)).includes('alpha.jpg')).toBe(false);
    const result = await copyImage(rgbaPng, join(dir, 'flat.jpg'), { extra: { flattenAlpha: '#ffffff' } });
    expect(result.notes?.join('\n')).toMatch(/alpha flattened onto #ffffff/);
    expect((await readBack(join(dir, 'flat.jpg'))).info.layout).toBe('rgb24');
  });

  it('uses the selector when the output names no format, and the extension when it does', async () => {
    const selector = fixedSelector('webp');
    const bare = await copyImage(rgbPng, join(dir, 'chosen'), { selector });
    expect(bare.output).toBe(join(dir, 'chosen.webp'));
    expect((await sharp(bare.output).metadata()).format).toBe('webp');
    expect(selector.calls[0].supported).toContain('avif');
    const named = await copyImage(rgbPng, join(dir, 'named.png'), { selector: fixedSelector('webp') });
    expect((await sharp(named.output).metadata()).format).toBe('png');
    expect(named.notes?.join('\n')).toMatch(/picked webp, but the output extension asks for png/);
    const fallback = await copyImage(rgbPng, join(dir, 'plain'));
    expect(fallback.output).toBe(join(dir, 'plain.png'));
  });

  it('refuses an existing output and the input itself', async () => {
    const existing = join(dir, 'exists.png');
    await writeFile(existing, 'x');
    expect(await copyImage(rgbPng, existing).catch((e: UpframeError) => e.code)).toBe('OUTPUT_EXISTS');
    expect((await copyImage(rgbPng, existing, { overwrite: true })).framesWritten).toBe(1);
    expect(await copyImage(rgbPng, rgbPng, { overwrite: true }).catch((e: UpframeError) => e.code)).toBe('OUTPUT_SAME_AS_INPUT');
    expect((await readdir(dir)).filter((n) => n.includes('upframe-tmp'))).toEqual([]);
  });
});
