import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableFfmpegs, makeClip, makeVfrClip, rotate, tempDir } from './test-support/fixtures.js';
import { bestMatch, decodeAll, frameTimes, probeJson, type ProbedFile } from './test-support/media.js';
import { passThrough } from './test-support/pass-through.js';

let dir: string;
let cleanup: () => Promise<void>;
let builds: Awaited<ReturnType<typeof availableFfmpegs>>;
const clips: Record<string, string> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  builds = await availableFfmpegs();
  const [plain, vfr, vfrMkv, odd, alpha, colour] = await Promise.all([
    makeClip(dir, 'plain.mp4', { audio: true, subtitles: true, codec: ['-c:v', 'libx264', '-preset', 'veryfast'] }),
    makeVfrClip(dir, 'vfr.mp4', { audio: true }),
    makeVfrClip(dir, 'vfr.mkv', { audio: true, subtitles: true }),
    makeClip(dir, 'odd.mp4', { size: '63x47', pixFmt: 'yuv444p', seconds: 0.5 }),
    makeClip(dir, 'alpha.mov', { seconds: 0.5, codec: ['-vf', 'format=rgba,colorchannelmixer=aa=0.5', '-c:v', 'png'], pixFmt: 'rgba' }),
    makeClip(dir, 'bt709.mp4', { seconds: 0.5, extraOutput: ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'] }),
  ]);
  Object.assign(clips, { plain, vfr, vfrMkv, odd, alpha, colour });
  clips.rotated = await rotate(plain, join(dir, 'rotated.mp4'), 90);
});
afterAll(() => cleanup());

const streamList = (p: ProbedFile) => p.streams.map((s) => `${s.codec_type}:${s.codec_type === 'video' ? '' : s.codec_name}`);
/** Video stream duration: `duration` (MP4) or the `DURATION` tag (Matroska). */
function videoDuration(p: ProbedFile): number {
  const video = p.streams.find((s) => s.codec_type === 'video')!;
  if (video.duration) return Number(video.duration);
  const [h, m, sec] = (video.tags?.DURATION ?? 'NaN:0:0').split(':').map(Number);
  return h * 3600 + m * 60 + sec;
}
const close = (a: number[], b: number[], tolerance: number) => a.length === b.length && a.every((t, i) => Math.abs(t - b[i]) <= tolerance);

describe('identity pass (source → sink, scale 1)', () => {
  it('keeps frames, timestamps, durations, streams and metadata of an MP4 with audio and subtitles, on every ffmpeg', async () => {
    expect(builds.length).toBeGreaterThanOrEqual(1);
    const input = await probeJson(clips.plain);
    const inputTimes = await frameTimes(clips.plain);
    const { frames: inputFrames } = await decodeAll(clips.plain);
    for (const build of builds) {
      const output = join(dir, `identity-${build.label.split(' ')[0]}.mp4`);
      const result = await passThrough(clips.plain, output, { ffmpegPath: build.ffmpegPath, ffprobePath: build.ffprobePath });
      expect(result.framesWritten, build.label).toBe(15);
      const out = await probeJson(output);
      expect(streamList(out), build.label).toEqual(streamList(input));
      expect(Number(out.format.duration), build.label).toBeCloseTo(Number(input.format.duration), 2);
      for (const type of ['video', 'audio']) {
        const [a, b] = [input, out].map((p) => Number(p.streams.find((s) => s.codec_type === type)!.duration));
        expect(b, `${build.label} ${type} duration`).toBeCloseTo(a, 2);
      }
      expect(out.streams.find((s) => s.codec_type === 'video')!.nb_frames, build.label).toBe('15');
      expect(out.format.tags?.title, build.label).toBe('upframe fixture');
      expect(close(await frameTimes(output), inputTimes, 0.001), build.label).toBe(true);
      // Frame order: every output frame resembles its own input frame more than any other.
      const { frames: outputFrames } = await decodeAll(output);
      const order = outputFrames.map((f) => bestMatch(f.data, inputFrames.map((g) => g.data)));
      expect(order, build.label).toEqual([...Array(15).keys()]);
    }
  });

  it.each([
    ['vfr', 'mp4'],
    ['vfrMkv', 'mkv'],
    ['vfrMkv', 'mp4'],
  ])('keeps variable frame timing: %s → %s, on every ffmpeg', async (clip, ext) => {
    const inputTimes = await frameTimes(clips[clip]);
    expect(inputTimes.slice(7, 10).map((t) => +(t - inputTimes[0]).toFixed(3))).toEqual([0.7, 0.8, 0.84]);
    for (const build of builds) {
      const output = join(dir, `${clip}-${build.label.split(' ')[0]}.${ext}`);
      const result = await passThrough(clips[clip], output, { ffmpegPath: build.ffmpegPath, ffprobePath: build.ffprobePath });
      expect(result.framesWritten).toBe(inputTimes.length);
      expect(close(await frameTimes(output), inputTimes, 0.0015), `${build.label}: ${(await frameTimes(output)).join(' ')}`).toBe(true);
      const [a, b] = [await probeJson(clips[clip]), await probeJson(output)];
      // The video track (ours) must end where the input's does; the file may differ by one AAC
      // frame (21 ms) because ffmpeg re-derives copied audio durations from packets.
      if (clips[clip].endsWith(ext)) expect(videoDuration(b), build.label).toBeCloseTo(videoDuration(a), 3);
      expect(Math.abs(Number(b.format.duration) - Number(a.format.duration)), build.label).toBeLessThanOrEqual(0.022);
      expect(streamList(b).length).toBe(streamList(a).length);
    }
  });
});

describe('video sink output details', () => {
  it('pads odd sizes by one pixel for yuv420p and says so', async () => {
    const output = join(dir, 'odd-out.mp4');
    const result = await passThrough(clips.odd, output, {}, { extra: { pixelFormat: 'yuv420p' } });
    const video = (await probeJson(output)).streams[0];
    expect([video.width, video.height]).toEqual([64, 48]);
    expect(result.notes?.join('\n')).toMatch(/padded 63x47 to 64x48/);
  });

  it('keeps the exact odd size of a 4:4:4 input, which stays 4:4:4 and needs no padding', async () => {
    const output = join(dir, 'odd-444-out.mp4');
    const result = await passThrough(clips.odd, output);
    const video = (await probeJson(output)).streams[0];
    expect([video.width, video.height, video.pix_fmt]).toEqual([63, 47, 'yuv444p']);
    expect(result.warnings ?? []).toEqual([]);
  });

  it('writes upright frames for a rotated input, without a rotation tag', async () => {
    const output = join(dir, 'rotated-out.mkv');
    await passThrough(clips.rotated, output);
    const probe = await probeJson(output);
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([48, 64]);
    expect(video.tags?.rotate).toBeUndefined();
  });

  it('carries colour metadata through', async () => {
    const output = join(dir, 'colour-out.mp4');
    await passThrough(clips.colour, output);
    const video = (await probeJson(output)).streams[0];
    expect(video).toMatchObject({ color_space: 'bt709', color_primaries: 'bt709', color_transfer: 'bt709', color_range: 'tv' });
  });

  it('keeps alpha in WebM (VP9 with an alpha plane)', async () => {
    const output = join(dir, 'alpha-out.webm');
    const result = await passThrough(clips.alpha, output);
    expect(result.notes?.join('\n')).toMatch(/alpha kept/);
    const { frames } = await decodeAll(output);
    expect(frames[0].layout).toBe('rgba');
    const alpha = frames[0].data.filter((_, i) => i % 4 === 3);
    const mean = alpha.reduce((s, a) => s + a, 0) / alpha.length;
    expect(Math.abs(mean - 128)).toBeLessThan(6);
  });
});
