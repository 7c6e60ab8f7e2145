import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { samples16 } from '@upframe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegBinaries } from './ffmpeg-binaries.js';
import { encoderPixelFormats } from './encoder-pixel-formats.js';
import { availableFfmpegs, ffmpeg, tempDir } from './test-support/fixtures.js';
import { decodeAll, probeJson } from './test-support/media.js';
import { passThrough } from './test-support/pass-through.js';

let dir: string;
let cleanup: () => Promise<void>;
let builds: Awaited<ReturnType<typeof availableFfmpegs>>;
let deep: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  builds = await availableFfmpegs();
  deep = join(dir, 'deep422.mkv');
  // 10-bit 4:2:2 with a gentle ramp: most neighbouring levels differ by less than one 8-bit step.
  await ffmpeg(['-f', 'lavfi', '-i', "nullsrc=s=64x48:d=0.2:r=10,format=yuv422p10le,geq=lum='400+X+Y':cb='480+X':cr=500", '-c:v', 'ffv1', deep]);
});
afterAll(() => cleanup());

/** The Y plane of the first frame, at 10 bits (the bytes as they are: runTool would decode them as text). */
function lumaOf(file: string, ffmpegPath: string): Uint16Array {
  const r = spawnSync(ffmpegPath, ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'yuv422p10le', '-'], { maxBuffer: 1 << 24 });
  expect(r.status, String(r.stderr)).toBe(0);
  const bytes = Uint8Array.from(r.stdout);
  expect(bytes.length).toBe(64 * 48 * 2 * 2);
  return new Uint16Array(bytes.buffer, 0, 64 * 48);
}

describe('10-bit video through source and sink, on every ffmpeg', () => {
  it('decodes 10-bit video into 16-bit frames whose levels are not rounded to 8 bits', async () => {
    const { frames, source } = await decodeAll(deep);
    const info = await source.open();
    expect(info).toMatchObject({ layout: 'rgb48', bitDepth: 10, chroma: '4:2:2', pixelFormat: 'yuv422p10le' });
    expect(frames[0].layout).toBe('rgb48');
    expect(frames[0].data.length).toBe(64 * 48 * 3 * 2);
    const g = samples16(frames[0].data).filter((_, i) => i % 3 === 1);
    expect(g.filter((v) => v % 257 !== 0).length).toBeGreaterThan(g.length / 2);
  });

  it('keeps 10-bit 4:2:2 by default and carries every level through the sink', async () => {
    expect(builds.length).toBeGreaterThanOrEqual(1);
    for (const build of builds) {
      const output = join(dir, `deep-${build.label.split(' ')[0]}.mkv`);
      const result = await passThrough(deep, output, { ffmpegPath: build.ffmpegPath, ffprobePath: build.ffprobePath }, { extra: { codec: 'ffv1' } });
      expect(result.stored, build.label).toEqual({ bitDepth: 10, chroma: '4:2:2', pixelFormat: 'yuv422p10le' });
      expect(result.warnings ?? [], build.label).toEqual([]);
      const video = (await probeJson(output, build.ffprobePath)).streams[0];
      expect(video.pix_fmt, build.label).toBe('yuv422p10le');
      const [a, b] = [lumaOf(deep, build.ffmpegPath), lumaOf(output, build.ffmpegPath)];
      expect(a[5]).toBe(405);
      // YUV → 16-bit RGB → YUV: at most one 10-bit level off (an 8-bit path is up to 2–4 off).
      expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))), build.label).toBeLessThanOrEqual(1);
    }
  });

  it('reduces to what the codec stores, with one warning naming the loss and the codec that keeps it', async () => {
    const output = join(dir, 'deep-mpeg4.mkv');
    const result = await passThrough(deep, output, {}, { extra: { codec: 'mpeg4' } });
    expect(result.stored).toEqual({ bitDepth: 8, chroma: '4:2:0', pixelFormat: 'yuv420p' });
    expect(result.warnings).toEqual([expect.stringMatching(/is 10-bit 4:2:2 \(yuv422p10le\), but mpeg4 stores at most 8-bit 4:2:0 here: the output is reduced \(10-bit 4:2:2 → 8-bit 4:2:0, yuv420p\); --codec libx264 keeps it \(yuv422p10le\)/)]);
  });

  it('lets --pix-fmt win over the kept depth', async () => {
    const output = join(dir, 'deep-8.mkv');
    const result = await passThrough(deep, output, {}, { extra: { pixelFormat: 'yuv420p' } });
    expect(result.stored).toMatchObject({ pixelFormat: 'yuv420p' });
    expect(result.warnings ?? []).toEqual([]);
    expect((await probeJson(output)).streams[0].pix_fmt).toBe('yuv420p');
  });

  it('reads the encoders pixel formats from both ffmpeg builds', async () => {
    for (const build of builds) {
      const { ffmpeg: bin } = await resolveFfmpegBinaries({ ffmpegPath: build.ffmpegPath, ffprobePath: build.ffprobePath });
      expect(await encoderPixelFormats(bin, 'libx264'), build.label).toEqual(expect.arrayContaining(['yuv420p', 'yuv422p10le', 'yuv444p10le']));
      expect(await encoderPixelFormats(bin, 'mpeg4'), build.label).toEqual(['yuv420p']);
      expect(await encoderPixelFormats(bin, 'no-such-encoder'), build.label).toBeUndefined();
    }
  });
});
