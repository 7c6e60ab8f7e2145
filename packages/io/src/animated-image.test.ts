import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, type Frame, type SourceInfo } from '@upframe/core';
import { AnimatedImageSink } from './animated-image-sink.js';
import { AnimatedImageSource } from './animated-image-source.js';
import { probeAnimation } from './animation-probe.js';
import { readApngControl } from './apng-chunks.js';
import { apngDelay } from './apng-writer.js';
import { detectInputKind, outputKindFor } from './input-kind.js';
import { availableFfmpegs, tempDir } from './test-support/fixtures.js';
import { GIF_DELAYS_MS, makeApng, makeOpaqueGif, makeSharpAnimation, ptsOf } from './test-support/animations.js';
import { writeImage } from './test-support/images.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('upframe-anim-')));
afterAll(() => cleanup());

async function readAll(input: string, extra?: Record<string, unknown>): Promise<{ info: SourceInfo; frames: Frame[] }> {
  const source = new AnimatedImageSource({ input, extra }, createMemoryLogger());
  const info = await source.open();
  const frames: Frame[] = [];
  for await (const frame of source.frames()) frames.push({ ...frame, data: Buffer.from(frame.data) });
  await source.dispose();
  return { info, frames };
}

async function writeAll(output: string, info: SourceInfo, frames: readonly Frame[]) {
  const sink = new AnimatedImageSink({ output }, createMemoryLogger());
  await sink.open({ source: info, width: info.width, height: info.height, layout: info.layout });
  for (const frame of frames) await sink.write(frame);
  const result = await sink.close();
  await sink.dispose();
  return result;
}

describe('animated GIF, WebP and APNG are sequences', () => {
  it('a GIF gives every frame, each at the sum of the delays before it (ms), and is opaque when its pixels are', async () => {
    const gif = await makeOpaqueGif(dir);
    const { info, frames } = await readAll(gif);
    expect(info).toMatchObject({ kind: 'animation', width: 24, height: 16, frameCount: 10, frameCountExact: true, variableFrameRate: true, timeBase: { num: 1, den: 1000 } });
    // ffmpeg decodes GIF to bgra, sharp reports an alpha channel: the pixels say there is no transparency.
    expect(info.layout).toBe('rgb24');
    expect(frames.map((f) => f.index)).toEqual([...Array(10).keys()]);
    expect(frames.map((f) => f.pts)).toEqual(ptsOf(GIF_DELAYS_MS));
    expect(frames.map((f) => f.duration)).toEqual(GIF_DELAYS_MS);
    expect(frames.every((f) => f.layout === 'rgb24' && f.data.length === 24 * 16 * 3)).toBe(true);
    // Frames differ (testsrc moves): none was repeated in place of another.
    expect(new Set(frames.map((f) => Buffer.from(f.data).toString('base64'))).size).toBe(10);
  });

  it('a transparent GIF is RGBA; a WebP keeps order, delays and its play count through source and sink', async () => {
    const clearGif = await makeSharpAnimation(join(dir, 'clear.gif'), 'gif', [50, 50, 50]);
    expect((await readAll(clearGif)).info.layout).toBe('rgb24');
    const holeGif = await makeSharpAnimation(join(dir, 'hole.gif'), 'gif', [50, 50, 50], { clear: true });
    const hole = await readAll(holeGif);
    expect(hole.info.layout).toBe('rgba');
    expect(hole.frames[0].data[3]).toBe(0);

    const delays = [40, 120, 80, 200];
    const webp = await makeSharpAnimation(join(dir, 'anim.webp'), 'webp', delays, { loop: 3, clear: true });
    const { info, frames } = await readAll(webp);
    expect(info.layout).toBe('rgba');
    expect(info.details).toMatchObject({ animationFormat: 'webp', plays: 3 });
    expect(frames.map((f) => f.pts)).toEqual(ptsOf(delays));
    expect(frames.map((f) => f.data[4])).toEqual([0, 20, 40, 60]);

    for (const ext of ['webp', 'png', 'gif']) {
      const out = join(dir, `copy.${ext}`);
      const result = await writeAll(out, info, frames);
      expect(result.framesWritten).toBe(4);
      const back = await probeAnimation(out);
      expect(back).toMatchObject({ width: 20, height: 12, plays: 3, durations: delays });
      const again = await readAll(out);
      expect(again.info.layout).toBe('rgba');
      expect(again.frames.map((f) => f.data[3])).toEqual([0, 0, 0, 0]);
      if (ext !== 'gif') expect(again.frames.map((f) => f.data[4])).toEqual([0, 20, 40, 60]);
      if (ext === 'gif') expect(result.warnings?.join('\n')).toMatch(/GIF stores 256 colours per frame and 1-bit transparency/);
    }
  });

  it('GIF and WebP encoders merge a repeated frame into the one before: said in a warning; APNG keeps every frame', async () => {
    const webp = await makeSharpAnimation(join(dir, 'three.webp'), 'webp', [100, 200, 300]);
    const { info, frames } = await readAll(webp);
    const repeated = [frames[0], { ...frames[1], data: frames[0].data }, frames[2]];
    for (const ext of ['gif', 'webp']) {
      const out = join(dir, `repeat.${ext}`);
      const result = await writeAll(out, info, repeated);
      const back = await probeAnimation(out);
      expect(back?.durations).toEqual([300, 300]);
      expect(result.warnings?.join('\n')).toMatch(/merged 1 frame\(s\) identical to the frame before into it \(delays added, timing unchanged\): it holds 2 of the 3 frames written/);
    }
    const apng = join(dir, 'repeat.png');
    const kept = await writeAll(apng, info, repeated);
    expect(readApngControl(await readFile(apng))).toMatchObject({ frames: 3, delays: [{ num: 100, den: 1000 }, { num: 200, den: 1000 }, { num: 300, den: 1000 }] });
    expect(kept.warnings ?? []).toEqual([]);
  });

  it('a GIF cut short is read up to its last readable frame, and a warning says frames after it are lost', async () => {
    const gif = await makeOpaqueGif(dir, 'whole.gif');
    const bytes = await readFile(gif);
    const cut = join(dir, 'cut.gif');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const { info, frames } = await readAll(cut);
    expect(info.frameCount).toBe(frames.length);
    expect(frames.length).toBeLessThan(10);
    expect(info.warnings?.join('\n')).toMatch(/cut\.gif is cut short \(it ends without the GIF trailer\): its \d+ readable frame\(s\) are upscaled \(the last may be incomplete\); any frames after them are lost/);
    expect((await readAll(gif)).info.warnings).toBeUndefined();
  });

  it('a single-frame output is a still image of that format', async () => {
    const webp = await makeSharpAnimation(join(dir, 'two.webp'), 'webp', [100, 100]);
    const { info, frames } = await readAll(webp);
    const out = join(dir, 'one.png');
    await writeAll(out, { ...info, frameCount: 1 }, frames.slice(0, 1));
    expect(await probeAnimation(out)).toBeUndefined();
    expect(readApngControl(await readFile(out))).toBeUndefined();
    expect((await sharp(out).metadata()).width).toBe(20);
  });

  it('APNG delays fit its 16-bit fractions exactly in milliseconds where they can', () => {
    expect(apngDelay(40)).toEqual({ num: 40, den: 1000 });
    expect(apngDelay(70000)).toEqual({ num: 7000, den: 100 });
  });

  it('input and output kinds: animations by content, still WebP/PNG stay images', async () => {
    const still = join(dir, 'still.webp');
    await writeImage(still, 8, 8, { format: 'webp' });
    const stillPng = join(dir, 'still.png');
    await writeImage(stillPng, 8, 8);
    const webp = await makeSharpAnimation(join(dir, 'kind.webp'), 'webp', [100, 100]);
    const oneFrameGif = await makeSharpAnimation(join(dir, 'single.gif'), 'gif', [100]);
    expect(await detectInputKind(webp)).toBe('animation');
    expect(await detectInputKind(oneFrameGif)).toBe('animation');
    expect(await detectInputKind(still)).toBe('image');
    expect(await detectInputKind(stillPng)).toBe('image');
    expect(outputKindFor('out.png', 'animation')).toBe('animation');
    expect(outputKindFor('out.webp', 'animation')).toBe('animation');
    expect(outputKindFor('out.jpg', 'animation')).toBe('image');
    expect(outputKindFor('out.png', 'image')).toBe('image');
    expect(outputKindFor('out.mp4', 'animation')).toBe('video');
  });
});

describe.each(await availableFfmpegs())('APNG with $label', ({ ffmpegPath, ffprobePath }) => {
  const extra = { ffmpegPath, ffprobePath };

  it('every frame with its own delay; opaque pixels make RGB; plays survive a round trip', async () => {
    const apng = await makeApng(dir, `opaque-${ffmpegPath.length}.png`, { plays: 2 });
    expect(await detectInputKind(apng)).toBe('animation');
    const { info, frames } = await readAll(apng, extra);
    expect(info).toMatchObject({ layout: 'rgb24', frameCount: 10, details: { animationFormat: 'apng', plays: 2 } });
    expect(frames.map((f) => f.pts)).toEqual(ptsOf(GIF_DELAYS_MS));
    expect(frames.at(-1)!.duration).toBe(300);
    const out = join(dir, `copy-${ffmpegPath.length}.apng`);
    await writeAll(out, info, frames);
    expect(readApngControl(await readFile(out))).toMatchObject({ frames: 10, plays: 2 });
    const back = await readAll(out, extra);
    expect(back.frames.map((f) => f.pts)).toEqual(ptsOf(GIF_DELAYS_MS));
    expect(back.frames.map((f) => Buffer.from(f.data).equals(frames[f.index].data))).toEqual(Array(10).fill(true));
  });

  it('real transparency makes RGBA', async () => {
    const apng = await makeApng(dir, `clear-${ffmpegPath.length}.png`, { transparent: true });
    const { info, frames } = await readAll(apng, extra);
    expect(info.layout).toBe('rgba');
    expect(info.details).toMatchObject({ transparentFrame: 0 });
    expect(frames[0].data[3]).toBe(0);
    expect(frames[0].data[4 * 5 + 3]).toBe(255);
  });
});
