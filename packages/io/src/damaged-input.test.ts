import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimestampGapDetector } from '@upframe/core/internal';
import { runTool } from './child-process.js';
import { resolveFfmpegBinaries } from './ffmpeg-binaries.js';
import { makeDamagedClip, zeroFrames, type DamagedClip } from './test-support/damaged-media.js';
import { makeVfrClip, tempDir } from './test-support/fixtures.js';
import { decodeAll } from './test-support/media.js';

let dir: string;
let cleanup: () => Promise<void>;
const clips: Record<string, DamagedClip> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('upframe-damaged-'));
  for (const name of ['damaged.mp4', 'damaged.ts']) clips[name] = await makeDamagedClip(dir, name, 23, 27);
});
afterAll(() => cleanup());

/** Pts of the frames an independent decode (ffprobe -show_frames) gets out of a file, in its time base. */
async function probedFramePts(file: string): Promise<number[]> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = await runTool(ffprobe.path, ['-v', 'quiet', '-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp', '-of', 'csv=p=0', file]);
  return r.stdout.split('\n').filter((l) => /^-?\d/.test(l)).map((l) => Number(l.split(',')[0]));
}

describe.each([
  ['damaged.mp4', 12_800, 50],
  ['damaged.ts', 90_000, 45],
])('a real %s with frames 23–27 zeroed', (name, timeBaseDen, listedPackets) => {
  it('decodes the 45 intact frames, each with the decoder\'s own pts, so the loss shows as a gap', async () => {
    const { frames, source } = await decodeAll(clips[name].file);
    const info = await source.open();
    expect(info.ptsOrigin).toBe('decoder');
    expect(info.variableFrameRate).toBe(false); // the TS's hole is damage, not a rate change
    expect(info.timeBase).toEqual({ num: 1, den: timeBaseDen });
    // The MP4 index still lists all 50 packets; the TS demuxer loses the zeroed ones before ffprobe sees them.
    expect(info.expectedPts).toHaveLength(listedPackets);
    expect(frames).toHaveLength(45);
    const step = timeBaseDen / 25;
    const first = info.expectedPts![0];
    // The frame after the gap is source frame 28, not 23 as a mapping by decode index would claim.
    expect((frames[23].pts - first) / step).toBe(28);
    expect(frames.map((f) => f.pts)).toEqual(await probedFramePts(clips[name].file));
  });

  it('lets the gap detector name exactly frames 23–27 (0.92–1.12 s), and nothing at the end', async () => {
    const { frames, source } = await decodeAll(clips[name].file);
    const info = await source.open();
    const detector = TimestampGapDetector.forSource(info)!;
    const found = frames.map((f) => detector.accept(f.pts)).filter(Boolean);
    expect(found).toEqual([{ from: 23, to: 27, fromSeconds: 0.92, toSeconds: 1.12 }]);
    expect(detector.finish(info.frameCount)).toBeUndefined();
  });

  it('finds no gap in the same clip before the damage', async () => {
    const { frames, source } = await decodeAll(clips[name].clean);
    const detector = TimestampGapDetector.forSource(await source.open())!;
    expect(frames).toHaveLength(50);
    expect(frames.map((f) => detector.accept(f.pts)).filter(Boolean)).toEqual([]);
  });
});

describe('a real variable-frame-rate clip (8 frames at 10 fps, 12 at 25 fps) with frames 12–14 zeroed', () => {
  it('MP4: the decoder pts are matched against the probed packets, naming frames 12–14 (0.96–1.08 s)', async () => {
    const damaged = await zeroFrames(await makeVfrClip(dir, 'vfr.mp4'), join(dir, 'vfr-damaged.mp4'), 12, 14);
    const { frames, source } = await decodeAll(damaged.file);
    const info = await source.open();
    expect(info.variableFrameRate).toBe(true);
    expect(frames).toHaveLength(17);
    const detector = TimestampGapDetector.forSource(info)!;
    expect(frames.map((f) => detector.accept(f.pts)).filter(Boolean)).toEqual([{ from: 12, to: 14, fromSeconds: 0.96, toSeconds: 1.08 }]);
    expect(detector.finish(info.frameCount)).toBeUndefined();
  });

  it('Matroska: the demuxer stops at the damage, and the lost tail is named instead of passing as a shorter clip', async () => {
    const damaged = await zeroFrames(await makeVfrClip(dir, 'vfr.mkv'), join(dir, 'vfr-damaged.mkv'), 12, 14);
    const { frames, source } = await decodeAll(damaged.file);
    const info = await source.open();
    expect(frames).toHaveLength(12);
    expect(info.frameCountExact).toBe(true);
    // Estimated from the recorded end (1.28 s) at the rate of the last frames (25 fps): all 20.
    expect(info.frameCount).toBe(20);
    const detector = TimestampGapDetector.forSource(info)!;
    expect(frames.map((f) => detector.accept(f.pts)).filter(Boolean)).toEqual([]);
    expect(detector.finish(info.frameCount)).toEqual({ from: 12, to: 19, fromSeconds: 0.96, toSeconds: 1.28, atEnd: true });
  });
});
