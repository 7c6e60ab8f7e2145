import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, type Frame, type SourceInfo } from '@upframe/core';
import { joinClusterParts } from './cluster-join.js';
import { readClusterPart, verifiedClusterPart } from './cluster-part-store.js';
import { FfmpegSink } from './ffmpeg-sink.js';
import { FfmpegSource } from './ffmpeg-source.js';
import { makeClip, tempDir } from './test-support/fixtures.js';
import { frameTimes, probeJson } from './test-support/media.js';

// Parts of a cluster job written by separate sinks (as separate workers would, in any order) and
// joined: the result has every frame at its own time, plus the original's audio.
let dir: string;
let cleanup: () => Promise<void>;
let info: SourceInfo;
let clip: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  clip = await makeClip(dir, 'in.mp4', { audio: true, seconds: 1 });
  info = await new FfmpegSource({ input: clip }, createMemoryLogger()).open();
});
afterAll(() => cleanup());

const frame = (index: number): Frame => ({
  index,
  pts: 5000 + index * 1024,
  timeBase: { num: 1, den: 10240 },
  width: info.width,
  height: info.height,
  layout: 'rgb24',
  data: new Uint8Array(info.width * info.height * 3).fill((index * 23) % 256),
});

/** One worker's part: frames [first, end) through a sink in cluster-part mode. */
async function writePart(output: string, index: number, first: number, end: number, fingerprint = 'fp'): Promise<void> {
  const sink = new FfmpegSink({ output, extra: { codec: 'ffv1', clusterPart: { index, firstFrame: first, originPts: 5000, fingerprint } } }, createMemoryLogger());
  await sink.open({ source: info, width: info.width, height: info.height, layout: 'rgb24' });
  expect(sink.committedFrames()).toBe(first);
  for (let i = first; i < end; i++) await sink.write(frame(i));
  await sink.close();
  await sink.dispose();
}

describe('cluster parts', () => {
  it('parts written out of order join into one file: every frame at its time from the shared origin, audio kept, journal removed', async () => {
    const output = join(dir, 'joined.mkv');
    await writePart(output, 1, 4, 10);
    await writePart(output, 0, 0, 4);
    expect(await readdir(dir)).not.toContain('joined.mkv');
    const part = await readClusterPart(output, 1);
    expect(part?.record).toMatchObject({ firstFrame: 4, frames: 6, firstPts: 4 * 1024, lastPts: 9 * 1024 });
    await joinClusterParts({ input: clip, output, parts: 2, frames: 10, overwrite: false });
    const absolute = await frameTimes(output);
    const times = absolute.map((t) => t - absolute[0]!);
    expect(times.map((t) => t.toFixed(3))).toEqual([...Array(10).keys()].map((i) => (i / 10).toFixed(3)));
    expect((await probeJson(output)).streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
    expect((await readdir(dir)).filter((n) => n.startsWith('joined'))).toEqual(['joined.mkv']);
  });

  it('a part is reused only with the same fingerprint and an intact file', async () => {
    const output = join(dir, 'reuse.mkv');
    await writePart(output, 0, 0, 3, 'settings-a');
    expect(await verifiedClusterPart(output, 0, 'settings-a')).toBeDefined();
    expect(await verifiedClusterPart(output, 0, 'settings-b')).toBeUndefined();
    const record = await readClusterPart(output, 0);
    await writeFile(join(`${output}.upframe`, record!.record.file), 'damaged');
    expect(await verifiedClusterPart(output, 0, 'settings-a')).toBeUndefined();
  });

  it('the join refuses a missing part, a changed part and a frame count that does not add up, and writes no output', async () => {
    const output = join(dir, 'refused.mkv');
    await writePart(output, 0, 0, 4);
    await expect(joinClusterParts({ input: clip, output, parts: 2, frames: 8, overwrite: false })).rejects.toThrow(/part 2 of 2 is missing or damaged/);
    await writePart(output, 1, 4, 8);
    await expect(joinClusterParts({ input: clip, output, parts: 2, frames: 8, sha256: ['0'.repeat(64)], overwrite: false })).rejects.toThrow(/part 1 of 2 .* changed after it was committed/);
    await expect(joinClusterParts({ input: clip, output, parts: 2, frames: 9, overwrite: false })).rejects.toThrow(/hold 8 frames, the input 9/);
    expect(await readdir(dir)).not.toContain('refused.mkv');
  });
});
