import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, isUpframeError, type Frame, type SourceInfo, type UpframeError } from '@upframe/core';
import { liveToolProcesses } from './child-process.js';
import { FfmpegSink } from './ffmpeg-sink.js';
import { FfmpegSource } from './ffmpeg-source.js';
import { concatList } from './join-parts.js';
import { bundledBinaries, makeClip, tempDir } from './test-support/fixtures.js';
import { versionAtLeast } from './ffmpeg-version.js';
import { frameTimes, probeJson } from './test-support/media.js';

let dir: string;
let cleanup: () => Promise<void>;
let info: SourceInfo;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const clip = await makeClip(dir, 'in.mp4', { audio: true, seconds: 1 });
  info = await new FfmpegSource({ input: clip }, createMemoryLogger()).open();
});
afterAll(() => cleanup());

const openInfo = () => ({ source: info, width: info.width, height: info.height, layout: info.layout });
/** Frame i at i × 0.1 s; `noise` frames do not compress (for filling a disk). */
const frame = (index: number, noise = false): Frame => {
  const data = new Uint8Array(info.width * info.height * 3);
  if (noise) for (let k = 0; k < data.length; k++) data[k] = (Math.imul(k + 1, 2654435761) ^ Math.imul(index + 7, 40503)) >>> 24;
  else data.fill((index * 23) % 256);
  return { index, pts: index * 1024, timeBase: { num: 1, den: 10240 }, width: info.width, height: info.height, layout: 'rgb24', data };
};
/** Frame times from the first: the video starts where the original's audio lets it (an offset of its own). */
const relativeTimes = (times: number[]) => times.map((t) => (t - times[0]!).toFixed(3));
const TENTHS = [...Array(10).keys()].map((i) => (i / 10).toFixed(3));
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as UpframeError);
const sinkFor = (output: string, extra: Record<string, unknown> = {}) => new FfmpegSink({ output, extra: { codec: 'ffv1', partSeconds: 0.2, ...extra } }, createMemoryLogger());
const journal = async (output: string) => JSON.parse(await readFile(join(`${output}.upframe`, 'journal.json'), 'utf8')) as { parts: { file: string; firstFrame: number; frames: number }[] };

async function waitForParts(output: string, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const parts = await journal(output).then((j) => j.parts.length, () => 0);
    if (parts >= n) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${output}: fewer than ${n} parts were committed`);
}

describe('chunked video output', () => {
  it('writes parts of partSeconds, joins them with every frame time kept, and removes the journal', async () => {
    const output = join(dir, 'joined.mkv');
    const sink = sinkFor(output);
    await sink.open(openInfo());
    expect(sink.committedFrames()).toBe(0);
    for (let i = 0; i < 10; i++) await sink.write(frame(i));
    const result = await sink.close();
    expect(result.framesWritten).toBe(10);
    expect(relativeTimes(await frameTimes(output))).toEqual(TENTHS);
    expect((await probeJson(output)).streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
    expect((await readdir(dir)).filter((n) => n.startsWith('joined'))).toEqual(['joined.mkv']);
  });

  it('abort keeps the committed parts and drops the one being written; the next open resumes after them', async () => {
    const output = join(dir, 'resumed.mkv');
    const first = sinkFor(output);
    await first.open(openInfo());
    for (let i = 0; i < 7; i++) await first.write(frame(i));
    await waitForParts(output, 3);
    await first.abort(new Error('stop'));
    await first.dispose();
    expect(liveToolProcesses()).toBe(0);
    const names = await readdir(`${output}.upframe`);
    expect(names.filter((n) => n.includes('.tmp'))).toEqual([]);
    expect((await journal(output)).parts.map((p) => [p.firstFrame, p.frames])).toEqual([[0, 2], [2, 2], [4, 2]]);

    const second = sinkFor(output);
    await second.open(openInfo());
    expect(second.committedFrames()).toBe(6);
    for (let i = 6; i < 10; i++) await second.write(frame(i));
    expect((await second.close()).framesWritten).toBe(10);
    expect(relativeTimes(await frameTimes(output))).toEqual(TENTHS);
  });

  it("a crash's leftovers are cleaned up: temporaries and unlisted parts removed, a damaged part and those after it encoded again", async () => {
    const output = join(dir, 'crashed.mp4');
    const first = sinkFor(output, { codec: 'libx264' });
    await first.open(openInfo());
    for (let i = 0; i < 7; i++) await first.write(frame(i));
    await waitForParts(output, 3);
    await first.abort();
    await first.dispose();
    const folder = `${output}.upframe`;
    // As SIGKILL can leave them: a part being encoded, a part renamed but not yet in the journal, a journal being saved.
    await writeFile(join(folder, '.part-0a1b2c3d4e5f.tmp.nut'), 'half');
    await writeFile(join(folder, 'part-00003.nut'), 'renamed, not recorded');
    await writeFile(join(folder, 'journal.json.abcd1234.tmp'), '{');
    await truncate(join(folder, 'part-00001.nut'), 10);
    const logger = createMemoryLogger();
    const second = new FfmpegSink({ output, extra: { codec: 'libx264', partSeconds: 0.2 } }, logger);
    await second.open(openInfo());
    expect(second.committedFrames()).toBe(2);
    expect(logger.messages.some((m) => m.level === 'warn' && /part-00001\.nut 10 bytes, not \d+: parts from frame 2 on are encoded again/.test(m.message))).toBe(true);
    expect((await readdir(folder)).sort()).toEqual(['journal.json', 'part-00000.nut']);
    for (let i = 2; i < 10; i++) await second.write(frame(i));
    expect((await second.close()).framesWritten).toBe(10);
    expect(await frameTimes(output)).toHaveLength(10);
  });

  it('refuses a journal written with other settings, naming the change; fresh starts over', async () => {
    const output = join(dir, 'settings.mkv');
    const first = sinkFor(output);
    await first.open(openInfo());
    for (let i = 0; i < 5; i++) await first.write(frame(i));
    await waitForParts(output, 1);
    await first.abort();
    await first.dispose();
    const error = await failure(sinkFor(output, { codec: 'libx264' }).open(openInfo()));
    expect(error?.code).toBe('RESUME_MISMATCH');
    expect(error?.message).toMatch(/codec: ffv1 → libx264/);
    expect(error?.hint).toMatch(/--fresh/);
    const fresh = sinkFor(output, { codec: 'libx264', fresh: true });
    await fresh.open(openInfo());
    expect(fresh.committedFrames()).toBe(0);
    await fresh.abort();
    await fresh.dispose();
  });

  it('on ffmpeg before 5.0 (the bundled 4.1 build) it writes one piece and says an interrupted run starts over', async () => {
    const bundled = await bundledBinaries();
    const output = join(dir, 'legacy.mkv');
    const logger = createMemoryLogger();
    const sink = new FfmpegSink({ output, extra: { codec: 'ffv1', partSeconds: 0.2, ffmpegPath: bundled.ffmpeg.path, ffprobePath: bundled.ffprobe.path } }, logger);
    await sink.open(openInfo());
    expect(versionAtLeast(bundled.ffmpeg.version, 5, 0), 'the bundled build is the 4.1 one (ffmpeg-binaries.ts)').toBe(false);
    expect(logger.messages.some((m) => /written in one piece, so an interrupted run starts over: resumable parts need ffmpeg 5\.0 or later/.test(m.message))).toBe(true);
    expect((await readdir(dir)).includes('legacy.mkv.upframe')).toBe(false);
    expect(sink.committedFrames()).toBe(0);
    for (let i = 0; i < 10; i++) await sink.write(frame(i));
    expect((await sink.close()).framesWritten).toBe(10);
    expect(relativeTimes(await frameTimes(output))).toEqual(TENTHS);
  });

  it('the concat list gives each part the exact distance to the next one, so no frame is shifted', () => {
    const parts = [
      { file: 'part-00000.nut', firstFrame: 0, frames: 3, firstPts: 0, lastPts: 2002, bytes: 1, sha256: '' },
      { file: 'part-00001.nut', firstFrame: 3, frames: 2, firstPts: 3003, lastPts: 4004, bytes: 1, sha256: '' },
    ];
    expect(concatList("/a/it's", parts, { timeBase: { num: 1, den: 30000 }, firstPts: 0, videoOffsetSeconds: 0 })).toBe(
      "ffconcat version 1.0\nfile '/a/it'\\''s/part-00000.nut'\nduration 0.100100\nfile '/a/it'\\''s/part-00001.nut'\n",
    );
  });
});

/** A small tmpfs: a real full disk. Needs mount rights (root in CI containers). */
function mountTmpfs(at: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('disk full while writing parts', () => {
  it('fails with DISK_FULL naming the journal and the space needed, keeps the parts, and resumes once there is room', async () => {
    const disk = join(dir, 'small-disk');
    await mkdir(disk);
    const mounted = mountTmpfs(disk, '48k');
    // Without mount rights: an ffmpeg that fails as it does on a full disk once told to (diskFullByHand).
    if (!mounted) return diskFullByHand(disk);
    try {
      const output = join(disk, 'full.mkv');
      const sink = sinkFor(output, { partSeconds: 0.1 });
      await sink.open(openInfo());
      let error: UpframeError | undefined;
      for (let i = 0; i < 10 && !error; i++) error = await failure(sink.write(frame(i, true)));
      error ??= await failure(sink.close());
      expect(isUpframeError(error, 'DISK_FULL'), String(error)).toBe(true);
      expect(error?.message).toMatch(new RegExp(`disk full while writing ${output}\\.upframe \\(.*free on that filesystem\\); about [\\d.]+ MB more are needed to finish`));
      expect(error?.hint).toMatch(/run the same command again: the \d+ committed part\(s\)/);
      await sink.abort();
      await sink.dispose();
      const kept = (await journal(output)).parts.length;
      expect(kept).toBeGreaterThanOrEqual(1);
      expect(liveToolProcesses()).toBe(0);

      execFileSync('mount', ['-o', 'remount,size=8m', disk]);
      const again = sinkFor(output, { partSeconds: 0.1 });
      await again.open(openInfo());
      const from = again.committedFrames();
      expect(from).toBe(kept);
      for (let i = from; i < 10; i++) await again.write(frame(i, true));
      expect((await again.close()).framesWritten).toBe(10);
      expect(await frameTimes(output)).toHaveLength(10);
    } finally {
      if (mounted) execFileSync('umount', ['-l', disk]);
    }
  });
});

/**
 * The same story where no tmpfs can be mounted: the parts are encoded by a wrapper around the real
 * ffmpeg that, while a marker file exists, fails the way ffmpeg does when the disk is full.
 */
async function diskFullByHand(disk: string): Promise<void> {
  const real = execFileSync('sh', ['-c', 'command -v ffmpeg']).toString().trim();
  const marker = join(disk, 'FULL');
  const wrapper = join(disk, 'ffmpeg-full.sh');
  await writeFile(wrapper, `#!/bin/sh\nif [ -e '${marker}' ]; then echo 'av_interleaved_write_frame(): No space left on device' >&2; exit 1; fi\nexec '${real}' "$@"\n`, { mode: 0o755 });
  const output = join(disk, 'full.mkv');
  const sink = sinkFor(output, { partSeconds: 0.1, ffmpegPath: wrapper });
  await sink.open(openInfo());
  for (let i = 0; i < 4; i++) await sink.write(frame(i, true));
  await waitForParts(output, 2);
  await writeFile(marker, '');
  let error: UpframeError | undefined;
  for (let i = 4; i < 10 && !error; i++) error = await failure(sink.write(frame(i, true)));
  error ??= await failure(sink.close());
  expect(isUpframeError(error, 'DISK_FULL'), String(error)).toBe(true);
  expect(error?.message).toMatch(new RegExp(`disk full while writing ${output}\\.upframe \\(.*free on that filesystem\\); about [\\d.]+ MB more are needed to finish`));
  await sink.abort();
  await sink.dispose();
  const kept = (await journal(output)).parts.length;
  expect(kept).toBeGreaterThanOrEqual(2);
  await rm(marker);
  const again = sinkFor(output, { partSeconds: 0.1, ffmpegPath: wrapper });
  await again.open(openInfo());
  const from = again.committedFrames();
  expect(from).toBe(kept);
  for (let i = from; i < 10; i++) await again.write(frame(i, true));
  expect((await again.close()).framesWritten).toBe(10);
  expect(await frameTimes(output)).toHaveLength(10);
}
