import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '@upframe/core';
import { FfmpegSource } from './ffmpeg-source.js';
import type { VideoSourceDetails } from './video-probe.js';
import { availableFfmpegs, cutFile, ffmpeg, makeClip, makeVfrClip, rotate, tempDir } from './test-support/fixtures.js';
import { decodeAll, meanSquaredError } from './test-support/media.js';

let dir: string;
let cleanup: () => Promise<void>;
const clips: Record<string, string> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const [plain, vfr, tenBit, odd, alpha, long] = await Promise.all([
    makeClip(dir, 'plain.mp4', { audio: true, subtitles: true }),
    makeVfrClip(dir, 'vfr.mkv'),
    makeClip(dir, 'ten.mkv', { pixFmt: 'yuv420p10le', seconds: 0.5 }),
    makeClip(dir, 'odd.mp4', { size: '63x47', pixFmt: 'yuv444p', seconds: 0.5 }),
    makeClip(dir, 'alpha.mov', { seconds: 0.5, codec: ['-vf', 'format=rgba,colorchannelmixer=aa=0.5', '-c:v', 'png'], pixFmt: 'rgba' }),
    makeClip(dir, 'long.mkv', { size: '320x240', rate: 25, seconds: 20 }),
  ]);
  Object.assign(clips, { plain, vfr, tenBit, odd, alpha, long });
  clips.rotated = await rotate(plain, join(dir, 'rotated.mp4'), 90);
  const faststart = await makeClip(dir, 'fast.mp4', { seconds: 2, extraOutput: ['-movflags', '+faststart'] });
  clips.truncated = await cutFile(faststart, join(dir, 'truncated.mp4'), 0.5);
  const fullMkv = await makeClip(dir, 'full.mkv', { seconds: 2 });
  clips.truncatedMkv = await cutFile(fullMkv, join(dir, 'truncated.mkv'), 0.5);
});
afterAll(() => cleanup());

describe('FfmpegSource probing', () => {
  it('describes a clip with audio and subtitles', async () => {
    const source = new FfmpegSource({ input: clips.plain }, createMemoryLogger());
    const info = await source.open();
    const details = info.details as unknown as VideoSourceDetails;
    expect(info).toMatchObject({ kind: 'video', width: 64, height: 48, layout: 'rgb24', frameRate: { num: 10, den: 1 }, variableFrameRate: false, frameCount: 15, bitDepth: 8 });
    expect(details.audio.map((a) => a.codec)).toEqual(['aac']);
    expect(details.subtitles.map((s) => s.codec)).toEqual(['mov_text']);
    await source.dispose();
  });

  it('times the picked stream when it is not the first video stream (the second one is the default)', async () => {
    // The packet listing starts for the first video stream before the streams are read; here that
    // is a 3-frame thumbnail track, so the 12 frames must come from a second listing of the default one.
    const file = join(dir, 'second-default.mkv');
    await ffmpeg(['-f', 'lavfi', '-i', 'color=red:size=32x32:rate=12:duration=0.25', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=12:duration=1', '-map', '0:v', '-map', '1:v', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-disposition:v:0', '0', '-disposition:v:1', 'default', file]);
    const { frames, source } = await decodeAll(file);
    const details = (await source.open()).details as unknown as VideoSourceDetails;
    expect(details.streamIndex).toBe(1);
    expect(frames.length).toBe(12);
    expect([frames[0]!.width, frames[0]!.height]).toEqual([64, 48]);
  });

  it('detects variable frame rate and counts frames without nb_frames (Matroska)', async () => {
    const info = await new FfmpegSource({ input: clips.vfr }, createMemoryLogger()).open();
    expect(info.variableFrameRate).toBe(true);
    expect(info.frameCount).toBe(20);
  });

  it('reports 10-bit sources, odd sizes and alpha', async () => {
    const ten = await new FfmpegSource({ input: clips.tenBit }, createMemoryLogger()).open();
    expect(ten).toMatchObject({ bitDepth: 10, layout: 'rgb48' });
    const odd = await new FfmpegSource({ input: clips.odd }, createMemoryLogger()).open();
    expect([odd.width, odd.height]).toEqual([63, 47]);
    const alpha = await new FfmpegSource({ input: clips.alpha }, createMemoryLogger()).open();
    expect(alpha.layout).toBe('rgba');
  });

  it('swaps width and height for a 90° display rotation', async () => {
    const info = await new FfmpegSource({ input: clips.rotated }, createMemoryLogger()).open();
    expect([info.width, info.height]).toEqual([48, 64]);
    expect((info.details as unknown as VideoSourceDetails).rotation % 180).toBe(90);
  });
});

describe('FfmpegSource decoding', () => {
  it.each([['plain', 15], ['vfr', 20], ['tenBit', 5], ['odd', 5]])('emits every frame of %s once, with its pts', async (name, count) => {
    const { frames, source } = await decodeAll(clips[name]);
    const info = await source.open();
    expect(frames).toHaveLength(count);
    expect(frames.map((f) => f.index)).toEqual([...Array(count).keys()]);
    for (const f of frames) expect(f.data.length).toBe(info.width * info.height * 3 * (info.layout === 'rgb48' ? 2 : 1));
    const gaps = frames.slice(1).map((f, i) => f.pts - frames[i].pts);
    expect(gaps.every((g) => g > 0)).toBe(true);
    // Consecutive testsrc frames differ (the counter changes): nothing was duplicated.
    if (name !== 'vfr') expect(frames.slice(1).every((f, i) => meanSquaredError(f.data, frames[i].data) > 0)).toBe(true);
  });

  it('keeps variable frame timing: 8 frames at 0.1 s then 0.04 s', async () => {
    const { frames } = await decodeAll(clips.vfr);
    const seconds = frames.map((f) => (f.pts * f.timeBase.num) / f.timeBase.den);
    expect(seconds[7]).toBeCloseTo(0.7, 3);
    expect(seconds[8]).toBeCloseTo(0.8, 3);
    expect(seconds[19]).toBeCloseTo(1.24, 3);
  });

  it('decodes the same frames and timestamps with every available ffmpeg', async () => {
    const builds = await availableFfmpegs();
    const results = await Promise.all(builds.map((b) => decodeAll(clips.vfr, { ffmpegPath: b.ffmpegPath, ffprobePath: b.ffprobePath })));
    for (const { frames } of results) {
      expect(frames).toHaveLength(20);
      expect(frames.map((f) => f.pts)).toEqual(results[0].frames.map((f) => f.pts));
      frames.forEach((f, i) => expect(meanSquaredError(f.data, results[0].frames[i].data)).toBeLessThan(4));
    }
  });

  it('turns frames upright according to the rotation', async () => {
    const [{ frames: upright }, { frames: plain }] = await Promise.all([decodeAll(clips.rotated), decodeAll(clips.plain)]);
    const [w, h] = [64, 48];
    const turn = (src: Uint8Array, clockwise: boolean) => {
      const out = Buffer.alloc(src.length);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const [nx, ny] = clockwise ? [h - 1 - y, x] : [y, w - 1 - x];
          src.subarray((y * w + x) * 3, (y * w + x) * 3 + 3).forEach((v, c) => (out[(ny * h + nx) * 3 + c] = v));
        }
      return out;
    };
    const error = Math.min(meanSquaredError(upright[0].data, turn(plain[0].data, true)), meanSquaredError(upright[0].data, turn(plain[0].data, false)));
    expect(error).toBeLessThan(10);
    expect(meanSquaredError(upright[0].data, plain[0].data)).toBeGreaterThan(error * 10 + 100);
  });

  it('emits rgba with the alpha plane intact', async () => {
    const { frames } = await decodeAll(clips.alpha);
    expect(frames[0].layout).toBe('rgba');
    const alphas = new Set(frames[0].data.filter((_, i) => i % 4 === 3));
    expect([...alphas].every((a) => Math.abs(a - 128) <= 1)).toBe(true);
  });

  it.each([
    ['truncated', 'an MP4 whose index promises 20 frames'],
    ['truncatedMkv', 'a Matroska file that ends mid-stream'],
  ])('decodes what %s holds and reports fewer frames than expected (%s)', async (name) => {
    const { frames, source, logger } = await decodeAll(clips[name]);
    const info = await source.open();
    expect((info.details as unknown as VideoSourceDetails).truncated).toBe(true);
    expect(info.frameCountExact).toBe(true);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(info.frameCount!);
    expect(info.frameCount).toBeGreaterThanOrEqual(18);
    expect(info.frameCount).toBeLessThanOrEqual(20);
    expect(source.framesDecoded).toBe(frames.length);
    expect(logger.messages.some((m) => m.level === 'warn' && /truncated/.test(m.message) && m.message.includes(clips[name]))).toBe(true);
  });

  it('does not call a complete file truncated', async () => {
    const info = await new FfmpegSource({ input: clips.long }, createMemoryLogger()).open();
    expect(info).toMatchObject({ frameCount: 500, frameCountExact: true, details: expect.objectContaining({ truncated: false }) });
  });
});
