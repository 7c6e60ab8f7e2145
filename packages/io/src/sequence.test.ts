import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, SequenceValidationError, type Frame, type FrameSink, type SinkResult, type UpframeError } from '@upframe/core';
import { FfmpegSink } from './ffmpeg-sink.js';
import { FfmpegSource } from './ffmpeg-source.js';
import { SequenceSink } from './sequence-sink.js';
import { SequenceSource } from './sequence-source.js';
import { validateFrameSequence } from './sequence-validator.js';
import { makeClip, tempDir } from './test-support/fixtures.js';
import { fixedSelector, writeImage } from './test-support/images.js';
import { frameTimes, meanSquaredError, probeJson } from './test-support/media.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

/** frame_0001.png … with distinct content; `alphaAt` frames get an alpha channel. */
async function makeSequence(name: string, numbers: number[], options: { alphaAt?: number[]; ext?: string; size?: [number, number] } = {}): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const [w, h] = options.size ?? [16, 12];
  for (const n of numbers) await writeImage(join(folder, `frame_${String(n).padStart(4, '0')}.${options.ext ?? 'png'}`), w, h, { seed: n, alpha: options.alphaAt?.includes(n) });
  return folder;
}

async function pipe(source: SequenceSource | FfmpegSource, sink: FrameSink): Promise<{ result: SinkResult; frames: Frame[] }> {
  const info = await source.open();
  const frames: Frame[] = [];
  try {
    await sink.open({ source: info, width: info.width, height: info.height, layout: info.layout });
    for await (const frame of source.frames()) {
      frames.push({ ...frame, data: Buffer.from(frame.data) });
      await sink.write(frame);
    }
    return { result: await sink.close(), frames };
  } finally {
    await sink.dispose();
    await source.dispose();
  }
}

const validationError = (folder: string) => validateFrameSequence(folder).then(() => undefined, (e: unknown) => e as SequenceValidationError);

describe('validateFrameSequence', () => {
  it('accepts a complete sequence, in number order, ignoring other files', async () => {
    const folder = await makeSequence('ok', [3, 1, 2, 10, 4, 5, 6, 7, 8, 9]);
    await writeFile(join(folder, 'notes.txt'), 'not a frame');
    const sequence = await validateFrameSequence(folder);
    expect(sequence.files.map((f) => f.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sequence).toMatchObject({ count: 10, first: 1, last: 10, width: 16, height: 12, hasAlpha: false, ignored: ['notes.txt'] });
  });

  it('lists the first ten missing frame numbers and how many are missing', async () => {
    const present = [1, 2, 4, ...Array.from({ length: 10 }, (_, i) => 30 + i)];
    const folder = await makeSequence('gaps', present);
    const error = await validationError(folder);
    expect(error).toBeInstanceOf(SequenceValidationError);
    expect(error?.file).toBe(folder);
    expect(error?.message).toContain(folder);
    expect(error?.missing).toEqual([3, ...Array.from({ length: 25 }, (_, i) => 5 + i)]);
    expect(error?.message).toMatch(/26 missing \(first 10: 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, … \(16 more\)\)/);
  });

  it('lists every other problem at once: mixed sizes, unreadable files, mixed extensions', async () => {
    const folder = await makeSequence('bad', [1, 2, 3]);
    await writeImage(join(folder, 'frame_0004.png'), 20, 10);
    await writeFile(join(folder, 'frame_0005.png'), 'broken');
    await writeImage(join(folder, 'frame_0006.jpg'), 16, 12, { format: 'jpeg' });
    const error = await validationError(folder);
    const problems = error?.problems.join('\n') ?? '';
    expect(problems).toMatch(/mixed extensions: \.png \(5, e\.g\. frame_0001\.png\), \.jpg \(1/);
    expect(problems).toMatch(/frame_0005\.png: unreadable/);
    expect(problems).toMatch(/frame_0004\.png \(20x10\)/);
    expect(error?.problems.length).toBeGreaterThanOrEqual(3);
  });

  it('names a directory without images, and a missing one', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    expect((await validationError(empty))?.problems[0]).toMatch(/no image files/);
    await expect(validateFrameSequence(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
  });
});

describe('sequence source and sink', () => {
  it('keeps numbering and names, with the selector picking the format', async () => {
    const folder = await makeSequence('in', [7, 8, 9, 10, 11]);
    const output = join(dir, 'out');
    const selector = fixedSelector('webp');
    const { result, frames } = await pipe(new SequenceSource({ input: folder }, createMemoryLogger()), new SequenceSink({ output, formatSelector: selector }, createMemoryLogger()));
    expect(result).toMatchObject({ output, framesWritten: 5 });
    expect(result.notes).toContain('always webp');
    expect((await readdir(output)).sort()).toEqual(['frame_0007.webp', 'frame_0008.webp', 'frame_0009.webp', 'frame_0010.webp', 'frame_0011.webp']);
    expect(selector.calls.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    const back = await sharp(join(output, 'frame_0009.webp')).raw().toBuffer();
    expect(meanSquaredError(back, frames[2].data)).toBe(0);
    expect((await readdir(dir)).filter((n) => n.includes('upframe-tmp'))).toEqual([]);
  });

  it('reads the whole sequence as RGBA when a frame has alpha, and writes png without a selector', async () => {
    const folder = await makeSequence('alpha', [1, 2, 3], { alphaAt: [2] });
    const output = join(dir, 'alpha-out');
    const { frames } = await pipe(new SequenceSource({ input: folder }, createMemoryLogger()), new SequenceSink({ output }, createMemoryLogger()));
    expect(frames.map((f) => f.layout)).toEqual(['rgba', 'rgba', 'rgba']);
    const meta = await sharp(join(output, 'frame_0002.png')).metadata();
    expect(meta).toMatchObject({ format: 'png', hasAlpha: true });
  });

  it('refuses a non-empty output directory unless overwriting, and leaves nothing behind on abort', async () => {
    const folder = await makeSequence('again', [1, 2]);
    const output = join(dir, 'taken');
    await mkdir(output);
    await writeFile(join(output, 'old.txt'), 'old');
    const refused = await pipe(new SequenceSource({ input: folder }, createMemoryLogger()), new SequenceSink({ output }, createMemoryLogger())).catch((e: UpframeError) => e);
    expect(refused).toMatchObject({ code: 'OUTPUT_EXISTS', file: output });
    // The user's own file is never deleted: overwriting a folder that holds one needs allowOtherFiles, and keeps it.
    const mixed = await pipe(new SequenceSource({ input: folder }, createMemoryLogger()), new SequenceSink({ output, overwrite: true }, createMemoryLogger())).catch((e: UpframeError) => e);
    expect(mixed).toMatchObject({ code: 'OUTPUT_EXISTS', message: expect.stringMatching(/not frames \(old\.txt\)/) });
    await pipe(new SequenceSource({ input: folder }, createMemoryLogger()), new SequenceSink({ output, overwrite: true, allowOtherFiles: true }, createMemoryLogger()));
    expect((await readdir(output)).sort()).toEqual(['frame_0001.png', 'frame_0002.png', 'old.txt']);

    // Not resumable (partSeconds 0): an aborted run leaves nothing.
    const aborted = join(dir, 'aborted');
    const sink = new SequenceSink({ output: aborted, extra: { partSeconds: 0 } }, createMemoryLogger());
    const source = new SequenceSource({ input: folder }, createMemoryLogger());
    const info = await source.open();
    await sink.open({ source: info, width: info.width, height: info.height, layout: info.layout });
    for await (const frame of source.frames()) await sink.write(frame);
    await sink.abort(new Error('stop'));
    expect((await readdir(dir)).filter((n) => n.includes('aborted'))).toEqual([]);
    // Resumable (the default): the committed frames stay in the journal folder only, never under the output name.
    const kept = new SequenceSink({ output: aborted }, createMemoryLogger());
    await kept.open({ source: info, width: info.width, height: info.height, layout: info.layout });
    for await (const frame of source.frames()) await kept.write(frame);
    await kept.abort(new Error('stop'));
    expect((await readdir(dir)).filter((n) => n.includes('aborted'))).toEqual(['aborted.upframe']);
    expect((await readdir(join(dir, 'aborted.upframe', 'frames'))).sort()).toEqual(['frame_0001.png', 'frame_0002.png']);
    expect(await new SequenceSink({ output: folder, overwrite: true }, createMemoryLogger()).open({ source: info, width: 16, height: 12, layout: 'rgb24' }).catch((e: UpframeError) => e.code)).toBe('OUTPUT_SAME_AS_INPUT');
  });

  it('a resumed run reads from startAt(index) on, with the frames keeping their index and name', async () => {
    const folder = await makeSequence('start', [1, 2, 3, 4, 5]);
    const source = new SequenceSource({ input: folder }, createMemoryLogger());
    await source.open();
    source.startAt(3);
    const read: [number, string | undefined][] = [];
    for await (const frame of source.frames()) read.push([frame.index, frame.sourceName]);
    expect(read).toEqual([[3, 'frame_0004.png'], [4, 'frame_0005.png']]);
  });

  it('numbers frames of a video from 1, and encodes a sequence into a video at its frame rate', async () => {
    const clip = await makeClip(dir, 'clip.mp4', { seconds: 0.5 });
    const frames = join(dir, 'video-frames');
    await pipe(new FfmpegSource({ input: clip }, createMemoryLogger()), new SequenceSink({ output: frames }, createMemoryLogger()));
    expect(await readdir(frames)).toEqual(['frame_000001.png', 'frame_000002.png', 'frame_000003.png', 'frame_000004.png', 'frame_000005.png']);
    const video = join(dir, 'from-frames.mkv');
    const { result } = await pipe(new SequenceSource({ input: frames, extra: { frameRate: 10 } }, createMemoryLogger()), new FfmpegSink({ output: video }, createMemoryLogger()));
    expect(result.framesWritten).toBe(5);
    expect(await frameTimes(video)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect((await probeJson(video)).streams.map((s) => s.codec_type)).toEqual(['video']);
  });
});
