import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, type Frame, type SinkOpenInfo, type SourceInfo, type UpframeError } from '@upframe/core';
import { liveToolProcesses } from './child-process.js';
import { FfmpegSink } from './ffmpeg-sink.js';
import { bundledBinaries, tempDir } from './test-support/fixtures.js';
import { childToolProcesses, fakeFfmpeg } from './test-support/media.js';
import { mountSmallFilesystem, type SmallFilesystem } from './test-support/mounts.js';

let dir: string;
let cleanup: () => Promise<void>;
let small: SmallFilesystem | undefined;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(async () => {
  await small?.unmount();
  await cleanup();
});

const SIZE = 128;
const source: SourceInfo = { kind: 'sequence', path: '/nowhere/frames', width: SIZE, height: SIZE, layout: 'rgb24', timeBase: { num: 1, den: 25 }, variableFrameRate: false };
const info: SinkOpenInfo = { source, width: SIZE, height: SIZE, layout: 'rgb24' };
// Noise: incompressible, so a lossless encode fills a small disk within a few frames.
const frame = (index: number): Frame => ({ index, pts: index, timeBase: { num: 1, den: 25 }, width: SIZE, height: SIZE, layout: 'rgb24', data: randomBytes(SIZE * SIZE * 3) });
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as UpframeError);

/** Write frames until the sink fails (calling `afterFirst` once ffmpeg runs), then close. */
async function writeUntilFailure(sink: FfmpegSink, afterFirst?: () => void): Promise<UpframeError | undefined> {
  return failure(
    (async () => {
      for (let i = 0; i < 400; i++) {
        await sink.write(frame(i));
        if (i === 0) afterFirst?.();
      }
      await sink.close();
    })(),
  );
}

describe('FfmpegSink when ffmpeg dies', () => {
  it('says ffmpeg was killed by SIGKILL, not "write EPIPE"', async () => {
    const output = join(dir, 'killed.mkv');
    const sink = new FfmpegSink({ output }, createMemoryLogger());
    await sink.open(info);
    const error = await writeUntilFailure(sink, () => {
      const ffmpeg = childToolProcesses().map((line) => line.trim().split(/\s+/)).find(([, , comm]) => comm === 'ffmpeg');
      expect(ffmpeg).toBeDefined();
      process.kill(Number(ffmpeg![0]), 'SIGKILL');
    });
    expect(error).toMatchObject({ code: 'FFMPEG_FAILED', file: output });
    expect(error?.message).toMatch(new RegExp(`^ffmpeg was killed by SIGKILL while encoding ${output} \\(out of memory, or killed by another process\\?\\)`));
    expect(error?.message).not.toMatch(/EPIPE/);
    await sink.dispose();
    expect(liveToolProcesses()).toBe(0);
  });

  it('gives the exit code and stderr of an ffmpeg that exits with an error', async () => {
    const output = join(dir, 'crash.mkv');
    const sink = new FfmpegSink({ output, extra: { ffmpegPath: await fakeFfmpeg(dir, 'encode') } }, createMemoryLogger());
    await sink.open(info);
    const error = await writeUntilFailure(sink);
    // The fake answers -version as 4.1, so the sink runs two piped stages and both print their crash.
    expect(error?.message).toMatch(new RegExp(`^ffmpeg exited with code 3 while encoding ${output}; ffmpeg stopped accepting frames at frame \\d+:\\nfake: simulated crash`));
    await sink.dispose();
  });

  it('a full disk says "disk full" with the free space, not ffmpeg\'s muxer error', async () => {
    small = await mountSmallFilesystem(dir, 'small');
    let extra: Record<string, unknown> = { codec: 'libx264', crf: 0, preset: 'ultrafast' };
    if (!small) {
      // Fault hook where mounting is not permitted: an ffmpeg that reports ENOSPC the way the real one does.
      const fake = join(dir, 'enospc-ffmpeg.sh');
      const real = (await bundledBinaries()).ffmpeg.path;
      await writeFile(fake, `#!/bin/sh\nfor a in "$@"; do case "$a" in -version|lavfi) exec "${real}" "$@";; esac; done\nhead -c 30000 >/dev/null\necho "av_interleaved_write_frame(): No space left on device" >&2\nexit 1\n`);
      await chmod(fake, 0o755);
      extra = { ...extra, ffmpegPath: fake };
    }
    const folder = small?.dir ?? dir;
    const output = join(folder, 'big.mkv');
    const sink = new FfmpegSink({ output, extra }, createMemoryLogger());
    await sink.open(info);
    const error = await writeUntilFailure(sink);
    expect(error).toMatchObject({ code: 'DISK_FULL', file: output });
    expect(error?.message).toMatch(new RegExp(`^disk full while encoding ${output} \\(\\d+(\\.\\d)? MB free on that filesystem\\)$`));
    if (small) expect(error?.message).toContain('(0.0 MB free');
    await sink.dispose();
    // Its partial output is gone, so the disk has its space back.
    expect((await readdir(folder)).filter((n) => n.includes('upframe-tmp'))).toEqual([]);
    if (small) expect(Number(execFileSync('df', ['--output=avail', '-k', small.dir], { encoding: 'utf8' }).split('\n')[1])).toBeGreaterThan(900);
  });
});
