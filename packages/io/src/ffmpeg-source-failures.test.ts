import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, isUpframeError, UpframeError } from '@upframe/core';
import { liveToolProcesses } from './child-process.js';
import { FfmpegSource } from './ffmpeg-source.js';
import { ffmpeg, makeClip, tempDir } from './test-support/fixtures.js';
import { childToolProcesses, fakeFfmpeg } from './test-support/media.js';

let dir: string;
let cleanup: () => Promise<void>;
const clips: Record<string, string> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const [plain, long] = await Promise.all([makeClip(dir, 'plain.mp4', { audio: true }), makeClip(dir, 'long.mkv', { size: '320x240', rate: 25, seconds: 20 })]);
  Object.assign(clips, { plain, long });
});
afterAll(() => cleanup());

describe('FfmpegSource child processes', () => {
  it('kills ffmpeg when the loop is left early', async () => {
    const source = new FfmpegSource({ input: clips.long }, createMemoryLogger());
    let seen = 0;
    for await (const frame of source.frames()) {
      expect(frame.width).toBe(320);
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
    expect(liveToolProcesses()).toBe(0);
    expect(childToolProcesses()).toEqual([]);
  });

  it('stops with CANCELLED on abort and leaves no child', async () => {
    const source = new FfmpegSource({ input: clips.long }, createMemoryLogger());
    const controller = new AbortController();
    let seen = 0;
    const run = async () => {
      for await (const _ of source.frames(controller.signal)) if (++seen === 2) controller.abort(new Error('user pressed ctrl-c'));
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toBeLessThan(500);
    expect(liveToolProcesses()).toBe(0);
    expect(childToolProcesses()).toEqual([]);
  });

  it('fails with ffmpeg\'s stderr when the decoder dies mid-stream', async () => {
    const fake = await fakeFfmpeg(dir, 'decode');
    const source = new FfmpegSource({ input: clips.plain, extra: { ffmpegPath: fake } }, createMemoryLogger());
    let seen = 0;
    const run = async () => {
      for await (const _ of source.frames()) seen++;
    };
    const error = await run().catch((e: unknown) => e);
    expect(isUpframeError(error, 'FFMPEG_FAILED')).toBe(true);
    expect((error as UpframeError).message).toMatch(/simulated crash/);
    expect((error as UpframeError).file).toBe(clips.plain);
    expect(seen).toBe(2);
    expect(liveToolProcesses()).toBe(0);
  });
});

describe('FfmpegSource bad input', () => {
  const openError = (input: string) =>
    new FfmpegSource({ input }, createMemoryLogger()).open().then(
      () => new UpframeError('INTERNAL', 'open() succeeded'),
      (e: unknown) => e as UpframeError,
    );

  it('names a missing file', async () => {
    const error = await openError(join(dir, 'nope.mp4'));
    expect(error).toMatchObject({ code: 'INPUT_NOT_FOUND', file: join(dir, 'nope.mp4') });
    expect(error.message).toContain('nope.mp4');
  });

  it('rejects an empty file and a file that is not media', async () => {
    const empty = join(dir, 'empty.mp4');
    const text = join(dir, 'notes.mp4');
    await writeFile(empty, '');
    await writeFile(text, 'this is not a video, just some text\n'.repeat(50));
    expect(await openError(empty)).toMatchObject({ code: 'INPUT_INVALID', file: empty });
    const notMedia = await openError(text);
    expect(notMedia).toMatchObject({ code: 'INPUT_INVALID', file: text });
    expect(notMedia.message).toContain('notes.mp4');
  });

  it('rejects a file without a video stream', async () => {
    const audio = join(dir, 'audio.m4a');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac', audio]);
    const error = await openError(audio);
    expect(error).toMatchObject({ code: 'INPUT_UNSUPPORTED', file: audio });
    expect(error.message).toMatch(/no video stream/);
  });

  it('rejects a directory', async () => {
    expect(await openError(dir)).toMatchObject({ code: 'INPUT_INVALID', file: dir });
  });
});
