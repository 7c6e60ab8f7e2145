import { link as hardLink, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, isUpframeError, type Frame, type SourceInfo, type UpframeError } from '@upframe/core';
import { liveToolProcesses } from './child-process.js';
import { FfmpegSink } from './ffmpeg-sink.js';
import { FfmpegSource } from './ffmpeg-source.js';
import { makeClip, tempDir } from './test-support/fixtures.js';
import { childToolProcesses, fakeFfmpeg, frameTimes, probeJson } from './test-support/media.js';
import { passThrough } from './test-support/pass-through.js';

let dir: string;
let cleanup: () => Promise<void>;
let clip: string;
let info: SourceInfo;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  clip = await makeClip(dir, 'in.mp4', { audio: true, seconds: 1 });
  info = await new FfmpegSource({ input: clip }, createMemoryLogger()).open();
});
afterAll(() => cleanup());

const openInfo = () => ({ source: info, width: info.width, height: info.height, layout: info.layout });
const grey = (index: number, value = 128): Frame => ({
  index,
  pts: index * 1024,
  timeBase: { num: 1, den: 10240 },
  width: info.width,
  height: info.height,
  layout: 'rgb24',
  data: new Uint8Array(info.width * info.height * 3).fill(value),
});
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as UpframeError);
const leftovers = async () => (await readdir(dir)).filter((n) => n.includes('upframe-tmp'));
/** Files ffmpeg has created inside the sinks' private workspaces. */
const partials = async () => (await Promise.all((await leftovers()).map((n) => readdir(join(dir, n))))).flat();

describe('FfmpegSink output safety', () => {
  it('refuses an existing output unless overwrite is set', async () => {
    const output = join(dir, 'exists.mp4');
    await writeFile(output, 'old');
    const error = await failure(new FfmpegSink({ output }, createMemoryLogger()).open(openInfo()));
    expect(error).toMatchObject({ code: 'OUTPUT_EXISTS', file: output });
    const result = await passThrough(clip, output, {}, { overwrite: true });
    expect(result.framesWritten).toBe(10);
    expect((await probeJson(output)).streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
  });

  it('never writes over its input, also when the path is spelled differently or linked', async () => {
    for (const output of [clip, join(dir, '..', dir.split('/').pop()!, 'in.mp4')]) {
      const error = await failure(new FfmpegSink({ output, overwrite: true }, createMemoryLogger()).open(openInfo()));
      expect(error?.code).toBe('OUTPUT_SAME_AS_INPUT');
    }
    const link = join(dir, 'link.mp4');
    await symlink(clip, link);
    const viaLink = await failure(new FfmpegSink({ output: link, overwrite: true }, createMemoryLogger()).open(openInfo()));
    expect(viaLink?.code).toBe('OUTPUT_SAME_AS_INPUT');
    const hard = join(dir, 'hard.mp4');
    await hardLink(clip, hard);
    const viaHardLink = await failure(new FfmpegSink({ output: hard, overwrite: true }, createMemoryLogger()).open(openInfo()));
    expect(viaHardLink?.code).toBe('OUTPUT_SAME_AS_INPUT');
  });

  it('rejects unknown containers and bad options before any work', async () => {
    const badExt = await failure(new FfmpegSink({ output: join(dir, 'x.avi') }, createMemoryLogger()).open(openInfo()));
    expect(badExt?.code).toBe('USAGE');
    expect(badExt?.message).toMatch(/\.mp4, \.mkv, \.webm, \.mov/);
    const badCrf = await failure(new FfmpegSink({ output: join(dir, 'x.mp4'), extra: { crf: 'high' } }, createMemoryLogger()).open(openInfo()));
    expect(badCrf?.message).toMatch(/"crf" must be a number/);
    const alphaMp4 = await failure(new FfmpegSink({ output: join(dir, 'x.mp4') }, createMemoryLogger()).open({ ...openInfo(), layout: 'rgba' }));
    expect(alphaMp4?.code).toBe('USAGE');
    expect(alphaMp4?.hint).toMatch(/webm/);
  });
});

describe('FfmpegSink failures', () => {
  it('an encoder dying mid-stream fails with its stderr, removes the temporary file and leaves no process', async () => {
    const fake = await fakeFfmpeg(dir, 'encode');
    const output = join(dir, 'crash.mp4');
    const sink = new FfmpegSink({ output, extra: { ffmpegPath: fake } }, createMemoryLogger());
    await sink.open(openInfo());
    const run = async () => {
      for (let i = 0; i < 200; i++) await sink.write(grey(i));
      return sink.close();
    };
    const error = await failure(run());
    expect(isUpframeError(error, 'FFMPEG_FAILED')).toBe(true);
    expect(error?.message).toMatch(/simulated crash/);
    expect(error?.file).toBe(output);
    await sink.dispose();
    expect(await leftovers()).toEqual([]);
    expect(liveToolProcesses()).toBe(0);
    expect(childToolProcesses()).toEqual([]);
  });

  it('abort() mid-stream removes the temporary file, keeps no output and kills ffmpeg', async () => {
    const output = join(dir, 'aborted.mp4');
    const controller = new AbortController();
    // In one piece: the chunked path keeps committed parts on abort (chunked-output.test.ts).
    const sink = new FfmpegSink({ output, extra: { partSeconds: 0 } }, createMemoryLogger());
    await sink.open(openInfo(), controller.signal);
    // ffmpeg probes a few seconds of input before it creates the output: write until it has.
    let i = 0;
    for (; i < 300 && (await partials()).length === 0; i++) await sink.write(grey(i, i % 250));
    expect(await partials()).toEqual(['aborted.mp4']);
    expect(liveToolProcesses()).toBeGreaterThan(0);
    controller.abort(new Error('stop'));
    const error = await failure(sink.write(grey(i)));
    expect(error?.code).toBe('CANCELLED');
    await sink.dispose();
    expect(await leftovers()).toEqual([]);
    expect((await readdir(dir)).includes('aborted.mp4')).toBe(false);
    expect(liveToolProcesses()).toBe(0);
    expect(childToolProcesses()).toEqual([]);
  });
});

describe('FfmpegSink timing', () => {
  it('writes the timestamps it is given, not a constant rate', async () => {
    const output = join(dir, 'timed.mkv');
    const sink = new FfmpegSink({ output }, createMemoryLogger());
    // A still source (no original file): frames at 0, 0.5, 0.6, 1.6 s.
    await sink.open({ ...openInfo(), source: { ...info, kind: 'sequence', variableFrameRate: true, details: undefined } });
    for (const [i, ms] of [0, 500, 600, 1600].entries()) await sink.write({ ...grey(i, i * 50), pts: ms, timeBase: { num: 1, den: 1000 } });
    const result = await sink.close();
    expect(result.framesWritten).toBe(4);
    expect(await frameTimes(output)).toEqual([0, 0.5, 0.6, 1.6]);
  });

  it('writes upscaled frames at the scaled size, keeping the original audio', async () => {
    const output = join(dir, 'scaled.mp4');
    const sink = new FfmpegSink({ output }, createMemoryLogger());
    const [width, height] = [info.width * 2, info.height * 2];
    await sink.open({ source: info, width, height, layout: 'rgb24' });
    for (let i = 0; i < 10; i++) await sink.write({ ...grey(i, i * 20), width, height, data: new Uint8Array(width * height * 3).fill(i * 20) });
    expect((await sink.close()).framesWritten).toBe(10);
    const probe = await probeJson(output);
    expect(probe.streams.map((s) => [s.codec_type, s.width])).toEqual([['video', width], ['audio', undefined]]);
    expect(Number(probe.format.duration)).toBeCloseTo(1, 1);
  });
});
