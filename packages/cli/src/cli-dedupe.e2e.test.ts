import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFrames, decodeRgbFrames, ffmpeg, ffprobe, REPO, tempDir, upframe, videoPacketTimes } from './test-support/cli-harness.js';

const dir = tempDir();
const SAMPLE = join(REPO, 'node_modules/@upscalerjs/esrgan-slim/assets/samples/4x/result.png');
const FRAMES = 48;
const W = 64;
const H = 48;
/** A pan and zoom over a photograph, drawn on twos (12 drawings/s at 24 fps): odd frames are held. */
const twos = join(dir, 'pan-twos-crf23.mkv');
/** testsrc2 drawn on threes, lossless: frames 3k+1 and 3k+2 are bit-identical to frame 3k. */
const threes = join(dir, 'threes-lossless.mkv');
// Lossless RGB output, so a reused output is bit-identical to its reference's after decoding.
const LOSSLESS_OUT = ['--codec', 'libx264rgb', '--crf', '0', '--preset', 'ultrafast', '--pix-fmt', 'rgb24'];

function panOnTwos(frames: number): string {
  const d = 'floor(on/2)';
  return `movie=${SAMPLE},loop=loop=${frames - 1}:size=1:start=0,format=rgb24,crop=512:384:0:64,` +
    `zoompan=z='1.5+0.01*${d}':x='20+6*${d}':y='10+2*${d}':d=1:s=${W}x${H}:fps=24,format=rgb24`;
}

/** One encoder thread so x264's decisions, and so the expected counts, are reproducible. */
const encodePan = (file: string, frames: number) =>
  ffmpeg(['-f', 'lavfi', '-i', panOnTwos(frames), '-frames:v', String(frames), '-c:v', 'libx264', '-crf', '23', '-pix_fmt', 'yuv420p', '-threads', '1', file]);

beforeAll(async () => {
  await encodePan(twos, FRAMES);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=8,fps=24`, '-frames:v', String(FRAMES), '-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv444p', '-threads', '1', threes]);
});

async function upscale(input: string, dedupe: string, name: string) {
  const out = join(dir, `${name}.mkv`);
  const reportFile = join(dir, `${name}.json`);
  const r = await upframe(['upscale', input, '-o', out, '--dedupe', dedupe, '--report', reportFile, '--quiet', ...LOSSLESS_OUT]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { out, report: JSON.parse(readFileSync(reportFile, 'utf8')) };
}

/** Same frame count, per-frame timestamps and duration as the input. */
async function expectSameTiming(input: string, out: string): Promise<void> {
  expect(await countFrames(out)).toBe(FRAMES);
  const times = await videoPacketTimes(input);
  expect(times).toHaveLength(FRAMES);
  expect(await videoPacketTimes(out)).toEqual(times);
  expect(Number((await ffprobe(out)).format.duration)).toBeCloseTo(Number((await ffprobe(input)).format.duration), 2);
}

/** Indices of output frames bit-identical to the frame before them. */
async function repeatedFrames(out: string): Promise<number[]> {
  const frames = await decodeRgbFrames(out, W * 2, H * 2);
  expect(frames).toHaveLength(FRAMES);
  return frames.flatMap((f, i) => (i > 0 && f.equals(frames[i - 1]) ? [i] : []));
}

describe('upframe upscale --dedupe', () => {
  it('near on a lossy clip drawn on twos infers each drawing once and keeps every frame and timestamp', async () => {
    const { out, report } = await upscale(twos, 'near', 'twos-near');
    expect(report.frames).toEqual({ total: 48, inferred: 24, duplicates: 24, written: 48, missing: [] });
    expect(report.details.dedupe).toMatchObject({ strategy: 'near', frames: 48, duplicates: 24, forced: 0, cacheHits: 0 });
    await expectSameTiming(twos, out);
    // Each held frame shows its drawing's upscaled output; each new drawing gets its own.
    expect(await repeatedFrames(out)).toEqual(Array.from({ length: 24 }, (_, k) => 2 * k + 1));
  });

  it('exact on a lossless clip drawn on threes infers only the new drawings', async () => {
    const { out, report } = await upscale(threes, 'exact', 'threes-exact');
    expect(report.frames).toEqual({ total: 48, inferred: 16, duplicates: 32, written: 48, missing: [] });
    expect(report.details.dedupe).toMatchObject({ strategy: 'exact', frames: 48, duplicates: 32, forced: 0 });
    await expectSameTiming(threes, out);
    expect(await repeatedFrames(out)).toEqual(Array.from({ length: 48 }, (_, i) => i).filter((i) => i % 3 !== 0));
  });

  it('a second run replays the decision cache, and a changed file is decided afresh', async () => {
    // Its own path, so no other test has cached decisions for it.
    const input = join(dir, 'cached.mkv');
    copyFileSync(twos, input);
    const first = (await upscale(input, 'near', 'cache-1')).report;
    expect(first.details.dedupe).toMatchObject({ cache: 'missing', cacheHits: 0, duplicates: 24 });
    expect(first.details.dedupe.workMs).toBeGreaterThan(0);

    const second = (await upscale(input, 'near', 'cache-2')).report;
    expect(second.details.dedupe).toMatchObject({ cache: 'loaded', cacheHits: 48, duplicates: 24, workMs: 0 });
    expect(second.frames).toEqual(first.frames);

    // Same path, other content (fewer frames): the identity (size, mtime) changes, so does the key.
    await encodePan(input, 36);
    const third = (await upscale(input, 'near', 'cache-3')).report;
    expect(third.details.dedupe).toMatchObject({ cache: 'missing', cacheHits: 0, frames: 36, duplicates: 18 });
    expect(third.frames).toMatchObject({ total: 36, inferred: 18, duplicates: 18 });
  });
});
