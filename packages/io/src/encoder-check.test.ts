import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, type PixelLayout, type SinkOpenInfo, type SourceInfo, type UpframeError } from '@upframe/core';
import { liveToolProcesses } from './child-process.js';
import { checkEncoderSettings, clearEncoderCheckCache } from './encoder-check.js';
import { containerOf } from './encoder-args.js';
import { resolveFfmpegBinaries, type ToolBinary } from './ffmpeg-binaries.js';
import { FfmpegSink } from './ffmpeg-sink.js';
import { availableFfmpegs, tempDir } from './test-support/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let builds: { label: string; ffmpeg: ToolBinary; ffmpegPath: string }[];
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  builds = await Promise.all((await availableFfmpegs()).map(async (b) => ({ ...b, ffmpeg: (await resolveFfmpegBinaries(b)).ffmpeg })));
});
afterAll(() => cleanup());

const source: SourceInfo = { kind: 'sequence', path: '/nowhere/frames', width: 33, height: 21, layout: 'rgb24', timeBase: { num: 1, den: 25 }, variableFrameRate: false };
const openInfo = (layout: PixelLayout = 'rgb24'): SinkOpenInfo => ({ source: { ...source, layout }, width: 66, height: 42, layout });
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as UpframeError);

async function check(ffmpeg: ToolBinary, output: string, extra: Record<string, unknown>, layout: PixelLayout = 'rgb24') {
  const path = join(dir, output);
  return checkEncoderSettings(ffmpeg, path, containerOf(path), openInfo(layout), extra);
}

describe('checkEncoderSettings', () => {
  it('rejects a bad codec, preset or pixel format with ffmpeg\'s own words, on every ffmpeg here', async () => {
    expect(builds.length).toBeGreaterThanOrEqual(1);
    for (const { label, ffmpeg } of builds) {
      const codec = await failure(check(ffmpeg, 'a.mp4', { codec: 'libx264x' }));
      expect(codec, label).toMatchObject({ code: 'USAGE', file: join(dir, 'a.mp4') });
      expect(codec?.message, label).toBe(`ffmpeg rejects the encoder settings for ${join(dir, 'a.mp4')}: Unknown encoder 'libx264x'`);
      expect(codec?.hint, label).toContain(`${ffmpeg.path} -hide_banner -encoders`);
      const preset = await failure(check(ffmpeg, 'b.mp4', { preset: 'ultrafastx' }));
      expect(preset?.code, label).toBe('USAGE');
      expect(preset?.message, label).toMatch(/invalid preset 'ultrafastx'/);
      expect(preset?.hint, label).toContain('-h encoder=libx264');
      const pixfmt = await failure(check(ffmpeg, 'c.mkv', { pixelFormat: 'yuvx' }));
      expect(pixfmt?.message, label).toMatch(/Unknown pixel format requested: yuvx/);
      // A codec the container cannot hold is caught too, because the check uses the real muxer.
      const container = await failure(check(ffmpeg, 'd.webm', { codec: 'libx264' }));
      expect(container?.message, label).toMatch(/WebM/);
    }
  });

  it('accepts the defaults of every container, alpha included, quickly', async () => {
    for (const { label, ffmpeg } of builds) {
      clearEncoderCheckCache();
      for (const [output, layout] of [['ok.mp4', 'rgb24'], ['ok.mkv', 'rgb24'], ['ok.webm', 'rgb24'], ['ok.webm', 'rgba'], ['ok.mov', 'rgba']] as const) {
        const started = performance.now();
        await expect(check(ffmpeg, output, {}, layout), `${label} ${output} ${layout}`).resolves.toBeUndefined();
        const ms = performance.now() - started;
        // Measured on 2 busy cores: 35-160 ms with the bundled 4.1, 210-350 ms with the system 5.1
        // (mostly process start; VP9 costs the most). Generous bound: a loaded CI machine is slower.
        expect(ms, `${label} ${output}`).toBeLessThan(5000);
      }
    }
  });

  it('asks ffmpeg once per binary and settings', async () => {
    const { ffmpeg } = builds[0];
    clearEncoderCheckCache();
    const first = performance.now();
    await check(ffmpeg, 'cached.mp4', { crf: 20 });
    const firstMs = performance.now() - first;
    const again = performance.now();
    await check(ffmpeg, 'cached-too.mp4', { crf: 20 });
    const againMs = performance.now() - again;
    expect(againMs).toBeLessThan(Math.max(5, firstMs / 4));
    // A rejection is cached as well, and reported again.
    await failure(check(ffmpeg, 'bad.mp4', { codec: 'nope' }));
    expect((await failure(check(ffmpeg, 'bad.mp4', { codec: 'nope' })))?.code).toBe('USAGE');
  });
});

describe('FfmpegSink.open with settings ffmpeg rejects', () => {
  it('fails before any frame, with no output, workspace or process left', async () => {
    for (const { label, ffmpegPath } of builds) {
      for (const extra of [{ codec: 'libx264x' }, { preset: 'ultrafastx' }, { pixelFormat: 'yuvx' }]) {
        const output = join(dir, 'never.mp4');
        const sink = new FfmpegSink({ output, extra: { ...extra, ffmpegPath } }, createMemoryLogger());
        const error = await failure(sink.open(openInfo()));
        expect(error?.code, `${label} ${JSON.stringify(extra)}`).toBe('USAGE');
        expect(error?.message).toMatch(/^ffmpeg rejects the encoder settings for .*never\.mp4: /);
        await sink.dispose();
        expect((await readdir(dir)).filter((n) => n.includes('never') || n.includes('upframe-tmp'))).toEqual([]);
        expect(liveToolProcesses()).toBe(0);
      }
    }
  });
});
